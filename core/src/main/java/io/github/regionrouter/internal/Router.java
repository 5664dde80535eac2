package io.github.regionrouter.internal;

/**
 * The routing decision (rules 2–4): pure, lock-free and allocation-free. A route is packed in an int:
 * {@code reason << 8 | nodeIndex}; a negative route means no node can serve (see the snapshot's
 * {@code writeProblem} for why).
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

  /** Spread hint: compare the candidates' connections in use (reads other cores' counters). */
  static final int FEWEST_IN_USE = -1;

  /** Chooses the node for one connection, spreading equally near replicas by fewest in use. */
  static int choose(TopologySnapshot s, int region, boolean readOnly, long pin, long excluded,
      long windowNanos) {
    return choose(s, region, readOnly, pin, excluded, windowNanos, FEWEST_IN_USE);
  }

  /**
   * Chooses the node for one connection.
   *
   * @param s            the snapshot to decide on
   * @param region       the region index
   * @param readOnly     whether the connection is read-only when it binds
   * @param pin          the WAL position the reader must see, {@link #NO_PIN}, or -1 (unknown: primary only)
   * @param excluded     bit mask of node indexes that already failed for this connection
   * @param windowNanos  the latency window
   * @param spread       how to pick among replicas within the window of the nearest: {@link #FEWEST_IN_USE},
   *                     or a non-negative number (the caller's thread) that picks one of them without reading
   *                     any shared counter
   * @return the packed route, or -1 when no node can serve
   */
  static int choose(TopologySnapshot s, int region, boolean readOnly, long pin, long excluded,
      long windowNanos, int spread) {
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
      } else {
        inWindow++;
      }
    }
    if (best >= 0) {
      if (inWindow > 1) {
        best = spread(s, order, first, inWindow, pin, excluded, spread);
      }
      return ((pin != NO_PIN ? READ_PINNED : READ) << 8) | best;
    }
    if (primary < 0) {
      return s.writeTarget[region] < 0 ? degraded(s, region, pin, excluded) : -1;
    }
    return ((sawCandidate ? PRIMARY_PINNED : PRIMARY_NO_REPLICA) << 8) | primary;
  }

  /** EXPERIMENT: -Dregionrouter.spread=thread|p2c. */
  static final boolean P2C = System.getProperty("regionrouter.spread", "thread").equals("p2c");

  private static int p2c(TopologySnapshot s, int[] order, int from, int count, long pin, long excluded,
      int random) {
    int a = (random >>> 3) % count;
    int b = count == 2 ? 1 - a : (a + 1 + (random >>> 16) % (count - 1)) % count;
    int na = -1;
    int nb = -1;
    int seen = 0;
    for (int i = from; i < order.length && (na < 0 || nb < 0); i++) {
      int n = order[i];
      if ((excluded & (1L << n)) != 0
          || (pin != NO_PIN && Long.compareUnsigned(s.states[n].walLsn, pin) < 0)) {
        continue;
      }
      if (seen == a) {
        na = n;
      } else if (seen == b) {
        nb = n;
      }
      seen++;
    }
    InUse ia = s.nodes[na].inUse;
    InUse ib = s.nodes[nb].inUse;
    if (InUse.CACHED && (random & 7) == 0) {
      ia.refresh();
      ib.refresh();
    }
    return ib.load() < ia.load() ? nb : na;
  }

  /** Picks one of the {@code count} candidates within the window, starting at {@code order[from]}. */
  private static int spread(TopologySnapshot s, int[] order, int from, int count, long pin, long excluded,
      int spread) {
    if (P2C && spread >= 0) {
      return p2c(s, order, from, count, pin, excluded, spread);
    }
    int target = spread < 0 ? -1 : spread % count;
    int seen = 0;
    int best = -1;
    long bestInUse = Long.MAX_VALUE;
    for (int i = from; i < order.length && seen < count; i++) {
      int n = order[i];
      if ((excluded & (1L << n)) != 0
          || (pin != NO_PIN && Long.compareUnsigned(s.states[n].walLsn, pin) < 0)) {
        continue;
      }
      if (seen++ == target) {
        return n;
      }
      if (target < 0) {
        long inUse = s.nodes[n].inUse.sum();
        if (inUse < bestInUse) {
          best = n;
          bestInUse = inUse;
        }
      }
    }
    return best;
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
