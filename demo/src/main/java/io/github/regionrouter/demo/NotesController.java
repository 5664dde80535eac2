package io.github.regionrouter.demo;

import io.github.regionrouter.RegionUnavailableException;
import java.net.URI;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's API.
 *
 * <ul>
 *   <li>{@code POST /api/notes} (body: text) → 201, body = the new note's id (a write).</li>
 *   <li>{@code POST /api/notes/form} → 303 to {@code /api/notes/<id>}: the browser's post-redirect-get; the GET
 *       carries the consistency cookie, not the header.</li>
 *   <li>{@code GET /api/notes/<id>} → 200 with the text, 404 if this user has no such note (a read).</li>
 *   <li>{@code GET /api/notes} → 200 with the number of this user's notes (a read).</li>
 * </ul>
 *
 * <p>A read that fails because its connection failed (SQLState 08, or aborted: its node died under it) is
 * retried, at most {@value #READ_RETRIES} times, as an idempotent GET may be; every retry is counted and
 * reported, so nothing is hidden. A refusal of the router ({@link RegionUnavailableException}) is not retried (it is the answer), and
 * writes are never retried. Refusals and other connection failures answer 503 with the router's message ("read
 * refused (split-brain): …"), anything else 500.
 *
 * <p>Thread-safe.
 */
@RestController
public class NotesController {

  /** Retries of a read after a connection-class failure. */
  static final int READ_RETRIES = 2;
  private static final long RETRY_PAUSE_MILLIS = 250;

  private final NotesStore notes;
  private final LongAdder readRetries = new LongAdder();

  /** @param notes the store */
  public NotesController(NotesStore notes) {
    this.notes = notes;
  }

  /**
   * Creates a note.
   *
   * @param body the text
   * @return 201 with the id, or 503/500 with what failed
   */
  @PostMapping("/api/notes")
  public ResponseEntity<String> create(@RequestBody String body) {
    try {
      return text(HttpStatus.CREATED, Long.toString(notes.create(body)));
    } catch (DataAccessException | TransactionException e) {
      return failure("write", e);
    }
  }

  /**
   * Creates a note from a browser form and redirects to it.
   *
   * @param body the text
   * @return 303 to the note, or 503/500 with what failed
   */
  @PostMapping("/api/notes/form")
  public ResponseEntity<String> createFromForm(@RequestBody String body) {
    try {
      long id = notes.create(body);
      return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/api/notes/" + id)).build();
    } catch (DataAccessException | TransactionException e) {
      return failure("write", e);
    }
  }

  /**
   * Reads one of the caller's notes.
   *
   * @param id the note's id
   * @return 200 with the text, 404, or 503/500 with what failed
   */
  @GetMapping("/api/notes/{id}")
  public ResponseEntity<String> find(@PathVariable long id) {
    return read(() -> {
      String body = notes.find(id);
      return body == null ? text(HttpStatus.NOT_FOUND, "no note " + id + " for this user")
          : text(HttpStatus.OK, body);
    });
  }

  /**
   * Counts the caller's notes.
   *
   * @return 200 with the count, or 503/500 with what failed
   */
  @GetMapping("/api/notes")
  public ResponseEntity<String> count() {
    return read(() -> text(HttpStatus.OK, Long.toString(notes.count())));
  }

  /** Retries of reads after a connection-class failure so far. */
  long readRetries() {
    return readRetries.sum();
  }

  private ResponseEntity<String> read(Supplier<ResponseEntity<String>> read) {
    for (int attempt = 0; ; attempt++) {
      try {
        return read.get();
      } catch (DataAccessException | TransactionException e) {
        SQLException cause = sqlCause(e);
        if (cause == null || cause instanceof RegionUnavailableException || !isConnectionFailure(cause)
            || attempt == READ_RETRIES) {
          return failure("read", e);
        }
        readRetries.increment();
        if (attempt > 0) {
          // the router takes a failed node out at once, the monitor within an interval: wait one
          try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return failure("read", e);
          }
        }
      }
    }
  }

  private static ResponseEntity<String> failure(String what, RuntimeException e) {
    SQLException cause = sqlCause(e);
    // The router's messages name region, reason and nodes, never a credential, so they may be shown.
    String message = cause instanceof RegionUnavailableException refused
        ? what + " refused (" + refused.reason().tag() + "): " + cause.getMessage()
        : what + " failed: " + (cause == null ? e.toString()
            : cause.getClass().getSimpleName() + " [" + cause.getSQLState() + "] " + cause.getMessage());
    boolean transientFailure = cause != null && isConnectionFailure(cause);
    return text(transientFailure ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR,
        message.replace('\n', ' '));
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  /**
   * Whether the connection failed under the statement: SQLState class 08, or HikariCP's "Connection is closed",
   * which carries no SQLState and is what a caller gets when the router aborted the connections of a node it
   * took down while the statement was running.
   */
  private static boolean isConnectionFailure(SQLException e) {
    return e.getSQLState() != null ? e.getSQLState().startsWith("08")
        : "Connection is closed".equals(e.getMessage());
  }

  private static ResponseEntity<String> text(HttpStatus status, String body) {
    return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(body);
  }
}
