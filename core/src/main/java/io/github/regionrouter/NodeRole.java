package io.github.regionrouter;

/**
 * The role of a node: configured in the builder, observed by the monitor ({@code pg_is_in_recovery()}).
 */
public enum NodeRole {
  /** Accepts writes ({@code pg_is_in_recovery()} is false). */
  PRIMARY,
  /** A streaming-replication standby ({@code pg_is_in_recovery()} is true). */
  REPLICA,
  /** Not observed yet, or not answering. */
  UNKNOWN
}
