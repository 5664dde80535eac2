package io.github.regionrouter;

import java.sql.SQLException;

/**
 * Refuses a subject's writes to a region while that subject's data is being moved out of it, or after it
 * was moved away (the {@code region-router-migration} module provides one backed by its region directory).
 * The routing data source consults it before every execution that may write (anything but a plain
 * {@code SELECT}) on a connection bound writable to a primary, for connections whose {@link RegionContext}
 * names a subject; a refusal means that execution never reached the server.
 *
 * <p>Implementations must be thread-safe and fast (an in-memory or cached look-up; no I/O on the common
 * path), and must throw rather than block for long: {@link SubjectFencedException} is the expected refusal.
 */
@FunctionalInterface
public interface SubjectFence {

  /**
   * Returns normally when {@code subject} may write to {@code region} now.
   *
   * @param region  the region the connection writes to
   * @param subject the subject of the connection's {@link RegionContext}; never null
   * @throws SQLException typically a {@link SubjectFencedException}, when the write must not happen
   */
  void checkWrite(String region, String subject) throws SQLException;
}
