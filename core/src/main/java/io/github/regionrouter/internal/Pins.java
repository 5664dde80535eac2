package io.github.regionrouter.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Read-your-writes pins (rule 4): per region, subject → when its newest write committed (the ticker's
 * nanoseconds). The write's WAL position is not read when it commits — that would cost the write path a
 * round trip — but resolved on each pinned read from the monitor's primary polls
 * ({@link PrimaryPositions#afterNanos}). A pin counts for {@code readYourWritesWindow} after the newest
 * write. Thread-safe.
 *
 * <p>One {@link ConcurrentHashMap} per region, keyed by subject, so a lookup allocates no composite key. DESIGN.md
 * names a Caffeine cache here; JMH measured Caffeine's {@code asMap().merge} at 190–270 ns per write and
 * {@code getIfPresent} at ~78 ns per read on this machine, against tens of ns for a map entry with its own
 * timestamp. A subject's later write moves its entry's timestamp with one CAS (no allocation, no bin lock);
 * expired entries are swept once per window by the next write.
 */
final class Pins {

  /** No pin (or an expired one). */
  static final long NONE = Long.MIN_VALUE;
  /** A pin whose write may have committed at an unknown moment: only the primary can serve it. */
  static final long UNKNOWN = Long.MIN_VALUE + 1;

  /** A subject's newest commit in one region; {@link #NONE} once swept, so a late writer re-inserts. */
  private static final class Pin {
    private static final AtomicLongFieldUpdater<Pin> AT = AtomicLongFieldUpdater.newUpdater(Pin.class, "at");
    volatile long at;
    /** Set by a write whose commit is uncertain; stays while the pin lives (later writes restart its window). */
    volatile boolean unknown;

    Pin(long at) {
      this.at = at;
    }

    /** Moves the pin to {@code now} unless it holds a later commit already; false if it was swept. */
    boolean advance(long now) {
      while (true) {
        long cur = at;
        if (cur == NONE) {
          return false;
        }
        if (cur - now >= 0 || AT.compareAndSet(this, cur, now)) {
          return true;
        }
      }
    }
  }

  private final ConcurrentHashMap<String, Pin>[] byRegion;
  private final long windowNanos;
  private final Ticker ticker;
  private volatile long lastSweepNanos;

  @SuppressWarnings("unchecked")
  Pins(int regions, Duration window, Ticker ticker) {
    this.byRegion = new ConcurrentHashMap[regions];
    for (int r = 0; r < regions; r++) {
      byRegion[r] = new ConcurrentHashMap<>();
    }
    this.windowNanos = window.toNanos();
    this.ticker = ticker;
    this.lastSweepNanos = ticker.read();
  }

  /** Pins {@code subject} in {@code region}: it committed a write now. The window restarts. */
  void pin(int region, String subject) {
    long now = ticker.read();
    ConcurrentHashMap<String, Pin> pins = byRegion[region];
    Pin pin = pins.get(subject);
    if (pin == null || !pin.advance(now)) {
      pins.compute(subject, (k, old) -> old != null && old.advance(now) ? old : new Pin(now));
    }
    if (now - lastSweepNanos > windowNanos) {
      lastSweepNanos = now;
      sweep(now);
    }
  }

  /**
   * Pins {@code subject} in {@code region} for a write that may have committed at an unknown moment (its
   * connection was lost mid-commit): its reads go to the primary for the window.
   */
  void pinUnknown(int region, String subject) {
    long now = ticker.read();
    ConcurrentHashMap<String, Pin> pins = byRegion[region];
    Pin pin = pins.compute(subject, (k, old) -> old != null && old.advance(now) ? old : new Pin(now));
    pin.unknown = true;
  }

  /**
   * When the subject's newest write in that region committed, while in its window; {@link #UNKNOWN} when
   * a write of the pin's life had an uncertain commit; else {@link #NONE}.
   */
  long committedAt(int region, String subject) {
    Pin pin = byRegion[region].get(subject);
    if (pin == null) {
      return NONE;
    }
    long at = pin.at;
    if (at == NONE || ticker.read() - at >= windowNanos) {
      return NONE;
    }
    return pin.unknown ? UNKNOWN : at;
  }

  /**
   * Like {@link #committedAt} but without the window check, so without a clock read: {@link #NONE}, {@link #UNKNOWN}
   * (the window not checked: ask {@link #committedAt}), or a commit time that may already be out of the window
   * (ask {@link #live}). For a caller that needs the window only when the pin would change its answer.
   */
  long newestCommit(int region, String subject) {
    Pin pin = byRegion[region].get(subject);
    if (pin == null) {
      return NONE;
    }
    long at = pin.at;
    if (at == NONE) {
      return NONE;
    }
    return pin.unknown ? UNKNOWN : at;
  }

  /** Whether a commit at {@code at} (a time from {@link #newestCommit}) is still within the window; reads the clock. */
  boolean live(long at) {
    return ticker.read() - at < windowNanos;
  }

  private void sweep(long now) {
    for (ConcurrentHashMap<String, Pin> pins : byRegion) {
      pins.forEach((subject, pin) -> {
        long at = pin.at;
        // Retire it first, so a writer racing with the sweep re-inserts instead of moving a removed entry.
        if (at != NONE && now - at >= windowNanos && Pin.AT.compareAndSet(pin, at, NONE)) {
          pins.remove(subject, pin);
        }
      });
    }
  }

  /** Pins held in one region (expired ones may linger until the next sweep). */
  long size(int region) {
    return byRegion[region].size();
  }
}
