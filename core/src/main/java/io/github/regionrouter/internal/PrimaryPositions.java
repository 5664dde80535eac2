package io.github.regionrouter.internal;

import io.github.regionrouter.WritePosition;

/**
 * What one region's primary reported in the monitor's recent polls, each entry stamped with when its poll
 * <em>started</em>: the pin of a write known only by its commit time is the position reported by the first
 * poll that started after the commit (rule 4). That poll's statement reached the primary after the commit
 * returned, so the position it read is at or past the commit record: the write path pays no round trip.
 * Immutable; read by the router without locks or allocation.
 *
 * <p>Consecutive polls that reported the same position are kept as one entry stamped with the <em>last</em>
 * start: "the first poll started after t" then reports that position for every t before that start, exactly
 * as the individual polls would; an idle primary costs one entry. The oldest entries are dropped when the log
 * is full; a commit older than every entry then resolves to the oldest one, which still started after it
 * (later, so only more conservative).
 */
final class PrimaryPositions {

  /** No poll of the primary is known yet: nothing resolves. */
  static final PrimaryPositions EMPTY = new PrimaryPositions(new long[0], new long[0], new long[0], false);
  /**
   * Without a monitor (benchmarks, stub drivers) every node counts as fully replayed, so every write resolves
   * to the lowest real position.
   */
  static final PrimaryPositions STATIC = new PrimaryPositions(new long[0], new long[0], new long[0], true);

  private final long[] startNanos;
  private final long[] startMillis;
  private final long[] lsns;
  private final boolean always;

  private PrimaryPositions(long[] startNanos, long[] startMillis, long[] lsns, boolean always) {
    this.startNanos = startNanos;
    this.startMillis = startMillis;
    this.lsns = lsns;
    this.always = always;
  }

  /**
   * The position of the first poll that started after {@code commitNanos} (the monitor's ticker), or
   * {@link WritePosition#UNKNOWN_LSN} when no poll has started since: only the primary can serve then.
   */
  long afterNanos(long commitNanos) {
    if (always) {
      return 1L;
    }
    for (int i = 0; i < lsns.length; i++) { // a handful of entries: a scan beats a search's branches
      if (startNanos[i] - commitNanos > 0) {
        return lsns[i];
      }
    }
    return WritePosition.UNKNOWN_LSN;
  }

  /**
   * The position of the first poll that started after {@code epochMillis} (wall clock, strictly after), or
   * {@link WritePosition#UNKNOWN_LSN}. The caller adds any clock-skew margin.
   */
  long afterMillis(long epochMillis) {
    if (always) {
      return 1L;
    }
    for (int i = 0; i < lsns.length; i++) {
      if (startMillis[i] > epochMillis) {
        return lsns[i];
      }
    }
    return WritePosition.UNKNOWN_LSN;
  }

  /** Entries held (for tests and the monitor). */
  int size() {
    return lsns.length;
  }

  /**
   * The monitor's mutable side: a bounded log it appends to and publishes as immutable
   * {@link PrimaryPositions}. Thread-safe: the round's thread and the pollers (which record a primary's answer
   * as soon as it arrives) append under the log's lock; {@link #view()} is a volatile read.
   */
  static final class Log {
    private final int capacity;
    private long[] startNanos = new long[0];
    private long[] startMillis = new long[0];
    private long[] lsns = new long[0];
    private volatile PrimaryPositions published = EMPTY;

    Log(int capacity) {
      this.capacity = Math.max(2, capacity);
    }

    /**
     * Records one answered poll of the region's write target. A poll already recorded, or one that started
     * before the newest entry (two polls on two connections may answer out of order), is ignored: the log
     * stays ordered by start, and a commit it would have resolved resolves to the newer entry, which is only
     * more conservative. The same position as the newest entry moves that entry's stamp to this later start.
     */
    synchronized void record(long pollStartNanos, long pollStartMillis, long lsn) {
      int n = lsns.length;
      if (n > 0 && pollStartNanos - startNanos[n - 1] <= 0) {
        return;
      }
      if (n > 0 && lsns[n - 1] == lsn) {
        startNanos = startNanos.clone();
        startMillis = startMillis.clone();
        startNanos[n - 1] = pollStartNanos;
        startMillis[n - 1] = pollStartMillis;
      } else {
        int from = n == capacity ? 1 : 0;
        startNanos = append(startNanos, from, pollStartNanos);
        startMillis = append(startMillis, from, pollStartMillis);
        lsns = append(lsns, from, lsn);
      }
      published = new PrimaryPositions(startNanos, startMillis, lsns, false);
    }

    /** The current immutable view (the same object until the next change). */
    PrimaryPositions view() {
      return published;
    }

    private static long[] append(long[] a, int from, long value) {
      long[] b = new long[a.length - from + 1];
      System.arraycopy(a, from, b, 0, a.length - from);
      b[b.length - 1] = value;
      return b;
    }
  }
}
