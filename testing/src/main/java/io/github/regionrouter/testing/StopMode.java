package io.github.regionrouter.testing;

/**
 * How {@link PostgresTopology#stop(String, StopMode)} stops a server; the values map to
 * {@code pg_ctl stop -m fast|immediate}.
 *
 * <p>Enum constants are immutable and thread-safe.
 */
public enum StopMode {

  /**
   * Clean shutdown: clients are disconnected, a shutdown checkpoint is written, and a replica has streamed
   * everything its primary sent before it stops. Restarting needs no crash recovery.
   */
  FAST("fast"),

  /**
   * Crash-like shutdown: every server process quits at once without a checkpoint, as after a power loss of the
   * node. Restarting runs crash recovery first.
   */
  IMMEDIATE("immediate");

  private final String pgCtlMode;

  StopMode(String pgCtlMode) {
    this.pgCtlMode = pgCtlMode;
  }

  /** The value of {@code pg_ctl stop -m}. */
  String pgCtlMode() {
    return pgCtlMode;
  }
}
