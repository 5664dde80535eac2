package io.github.regionrouter.spring.notes;

import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The same notes through plain {@code JdbcTemplate} (auto-commit, no transaction), and one path outside the
 * JWT filter's {@code /api/*} (as a permitAll path would be): its reads have no region.
 */
@RestController
public class NoteJdbcController {

  private final JdbcTemplate jdbc;

  public NoteJdbcController(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @PostMapping("/api/jdbc/notes")
  public Map<String, Object> create(@RequestParam String body) {
    Long id = jdbc.queryForObject("insert into note (owner, body) values ('jdbc', ?) returning id", Long.class,
        body);
    return Map.of("id", id);
  }

  @GetMapping("/public/notes/{id}")
  public Map<String, Object> find(@PathVariable long id) {
    return Map.of("count", jdbc.queryForObject("select count(*) from note where id = ?", Long.class, id));
  }
}
