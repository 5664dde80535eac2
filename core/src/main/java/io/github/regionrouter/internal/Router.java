package io.github.regionrouter.internal;

/**
 * The routing decision (rules 2–4): lock-free and allocation-free, and pure but for refreshing the published
 * in-use counts of the replicas it compares ({@link InUse#refresh()}). A route is packed in an int:
 * {@code reason << 8 | nodeIndex}; a negative route means no node can serve (see the snapshot's
 * {@code writeProblem} for why).
 *
 * <p>Replicas within the latency window of the nearest share reads by <em>power of two choices</em> (Mitzenmacher,
 * 2001; MongoDB's server selection): two distinct candidates drawn at random, the one with fewer connections in
 * use serves, a tie goes to the first drawn. The counts compared are a copy published one decision in
 * {@link #REFRESH_EVERY} (see {@link InUse}); on that copy the second choice must be {@link #STALE_MARGIN} less
 * busy to win. Unlike a spread by thread it does not depend on which threads call
 * (thread ids of one parity all landed on one of two replicas) and it steers new reads away from a replica
 * that holds long-running ones; unlike "fewest in use of all" it does not herd every caller onto the same
 * replica when the counts are equal or a little stale.
 */
final class Router {

  /** To the region's write target, for a write. */
  static final int WRITE = 0;
  /** To a replica, for a read. */
  static final int READ = 1;
  /** To a replica that has replayed past the subject's write, for a pinned read. */
  static final int READ_PINNED = 2;
  /** To the primary, because no candidate replica has replayed past the subject's write. */
  static final int PRIMARY_PINNED = 3;
  /** To the primary, because the region has no eligible replica. */
  static final int PRIMARY_NO_REPLICA = 4;
  /**
   * To the most advanced up standby, because the region has no primary (down, or split brain) and so no
   * replica's lag can be measured: readers survive a primary outage; a pinned reader only if the standby
   * has its write.
   */
  static final int READ_DEGRADED = 5;
  /** The {@code reason} tag of {@code regionrouter.connections}, by reason. */
  static final String[] REASON_TAGS = {"write", "read", "read-pinned", "pinned", "no-replica", "primary-down"};
  /** The {@code role} tag of {@code regionrouter.connections}, by reason. */
  static final String[] ROLE_TAGS = {"primary", "replica", "replica", "primary", "primary", "replica"};

  /** No pin: 0 is never a real WAL position. */
  static final long NO_PIN = 0L;

  private Router() {
  }

  /** One decision in this many refreshes the published in-use counts it compares (see {@link InUse}). */
  static final int REFRESH_EVERY = 8;
  /**
   * Between refreshes the published counts may be a few binds old, and with two replicas every decision compares
   * the same two stale numbers: all of them would pick the same replica until the next refresh (herding; in
   * SpreadSimulationTest the busier of two replicas then held 6 of 8 connections on average). So a decision on
   * published counts prefers the second choice only when it has at least this many fewer connections in use;
   * smaller differences keep the first, random, choice.
   */
  static final long STALE_MARGIN = 4;

  /**
   * Chooses the node for one connection.
   *
   * @param s            the snapshot to decide on
   * @param region       the region index
   * @param readOnly     whether the connection is read-only when it binds
   * @param pin          the WAL position the reader must see, {@link #NO_PIN}, or -1 (unknown: primary only)
   * @param excluded     bit mask of node indexes that already failed for this connection
   * @param windowNanos  the latency window
   * @param random       a uniformly random int (the caller's {@code ThreadLocalRandom}): among replicas within
   *                     the window of the nearest, its high bits draw the two to compare and its low bits make
   *                     one decision in {@link #REFRESH_EVERY} refresh their published in-use counts
   * @return the packed route, or -1 when no node can serve
   */
  static int choose(TopologySnapshot s, int region, boolean readOnly, long pin, long excluded,
      long windowNanos, int random) {
    int primary = s.writeTarget[region];
    if (primary >= 0 && (excluded & (1L << primary)) != 0) {
      primary = -1;
    }
    if (!readOnly) {
      return primary < 0 ? -1 : (WRITE << 8) | primary;
    }
    int[] order = s.readOrder[region];
    NodeState[] states = s.states;
    int first = -1;
    int best = -1;
    int second = -1;
    int inWindow = 0;
    long limit = 0;
    boolean sawCandidate = false;
    for (int i = 0; i < order.length; i++) {
      int n = order[i];
      if ((excluded & (1L << n)) != 0) {
        continue;
      }
      sawCandidate = true;
      if (pin != NO_PIN && Long.compareUnsigned(states[n].walLsn, pin) < 0) {
        continue;
      }
      if (best < 0) {
        best = n;
        first = i;
        limit = states[n].rttNanos + windowNanos;
        inWindow = 1;
      } else if (states[n].rttNanos > limit) {
        break;
      } else if (++inWindow == 2) {
        second = n;
      }
    }
    if (best >= 0) {
      if (inWindow == 2) {
        // the common case, two equally near replicas: both are known, no second pass over the order
        best = random >= 0 ? twoOf(s, best, second, random) : twoOf(s, second, best, random); // as twoChoices draws
      } else if (inWindow > 2) {
        best = twoChoices(s, order, first, inWindow, pin, excluded, random);
      }
      return ((pin != NO_PIN ? READ_PINNED : READ) << 8) | best;
    }
    if (primary < 0) {
      return s.writeTarget[region] < 0 ? degraded(s, region, pin, excluded) : -1;
    }
    return ((sawCandidate ? PRIMARY_PINNED : PRIMARY_NO_REPLICA) << 8) | primary;
  }

  /**
   * Power of two choices among the {@code count} (at least two) candidates within the window, starting at
   * {@code order[from]}: draws two distinct ones and returns the one with fewer connections in use.
   */
  private static int twoChoices(TopologySnapshot s, int[] order, int from, int count, long pin, long excluded,
      int random) {
    // multiply-shift instead of %: a division costs more than the rest of the draw
    int bits = random >>> 3;
    int a = (int) (((long) bits * count) >>> 29);
    int b = (int) (((long) (bits & 0xFFFF) * (count - 1)) >>> 16);
    if (b >= a) {
      b++;
    }
    int nodeA = -1;
    int nodeB = -1;
    int seen = 0;
    for (int i = from; i < order.length && (nodeA < 0 || nodeB < 0); i++) {
      int n = order[i];
      if ((excluded & (1L << n)) != 0
          || (pin != NO_PIN && Long.compareUnsigned(s.states[n].walLsn, pin) < 0)) {
        continue;
      }
      if (seen == a) {
        nodeA = n;
      } else if (seen == b) {
        nodeB = n;
      }
      seen++;
    }
    return twoOf(s, nodeA, nodeB, random);
  }

  /** Of two drawn candidates, the one with fewer connections in use; the first, {@code nodeA}, on a tie. */
  private static int twoOf(TopologySnapshot s, int nodeA, int nodeB, int random) {
    InUse inUseA = s.nodes[nodeA].inUse;
    InUse inUseB = s.nodes[nodeB].inUse;
    if ((random & (REFRESH_EVERY - 1)) == 0) {
      return inUseB.refresh() < inUseA.refresh() ? nodeB : nodeA; // fresh counts: fewest in use
    }
    return inUseA.published() - inUseB.published() >= STALE_MARGIN ? nodeB : nodeA;
  }

  private static int degraded(TopologySnapshot s, int region, long pin, long excluded) {
    for (int n : s.degradedOrder[region]) {
      if ((excluded & (1L << n)) == 0
          && (pin == NO_PIN || Long.compareUnsigned(s.states[n].walLsn, pin) >= 0)) {
        return (READ_DEGRADED << 8) | n;
      }
    }
    return -1;
  }

  static int node(int route) {
    return route & 0xFF;
  }

  static int reason(int route) {
    return route >>> 8;
  }
}
