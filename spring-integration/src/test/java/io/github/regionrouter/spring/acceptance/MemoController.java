package io.github.regionrouter.spring.acceptance;

import io.github.regionrouter.RegionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API, written the plain Boot way (open-in-view left at Boot's default, on), callable from a browser app
 * on another origin.
 */
@RestController
@CrossOrigin(origins = "https://app.example.com", exposedHeaders = "X-Region-Consistency")
public class MemoController {

  private final MemoRepository memos;

  public MemoController(MemoRepository memos) {
    this.memos = memos;
  }

  @PostMapping("/api/memos")
  public Map<String, Object> create(@RequestParam String body) {
    String owner = RegionContext.current().flatMap(RegionContext::subject).orElse("-");
    return Map.of("id", memos.save(new Memo(owner, body)).getId());
  }

  @GetMapping("/api/memos/{id}")
  @Transactional(readOnly = true)
  public Map<String, Object> find(@PathVariable long id) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("found", memos.findById(id).map(Memo::getBody).orElse(null));
    answer.put("count", memos.count());
    return answer;
  }

  @GetMapping("/api/whoami")
  public String whoami() {
    return RegionContext.current().map(c -> c.region() + "|" + c.subject().orElse("-")).orElse("none");
  }
}
