package io.github.regionrouter.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The verified-token cache never keeps a token past its exp, nor past the maximum time to live. */
class VerifiedTokenCacheTest {

  private final FakeTime time = new FakeTime(Instant.parse("2026-11-21T12:00:00Z"));

  private VerifiedRegion expiringIn(Duration duration) {
    return new VerifiedRegion("eu", "iss", "sub", time.instant().plus(duration));
  }

  @Test
  void anEntryExpiresAtItsTokensExp_whenThatComesBeforeTheMaximumTimeToLive() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(5), time, time);
    VerifiedRegion verified = expiringIn(Duration.ofSeconds(10));
    cache.put("t", verified);

    time.advance(Duration.ofMillis(9_999));
    assertThat(cache.get("t")).isSameAs(verified);
    time.advance(Duration.ofMillis(1));
    assertThat(cache.get("t")).as("at exp").isNull();
  }

  @Test
  void anEntryExpiresAfterTheMaximumTimeToLive_whenItsTokenLivesLonger() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofSeconds(60), time, time);
    cache.put("t", expiringIn(Duration.ofHours(1)));

    time.advance(Duration.ofSeconds(59));
    assertThat(cache.get("t")).isNotNull();
    time.advance(Duration.ofSeconds(1));
    assertThat(cache.get("t")).isNull();
  }

  @Test
  void readingNeverExtendsAnEntrysLife() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(5), time, time);
    cache.put("t", expiringIn(Duration.ofSeconds(3)));
    for (int i = 0; i < 29; i++) {
      time.advance(Duration.ofMillis(100));
      assertThat(cache.get("t")).isNotNull();
    }
    time.advance(Duration.ofMillis(100));
    assertThat(cache.get("t")).isNull();
  }

  @Test
  void aTokenAlreadyPastItsExp_isNotStored() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(5), time, time);
    cache.put("past", expiringIn(Duration.ofSeconds(-30))); // accepted within the clock skew, not cached
    cache.put("now", expiringIn(Duration.ZERO));
    assertThat(cache.get("past")).isNull();
    assertThat(cache.get("now")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void aFarFutureExp_isBoundedByTheMaximum_withoutOverflow() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(5), time, time);
    VerifiedRegion farFuture = new VerifiedRegion("eu", null, null, Instant.MAX);
    assertThat(cache.nanosToLive(farFuture)).isEqualTo(Duration.ofMinutes(5).toNanos());
  }

  @Test
  void theSizeIsBounded() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(5), time, time);
    for (int i = 0; i < 10_000; i++) {
      cache.put("token-" + i, expiringIn(Duration.ofMinutes(1)));
    }
    assertThat(cache.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void aMaximumSizeOfZero_disablesTheCache() {
    VerifiedTokenCache cache = new VerifiedTokenCache(0, Duration.ofMinutes(5), time, time);
    cache.put("t", expiringIn(Duration.ofMinutes(1)));
    assertThat(cache.get("t")).isNull();
  }

  @Test
  void throughTheResolver_onlySuccessfulVerificationsAreCached_andNeverPastExp() throws Exception {
    try (JwtRegionResolver resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256")
        .hmacSecret(TestKeys.HMAC_SECRET).clock(time).ticker(time).build()) {
      for (int i = 0; i < 50; i++) {
        String bad = Tokens.hs256(TestKeys.random(32), Tokens.claims(time).build());
        try {
          resolver.resolve(bad);
        } catch (InvalidTokenException expected) {
          // counted below
        }
      }
      assertThat(resolver.cache().size()).isZero();

      String good = Tokens.hs256(TestKeys.HMAC_SECRET, Tokens.claims(time)
          .expirationTime(java.util.Date.from(time.instant().plusSeconds(30))).build());
      VerifiedRegion verified = resolver.resolve(good);
      assertThat(resolver.cache().size()).isEqualTo(1);
      time.advance(Duration.ofSeconds(30));
      assertThat(resolver.cache().get(good)).as("gone at exp, although the resolver would still accept it "
          + "within the clock skew").isNull();
      assertThat(resolver.resolve(good)).isNotSameAs(verified).isEqualTo(verified);
      assertThat(resolver.cache().size()).as("not stored again: it is past its exp").isZero();
    }
  }
}
