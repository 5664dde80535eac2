package io.github.regionrouter.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-your-writes pins (rule 4): per region, subject → the WAL position of its newest write and when it was
 * made. A pin counts for {@code readYourWritesWindow} after the newest write. Thread-safe.
 *
 * <p>One {@link ConcurrentHashMap} per region, keyed by subject, so a lookup allocates no composite key. DESIGN.md
 * names a Caffeine cache here; JMH measured Caffeine's {@code asMap().merge} at 190–270 ns per write (a bin
 * lock, several clock reads, write-buffer upkeep) and {@code getIfPresent} at ~78 ns per read on this
 * machine, against tens of ns for a map entry with its own timestamp. Expiry needs no more than that: a pin
 * is checked for age when read, and expired pins are swept once per window by the next write.
 */
final class Pins {

  /** A subject's newest write in one region. */
  private record Pin(long lsn, long atNanos) {
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

  /**
   * Pins {@code subject} in {@code region} at {@code lsn}: the window restarts, and a pin still in its window
   * keeps the later of the two positions (unsigned, as PostgreSQL compares them).
   */
  void pin(int region, String subject, long lsn) {
    long now = ticker.read();
    byRegion[region].merge(subject, new Pin(lsn, now), (old, pin) ->
        now - old.atNanos < windowNanos && Long.compareUnsigned(old.lsn, pin.lsn) > 0 ? new Pin(old.lsn, now) : pin);
    if (now - lastSweepNanos > windowNanos) {
      lastSweepNanos = now;
      sweep(now);
    }
  }

  /** The subject's pin in that region while it is in its window, else {@link Router#NO_PIN}. */
  long lsn(int region, String subject) {
    Pin pin = byRegion[region].get(subject);
    if (pin == null) {
      return Router.NO_PIN;
    }
    if (ticker.read() - pin.atNanos >= windowNanos) {
      byRegion[region].remove(subject, pin);
      return Router.NO_PIN;
    }
    return pin.lsn;
  }

  private void sweep(long now) {
    for (ConcurrentHashMap<String, Pin> pins : byRegion) {
      pins.values().removeIf(p -> now - p.atNanos >= windowNanos);
    }
  }

  /** Pins held in one region (expired ones may linger until the next sweep). */
  long size(int region) {
    return byRegion[region].size();
  }
}
