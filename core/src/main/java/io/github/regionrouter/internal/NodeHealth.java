package io.github.regionrouter.internal;

import io.github.regionrouter.NodeRole;

/**
 * The monitor's running view of one node: health with its thresholds and back-off, role, position, RTT,
 * identity and the lag hysteresis. Mutated only under the monitor's lock.
 */
final class NodeHealth {

  /** Consecutive failed polls before a node is taken down (a refused connection takes it down at once). */
  static final int FAILURES_TO_DOWN = 2;
  /** Consecutive answered polls before a down node is taken up again. */
  static final int SUCCESSES_TO_UP = 2;
  /** Down nodes are polled at most this many intervals apart. */
  static final int MAX_BACKOFF_INTERVALS = 8;
  /** Weight of a new round trip in the moving average. */
  static final double RTT_WEIGHT = 0.3;

  final Node node;
  boolean seen;
  boolean up;
  NodeRole role = NodeRole.UNKNOWN;
  long lsn;
  long rttNanos = -1;
  long systemId;
  long sampledAtNanos;
  /** The last answer's {@code pg_current_wal_insert_lsn()} (primaries) and when that poll started. */
  long insertLsn;
  long pollStartNanos;
  long pollStartMillis;
  int failures;
  int successes;
  int backoff;
  long nextPollNanos;
  String downReason = "not polled yet";
  /** Why the last poll failed; while {@link #failures} is under {@link #FAILURES_TO_DOWN} the node is suspect. */
  String failureReason;
  /** Lag hysteresis: excluded when lag passed the maximum, until it is back under half of it. */
  boolean lagExcluded;
  /** Raw lag over {@code maxReplicaLag} (no hysteresis), and since when: the {@code db} health level's grace. */
  boolean overLag;
  long overLagSinceNanos;
  /** A WARN said this node is down; reset when it is up again (one line per outage, not one per round). */
  boolean downLogged;
  /** That line was a WARN (not a DEBUG line of a flapping node), so its return is logged at INFO. */
  boolean downWarned;
  /** A WARN said this node is quarantined. */
  boolean quarantineLogged;
  /** When the last "is down" WARN was written, to keep a flapping node to one line per interval. */
  long lastDownWarnNanos;
  /** Outages not logged at WARN since the last one (flapping). */
  int unloggedOutages;

  NodeHealth(Node node) {
    this.node = node;
  }

  void answered(Sample s) {
    failures = 0;
    successes++;
    backoff = 0;
    role = s.inRecovery() ? NodeRole.REPLICA : NodeRole.PRIMARY;
    lsn = s.lsn();
    sampledAtNanos = s.atNanos();
    insertLsn = s.insertLsn();
    pollStartNanos = s.startNanos();
    pollStartMillis = s.startMillis();
    if (s.systemId() != 0) {
      systemId = s.systemId();
    }
    if (s.rttNanos() >= 0) {
      rttNanos = rttNanos < 0 ? s.rttNanos() : (long) (RTT_WEIGHT * s.rttNanos() + (1 - RTT_WEIGHT) * rttNanos);
    }
    if (!up && (!seen || successes >= SUCCESSES_TO_UP)) {
      up = true;
      downReason = null;
    }
    seen = true;
  }

  void failed(String reason, boolean atOnce, long nowNanos, long intervalNanos) {
    successes = 0;
    failures++;
    failureReason = reason;
    if (atOnce || failures >= FAILURES_TO_DOWN || !seen) {
      markDown(reason);
    }
    if (!up) {
      backoff = Math.min(backoff == 0 ? 1 : backoff * 2, MAX_BACKOFF_INTERVALS);
      nextPollNanos = nowNanos + backoff * intervalNanos;
    }
  }

  /**
   * Up, but its last poll failed or was slow past the poll timeout: no new reads (while it is a replica), and the
   * next poll decides — up again if it answers, down if it fails too. One slow poll on a loaded machine must not
   * take a healthy replica out for two polls and abort every connection to it.
   */
  boolean suspect() {
    return up && failures > 0;
  }

  void markDown(String reason) {
    up = false;
    successes = 0;
    downReason = reason;
  }
}
