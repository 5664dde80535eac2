package io.github.regionrouter.testing;

/**
 * Something the test topology had to do failed: a PostgreSQL program exited with an error, a server did not
 * start or stop in time, a replica did not catch up before its deadline, the binaries could not be found.
 *
 * <p>The message names the operation and the node (when there is one), and, when a server failed to start,
 * ends with the tail of that server's log, so the reason is in the test report without digging for files.
 * Unchecked, because a broken harness is never something a test should recover from.
 *
 * <p>Instances are immutable and therefore thread-safe.
 */
public final class TopologyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  TopologyException(String message) {
    super(message);
  }

  TopologyException(String message, Throwable cause) {
    super(message, cause);
  }
}
