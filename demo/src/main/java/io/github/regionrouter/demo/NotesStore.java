package io.github.regionrouter.demo;

import io.github.regionrouter.RegionContext;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The notes table, as a small team writes it: {@link JdbcTemplate}, a single auto-commit {@code INSERT} per
 * write (atomic on its own, so no transaction around it), and {@code @Transactional(readOnly = true)} reads,
 * which is what routes them to a replica. Region and subject come from the {@link RegionContext} that the
 * starter's filter opened from the verified JWT.
 *
 * <p>Thread-safe.
 */
@Service
public class NotesStore {

  private final JdbcTemplate jdbc;
  private final String table;

  /**
   * @param jdbc  Boot's template over the application's (routing) data source
   * @param table the notes table, possibly schema-qualified ({@code demo.table})
   */
  public NotesStore(JdbcTemplate jdbc, @Value("${demo.table:notes}") String table) {
    this.jdbc = jdbc;
    this.table = table;
  }

  /**
   * Stores a note of the current subject in the current region.
   *
   * @param body the text
   * @return the new note's id
   * @throws IllegalStateException if the request has no verified subject
   */
  public long create(String body) {
    RegionContext context = current();
    return jdbc.queryForObject("INSERT INTO " + table + " (subject, region, body) VALUES (?, ?, ?) RETURNING id",
        Long.class, context.subjectOrNull(), context.region(), body);
  }

  /**
   * The text of one of the current subject's notes.
   *
   * @param id the note's id
   * @return the text, or null if the subject has no such note (on the node that served the read)
   */
  @Transactional(readOnly = true)
  public String find(long id) {
    List<String> found = jdbc.queryForList("SELECT body FROM " + table + " WHERE id = ? AND subject = ?",
        String.class, id, current().subjectOrNull());
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * How many notes the current subject has.
   *
   * @return the count, on the node that served the read
   */
  @Transactional(readOnly = true)
  public long count() {
    return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE subject = ?", Long.class,
        current().subjectOrNull());
  }

  private static RegionContext current() {
    RegionContext context = RegionContext.currentOrNull();
    if (context == null || context.subjectOrNull() == null) {
      throw new IllegalStateException("no verified subject in this request (the region-router filter must run"
          + " before the notes API: region-router.jwt.url-patterns)");
    }
    return context;
  }
}
