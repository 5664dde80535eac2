package io.github.regionrouter.internal;

/**
 * The WAL positions a region's primary reported, each with the time it was first seen: lag in time is
 * "now − when the primary first reported a position beyond the replica's replay position". An idle primary
 * reports no new position, so a replica that replayed everything shows zero lag — unlike
 * {@code now() - pg_last_xact_replay_timestamp()}, which grows forever on an idle primary.
 *
 * <p>A bounded ring; when it wraps, the lag of a replica older than the oldest entry is a lower bound, which
 * is already far beyond any sane {@code maxReplicaLag}. Not thread-safe: used by the monitor thread only.
 */
final class LagHistory {

  private final long[] lsns;
  private final long[] firstSeen;
  private int start;
  private int size;

  LagHistory(int capacity) {
    lsns = new long[capacity];
    firstSeen = new long[capacity];
  }

  /** Records a primary sample; only a position beyond the newest one is new. */
  void record(long lsn, long atNanos) {
    if (size > 0 && Long.compareUnsigned(lsn, lsns[index(size - 1)]) <= 0) {
      return;
    }
    if (size == lsns.length) {
      start = (start + 1) % lsns.length;
      size--;
    }
    int i = index(size);
    lsns[i] = lsn;
    firstSeen[i] = atNanos;
    size++;
  }

  /** Whether any primary position is known. */
  boolean isEmpty() {
    return size == 0;
  }

  /** The newest primary position, or 0 when none is known. */
  long newest() {
    return size == 0 ? 0 : lsns[index(size - 1)];
  }

  /** Lag in nanoseconds at {@code nowNanos} of a replica that replayed up to {@code replayLsn}. */
  long lagNanos(long replayLsn, long nowNanos) {
    for (int k = 0; k < size; k++) {
      int i = index(k);
      if (Long.compareUnsigned(lsns[i], replayLsn) > 0) {
        return Math.max(0, nowNanos - firstSeen[i]);
      }
    }
    return 0;
  }

  /** Forgets everything (the region's primary changed). */
  void clear() {
    start = 0;
    size = 0;
  }

  private int index(int k) {
    return (start + k) % lsns.length;
  }
}
