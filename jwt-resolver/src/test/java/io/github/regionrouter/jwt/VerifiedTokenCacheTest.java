package io.github.regionrouter.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache never keeps a token past its exp, nor past the maximum time to live; a hit needs
 * the whole token text; its size is bounded; it is safe under concurrent use.
 */
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

  @Test
  void aForgedTokenWithACopiedSignature_landsOnTheSameSlots_butNeverHits() throws Exception {
    try (JwtRegionResolver resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256")
        .hmacSecret(TestKeys.HMAC_SECRET).clock(time).ticker(time).build()) {
      JWTClaimsSet claims = Tokens.claims(time).build();
      String good = Tokens.hs256(TestKeys.HMAC_SECRET, claims);
      assertThat(resolver.resolve(good).region()).isEqualTo("eu");
      String[] parts = good.split("\\.");
      String usPayload = Tokens.b64(claims.toString().replace("\"eu\"", "\"us\""));
      String forged = parts[0] + "." + usPayload + "." + parts[2];
      assertThat(forged).hasSameSizeAs(good).isNotEqualTo(good);
      assertThat(VerifiedTokenCache.hash(forged)).as("same length and signature: the look-up finds the good "
          + "token's entry and must tell them apart by the full text").isEqualTo(VerifiedTokenCache.hash(good));

      assertThat(resolver.cache().get(forged)).isNull();
      assertThatThrownBy(() -> resolver.resolve(forged)).isInstanceOf(InvalidTokenException.class)
          .hasMessage("the token's signature is invalid");
      assertThat(resolver.resolve(good).region()).as("the good token is still cached").isEqualTo("eu");
      assertThat(resolver.cache().size()).isEqualTo(1);
    }
  }

  @Test
  void aTokenEqualInAllButOneCharacterBeforeItsSignature_misses() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(5), time, time);
    String token = "eyJhbGciOiJIUzI1NiJ9.eyJyZWdpb24iOiJldSJ9.c2lnbmF0dXJlLW9mLWVub3VnaC1sZW5ndGgtMDEyMzQ1Ng";
    cache.put(token, expiringIn(Duration.ofMinutes(1)));
    for (int i = 0; i < token.length() - VerifiedTokenCache.HASHED_CHARS; i++) {
      char[] chars = token.toCharArray();
      chars[i] = chars[i] == 'A' ? 'B' : 'A';
      assertThat(cache.get(new String(chars))).as("changed at %d", i).isNull();
    }
    assertThat(cache.get(new String(token.toCharArray()))).as("an equal copy").isNotNull();
  }

  @Test
  void anExpiredEntry_isNotServed_andLeavesItsSlot() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(5), time, time);
    cache.put("t", expiringIn(Duration.ofSeconds(1)));
    time.advance(Duration.ofSeconds(1));
    assertThat(cache.get("t")).isNull();
    assertThat(cache.size()).isZero();
    VerifiedRegion again = expiringIn(Duration.ofSeconds(1));
    cache.put("t", again);
    assertThat(cache.get("t")).as("stored again once verified again").isSameAs(again);
  }

  @Test
  void theSizeBoundIsExact_forAnyMaximumSize_andAFullCacheStillTakesNewTokens() {
    for (int maximumSize : new int[] {1, 2, 3, 5, 100, 1_000}) {
      VerifiedTokenCache cache = new VerifiedTokenCache(maximumSize, Duration.ofMinutes(5), time, time);
      for (int i = 0; i < 20 * maximumSize + 10; i++) {
        cache.put(signedLooking(i), expiringIn(Duration.ofMinutes(1)));
        VerifiedRegion last = expiringIn(Duration.ofMinutes(1));
        cache.put("newest-" + i, last);
        assertThat(cache.get("newest-" + i)).as("size %d, token %d", maximumSize, i).isSameAs(last);
      }
      assertThat(cache.size()).as("size %d", maximumSize).isEqualTo(maximumSize);
    }
  }

  @Test
  void halfAsManyTokensAsTheMaximumSize_allStayCached_onceTheirRequestsHaveRepeated() {
    // A token can be evicted before the cache is full, when its 4 slots are taken: about 1.5 % of the tokens
    // while 5,000 fill 10,000 slots. A token evicted so is verified and stored again at its next request,
    // evicting the oldest of its own 4 slots, which usually has room elsewhere: the table settles the way a
    // cuckoo table does, one move per miss. A hash of the length alone, or of characters the tokens share,
    // would keep 4 tokens here.
    VerifiedTokenCache cache = new VerifiedTokenCache(10_000, Duration.ofMinutes(5), time, time);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      tokens.add(signedLooking(i));
    }
    long[] hitsPerRound = new long[4];
    for (int round = 0; round < hitsPerRound.length; round++) {
      for (String token : tokens) {
        if (cache.get(token) != null) {
          hitsPerRound[round]++;
        } else {
          cache.put(token, expiringIn(Duration.ofMinutes(1)));
        }
      }
      time.advance(Duration.ofMillis(1));
    }
    assertThat(hitsPerRound[1]).as("after one round").isGreaterThanOrEqualTo(4_850);
    assertThat(hitsPerRound[3]).as("after three rounds").isGreaterThanOrEqualTo(4_990);
  }

  @Test
  void concurrentStoresAndHits_ofTokensThatShareTheirSlots_neverAnswerForAnotherToken() throws Exception {
    // 12 tokens with one hash (same length and signature): 4 slots hold at most 4, so stores keep evicting
    // each other while other threads read; a hit must always be the token's own verification.
    VerifiedTokenCache cache = new VerifiedTokenCache(64, Duration.ofMinutes(5), time, time);
    String signature = "c2lnbmF0dXJlLXNoYXJlZC1ieS1hbGwtb2YtdGhlbQ";
    List<String> tokens = new ArrayList<>();
    List<VerifiedRegion> verifications = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      tokens.add(String.format("header.payload-%02d.%s", i, signature));
      verifications.add(new VerifiedRegion(i % 2 == 0 ? "eu" : "us", "iss", "user-" + i,
          time.instant().plus(Duration.ofMinutes(1))));
    }
    assertThat(tokens.stream().mapToInt(VerifiedTokenCache::hash).distinct().count()).isEqualTo(1);

    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Long>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          long hits = 0;
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int n = 0; n < 200_000; n++) {
            int i = random.nextInt(tokens.size());
            String token = new String(tokens.get(i).toCharArray()); // a new string, as from a request
            VerifiedRegion cached = cache.get(token);
            if (cached == null) {
              cache.put(token, verifications.get(i));
            } else if (cached != verifications.get(i)) {
              throw new AssertionError("token " + i + " answered with " + cached);
            } else {
              hits++;
            }
          }
          return hits;
        }));
      }
      start.countDown();
      long hits = 0;
      for (Future<Long> result : results) {
        hits += result.get(60, TimeUnit.SECONDS);
      }
      assertThat(hits).as("the race was run with hits, not only misses").isPositive();
      assertThat(cache.size()).isLessThanOrEqualTo(4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentResolves_throughTheResolver_answerEachTokensOwnClaims_withinTheSizeBound() throws Exception {
    try (JwtRegionResolver resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256")
        .hmacSecret(TestKeys.HMAC_SECRET).clock(time).ticker(time).cacheMaximumSize(16).build()) {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        tokens.add(Tokens.hs256(TestKeys.HMAC_SECRET, Tokens.claims(time).subject("user-" + i)
            .claim("region", i % 2 == 0 ? "eu" : "us")
            .expirationTime(Date.from(time.instant().plus(Duration.ofMinutes(10)))).build()));
      }
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(pool.submit(() -> {
            start.await();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int n = 0; n < 5_000; n++) {
              // mostly a hot set that fits, sometimes a cold token that evicts
              int i = random.nextInt(10) < 8 ? random.nextInt(8) : random.nextInt(tokens.size());
              VerifiedRegion verified = resolver.resolve(new String(tokens.get(i).toCharArray()));
              if (!verified.subject().equals("user-" + i)
                  || !verified.region().equals(i % 2 == 0 ? "eu" : "us")) {
                throw new AssertionError("token " + i + " answered with " + verified);
              }
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> result : results) {
          result.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(resolver.cache().size()).isBetween(1L, 16L);
    }
  }

  /** A token-shaped string whose last part is random, like a signature. */
  private static String signedLooking(int i) {
    byte[] signature = new byte[32];
    RANDOM.nextBytes(signature);
    return "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLSIs" + i + "fQ."
        + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private static final SecureRandom RANDOM = new SecureRandom();
}
