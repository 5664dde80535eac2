package io.github.regionrouter.spring.notes;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The API: open-in-view is on (Boot's default), as in most Boot apps. */
@RestController
public class NoteController {

  private final NoteService notes;
  private final AsyncProbe async;

  public NoteController(NoteService notes, AsyncProbe async) {
    this.notes = notes;
    this.async = async;
  }

  @PostMapping("/api/notes")
  public Map<String, Object> create(@RequestParam String body) {
    return Map.of("id", notes.create(body));
  }

  /** A browser form post: write, then 303 to the note (the GET carries cookies, not headers). */
  @PostMapping("/api/notes/form")
  public ResponseEntity<Void> createFromForm(@RequestParam String body) {
    long id = notes.create(body);
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/api/notes/" + id)).build();
  }

  /**
   * Open-in-view: one EntityManager (and one held connection) for the whole request, first a read-only
   * transaction (a replica), then a writing one (the primary): re-binding at the transaction boundary.
   */
  @PostMapping("/api/notes/after-read")
  public Map<String, Object> createAfterRead(@RequestParam String body, @RequestParam long readId) {
    Map<String, Object> read = notes.find(readId);
    return Map.of("id", notes.create(body), "readFromReplica", read.get("replica"));
  }

  @GetMapping("/api/notes/{id}")
  public Map<String, Object> find(@PathVariable long id) {
    return notes.find(id);
  }

  @GetMapping("/api/async")
  public String async() throws InterruptedException, ExecutionException, TimeoutException {
    return async.context().get(10, TimeUnit.SECONDS);
  }
}
