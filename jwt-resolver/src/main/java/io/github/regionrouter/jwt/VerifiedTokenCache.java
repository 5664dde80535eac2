package io.github.regionrouter.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;

/**
 * Successful verifications, keyed by the token string, so that the next request with the same token costs
 * a hash look-up instead of a signature check.
 *
 * <p>An entry never outlives its token: each one expires after {@code min(exp - now, maximumTimeToLive)}
 * (a Caffeine {@link Expiry} per entry), and a token that is already past its {@code exp} (accepted within
 * the clock skew) is not stored at all. Only successful verifications are stored, so a flood of bad tokens
 * cannot fill it; its size is bounded all the same. The key is the whole token: a token that differs in
 * one character is a different entry and is verified in full.
 *
 * <p>Thread safety: safe for concurrent use (Caffeine).
 */
final class VerifiedTokenCache {

  private final Cache<String, VerifiedRegion> cache;
  private final Clock clock;
  private final long maximumNanos;

  /**
   * @param maximumSize       the most entries kept; 0 disables the cache
   * @param maximumTimeToLive the longest an entry lives, whatever its token's {@code exp}
   * @param clock             wall time, to compare with {@code exp}
   * @param ticker            Caffeine's time source, to age entries
   */
  VerifiedTokenCache(long maximumSize, Duration maximumTimeToLive, Clock clock, Ticker ticker) {
    this.clock = clock;
    this.maximumNanos = maximumTimeToLive.toNanos();
    this.cache = maximumSize == 0 ? null : Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .expireAfter(new UntilExpiry())
        .ticker(ticker)
        .build();
  }

  /** The cached verification of {@code token}, or null. */
  VerifiedRegion get(String token) {
    return cache == null ? null : cache.getIfPresent(token);
  }

  /** Stores a successful verification, unless its token has no time left. */
  void put(String token, VerifiedRegion verified) {
    if (cache != null && nanosToLive(verified) > 0) {
      cache.put(token, verified);
    }
  }

  /** How long {@code verified} may stay cached from now: never past its {@code exp}. */
  long nanosToLive(VerifiedRegion verified) {
    long untilExpiry;
    try {
      untilExpiry = Duration.between(clock.instant(), verified.expiresAt()).toNanos();
    } catch (ArithmeticException farFuture) { // exp centuries away: the maximum applies anyway
      untilExpiry = Long.MAX_VALUE;
    }
    return Math.max(0, Math.min(untilExpiry, maximumNanos));
  }

  /** Entries currently held (approximate, as Caffeine counts); for tests and diagnostics. */
  long size() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private final class UntilExpiry implements Expiry<String, VerifiedRegion> {
    @Override
    public long expireAfterCreate(String token, VerifiedRegion verified, long currentTime) {
      return nanosToLive(verified);
    }

    @Override
    public long expireAfterUpdate(String token, VerifiedRegion verified, long currentTime, long currentDuration) {
      return nanosToLive(verified);
    }

    @Override
    public long expireAfterRead(String token, VerifiedRegion verified, long currentTime, long currentDuration) {
      return currentDuration; // reading never extends an entry's life
    }
  }
}
