package io.github.regionrouter.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Read-your-writes pins (rule 4): per region, subject → the WAL position of its newest write. Entries expire
 * {@code readYourWritesWindow} after the newest write. One Caffeine cache per region, keyed by subject, so
 * a lookup allocates no composite key. Thread-safe.
 */
final class Pins {

  private final Cache<String, Long>[] byRegion;

  @SuppressWarnings("unchecked")
  Pins(int regions, Duration window, Ticker ticker) {
    byRegion = new Cache[regions];
    for (int r = 0; r < regions; r++) {
      byRegion[r] = Caffeine.newBuilder().expireAfterWrite(window).ticker(ticker).build();
    }
  }

  /** Pins {@code subject} in {@code region} at {@code lsn}, keeping the later of this and an existing pin. */
  void pin(int region, String subject, long lsn) {
    byRegion[region].asMap().merge(subject, lsn, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
  }

  /** The subject's pin in that region, or {@link Router#NO_PIN}. */
  long lsn(int region, String subject) {
    Long lsn = byRegion[region].getIfPresent(subject);
    return lsn == null ? Router.NO_PIN : lsn;
  }

  /** Pins currently held (approximate: expired entries may linger until cleaned up). */
  long size() {
    long size = 0;
    for (Cache<String, Long> cache : byRegion) {
      size += cache.estimatedSize();
    }
    return size;
  }

  /** Pins currently held in one region. */
  long size(int region) {
    return byRegion[region].estimatedSize();
  }
}
