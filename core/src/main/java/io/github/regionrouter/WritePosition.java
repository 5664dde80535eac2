package io.github.regionrouter;

import io.github.regionrouter.internal.UserText;
import java.util.Objects;

/**
 * Where a write is known to be in a region's write-ahead log: a PostgreSQL LSN observed on the region's
 * primary <em>after</em> the write committed. A replica whose replay position is at or past it has the
 * write; that is how read-your-writes is proven instead of guessed.
 *
 * <p>The LSN is the 64-bit value PostgreSQL prints as {@code X/Y} (high and low 32 bits in hex).
 * {@link #UNKNOWN_LSN} stands for "the write happened but its position could not be read": no replica can
 * prove it has it, so reads go to the primary until the read-your-writes window ends.
 *
 * <p>A write may also be known only by when it committed ({@link #committedAt(String, long)}): the write
 * path pays no round trip for its position (rule 4), which is then resolved from the first primary position
 * the monitor observed in a poll that started after the commit. Until that is known only the primary can
 * serve the writer's reads.
 *
 * <p>A commit time names the clock that read it ({@link #clockId()}): the routing data source that recorded the
 * commit stamps its own random id, and a consistency token carries it. A data source resolves a commit time
 * read on its own clock exactly; one read on another clock (another app instance, or an id of {@code 0}: not
 * known) only after a clock-skew margin, since the two clocks may disagree.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param region            the region whose primary took the write
 * @param lsn               the WAL position, as an unsigned 64-bit value, or {@link #UNKNOWN_LSN}
 * @param committedAtMillis when the write committed (epoch milliseconds, wall clock), or {@code 0} when not
 *                          known; meaningful when {@code lsn} is {@link #UNKNOWN_LSN}
 * @param clockId           the id of the clock that read {@code committedAtMillis} (a routing data source's
 *                          random id), or {@code 0} when not known; an opaque value to carry, never to make up
 */
public record WritePosition(String region, long lsn, long committedAtMillis, long clockId) {

  /** Stands for a write whose position is unknown: only the primary can serve the writer's reads. */
  public static final long UNKNOWN_LSN = -1L; // 0xFFFFFFFF/FFFFFFFF: past every real position, unsigned

  /**
   * @throws NullPointerException     if {@code region} is null
   * @throws IllegalArgumentException if {@code region} is blank
   */
  public WritePosition {
    Objects.requireNonNull(region, "region");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    if (committedAtMillis < 0) {
      throw new IllegalArgumentException("committedAtMillis must not be negative: " + committedAtMillis);
    }
  }

  /**
   * A position whose commit time, if any, was read on an unknown clock ({@link #clockId()} {@code 0}).
   *
   * @throws NullPointerException     if {@code region} is null
   * @throws IllegalArgumentException if {@code region} is blank or {@code committedAtMillis} is negative
   */
  public WritePosition(String region, long lsn, long committedAtMillis) {
    this(region, lsn, committedAtMillis, 0L);
  }

  /**
   * A position known by its LSN.
   *
   * @throws NullPointerException     if {@code region} is null
   * @throws IllegalArgumentException if {@code region} is blank
   */
  public WritePosition(String region, long lsn) {
    this(region, lsn, 0L);
  }

  /**
   * A write known only by its commit time (wall clock): its LSN is resolved later from the monitor's first
   * primary poll that started after it.
   *
   * @throws NullPointerException     if {@code region} is null
   * @throws IllegalArgumentException if {@code region} is blank or {@code epochMillis} is not positive
   */
  public static WritePosition committedAt(String region, long epochMillis) {
    if (epochMillis <= 0) {
      throw new IllegalArgumentException("epochMillis must be positive: " + epochMillis);
    }
    return new WritePosition(region, UNKNOWN_LSN, epochMillis, 0L);
  }

  /**
   * A write known only by its commit time, read on the clock {@code clockId} names (see {@link #clockId()});
   * what a routing data source records, and what a consistency token carries back.
   *
   * @throws NullPointerException     if {@code region} is null
   * @throws IllegalArgumentException if {@code region} is blank or {@code epochMillis} is not positive
   */
  public static WritePosition committedAt(String region, long epochMillis, long clockId) {
    if (epochMillis <= 0) {
      throw new IllegalArgumentException("epochMillis must be positive: " + epochMillis);
    }
    return new WritePosition(region, UNKNOWN_LSN, epochMillis, clockId);
  }

  /** Returns whether the LSN is known (not {@link #UNKNOWN_LSN}). */
  public boolean isResolved() {
    return lsn != UNKNOWN_LSN;
  }

  /** Returns whether this position is {@link #UNKNOWN_LSN}. */
  public boolean isUnknown() {
    return lsn == UNKNOWN_LSN;
  }

  /**
   * Returns whether a node that has replayed up to {@code replayLsn} has this write.
   * Compares as unsigned 64-bit numbers, as PostgreSQL does.
   */
  public boolean isReplayedBy(long replayLsn) {
    return Long.compareUnsigned(replayLsn, lsn) >= 0 && !isUnknown();
  }

  /**
   * Returns the later of two positions of the same region. An unresolved position wins over a resolved one
   * (it is the conservative one); of two positions known by commit time the later commit wins (it resolves
   * to a primary position at or past the earlier one's), and a position with no commit time wins over both.
   * Two commit times read on different clocks are not comparable exactly: the later one is kept with clock
   * id {@code 0}, so it resolves only after the clock-skew margin, which covers the other one too.
   *
   * @throws IllegalArgumentException if the regions differ
   */
  public WritePosition max(WritePosition other) {
    if (other == null) {
      return this;
    }
    if (!region.equals(other.region)) {
      throw new IllegalArgumentException("cannot compare positions of regions " + UserText.quote(region)
          + " and " + UserText.quote(other.region));
    }
    if (isUnknown() && other.isUnknown()) {
      if (committedAtMillis == 0 || other.committedAtMillis == 0) {
        return committedAtMillis == 0 ? this : other;
      }
      WritePosition later = committedAtMillis >= other.committedAtMillis ? this : other;
      return clockId == other.clockId || later.clockId == 0 ? later
          : new WritePosition(region, UNKNOWN_LSN, later.committedAtMillis, 0L);
    }
    return Long.compareUnsigned(lsn, other.lsn) >= 0 ? this : other;
  }

  /** Formats an LSN the way PostgreSQL does, e.g. {@code 0/16B3748}. */
  public static String formatLsn(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
  }

  /**
   * Parses an LSN in PostgreSQL's {@code X/Y} form.
   *
   * @throws IllegalArgumentException if {@code text} is not of that form
   */
  public static long parseLsn(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
      throw new IllegalArgumentException("not a PostgreSQL LSN (expected X/Y in hex): " + UserText.quote(text));
    }
    try {
      long hi = Long.parseLong(text, 0, slash, 16);
      long lo = Long.parseLong(text, slash + 1, text.length(), 16);
      return (hi << 32) | lo;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a PostgreSQL LSN (expected X/Y in hex): " + UserText.quote(text),
          e);
    }
  }

  @Override
  public String toString() {
    if (!isUnknown()) {
      return region + "@" + formatLsn(lsn);
    }
    return region + "@" + (committedAtMillis > 0 ? "committed " + java.time.Instant.ofEpochMilli(committedAtMillis)
        : "unknown");
  }
}
