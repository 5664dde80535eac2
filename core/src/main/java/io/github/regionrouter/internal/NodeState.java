package io.github.regionrouter.internal;

import io.github.regionrouter.NodeRole;

/**
 * What the monitor measured of one node, as published in one {@link TopologySnapshot}. Immutable.
 * Unknown numbers are -1 (for {@link #walLsn}, {@link #UNKNOWN}).
 */
final class NodeState {

  /** An unknown LSN: 0 is never a real WAL position. */
  static final long UNKNOWN = 0L;

  final boolean up;
  final NodeRole role;
  /** Replication lag in nanoseconds; -1 when unknown; 0 for a write target. */
  final long lagNanos;
  /** Replication lag in bytes; -1 when unknown. */
  final long lagBytes;
  /** Moving average of the probe's round trip in nanoseconds; -1 before the first answer. */
  final long rttNanos;
  /** Current WAL position of a primary, replay position of a replica; {@link #UNKNOWN} when unknown. */
  final long walLsn;
  /** Whether reads may go here (replicas that pass every test). */
  final boolean readEligible;
  /** Why it serves no reads or writes; null when it does. */
  final String excluded;
  /** Its identity does not match its region (rule 8): never routed to. */
  final boolean quarantined;
  /** Whether this replica's lag is over {@code maxReplicaLag} now (raw, without the hysteresis). */
  final boolean overLag;
  /** When ({@code System.nanoTime()}) its lag went over {@code maxReplicaLag}; meaningful only if {@link #overLag}. */
  final long overLagSinceNanos;

  NodeState(boolean up, NodeRole role, long lagNanos, long lagBytes, long rttNanos, long walLsn,
      boolean readEligible, String excluded, boolean quarantined) {
    this(up, role, lagNanos, lagBytes, rttNanos, walLsn, readEligible, excluded, quarantined, false, 0);
  }

  NodeState(boolean up, NodeRole role, long lagNanos, long lagBytes, long rttNanos, long walLsn,
      boolean readEligible, String excluded, boolean quarantined, boolean overLag, long overLagSinceNanos) {
    this.overLag = overLag;
    this.overLagSinceNanos = overLagSinceNanos;
    this.quarantined = quarantined;
    this.up = up;
    this.role = role;
    this.lagNanos = lagNanos;
    this.lagBytes = lagBytes;
    this.rttNanos = rttNanos;
    this.walLsn = walLsn;
    this.readEligible = readEligible;
    this.excluded = excluded;
  }
}
