package io.github.regionrouter.jwt;

import static io.github.regionrouter.jwt.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.Curve;
import io.github.regionrouter.jwt.InvalidTokenException.Reason;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys from a JWKS URL (a local JDK HttpServer that counts fetches): caching, the rate limit under a flood of
 * unknown key ids, key rotation, outages. Time is a fake clock shared by the resolver and nimbus's JWK set
 * cache, so nothing sleeps.
 */
class JwksKeySourceTest {

  private static final Duration RATE_LIMIT = Duration.ofSeconds(10);
  private static final Duration JWKS_TTL = Duration.ofSeconds(60);
  private static final Duration OUTAGE_TOLERANCE = Duration.ofMinutes(10);

  private final FakeTime time = FakeTime.now();
  private JwksServer jwks;
  private JwtRegionResolver resolver;

  @BeforeEach
  void start() throws Exception {
    jwks = new JwksServer(TestKeys.published());
    resolver = resolver(jwks.uri(), "RS256", "ES256", "HS256");
  }

  @AfterEach
  void stop() {
    resolver.close();
    jwks.close();
  }

  private JwtRegionResolver resolver(URI uri, String... algorithms) {
    return JwtRegionResolver.builder()
        .allowedAlgorithms(algorithms)
        .jwksUri(uri)
        .hmacSecret(TestKeys.HMAC_SECRET)
        .issuer(Tokens.ISSUER)
        .audiences(Tokens.AUDIENCE)
        .jwksCacheTimeToLive(JWKS_TTL)
        .jwksRefreshAhead(Duration.ofSeconds(5))
        .jwksRateLimit(RATE_LIMIT)
        .jwksOutageTolerance(OUTAGE_TOLERANCE)
        .clock(time)
        .ticker(time)
        .build();
  }

  private String rs256() {
    return Tokens.rs256(TestKeys.RSA, Tokens.claims(time).jwtID(UUID.randomUUID().toString()).build());
  }

  @Test
  void keysComeFromTheJwksUrl_fetchedOnceForManyTokens() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(resolver.resolve(rs256()).region()).isEqualTo("eu");
      assertThat(resolver.resolve(Tokens.es256(TestKeys.EC, Tokens.claims(time).jwtID("es" + i).build())).region())
          .isEqualTo("eu");
    }
    assertThat(jwks.fetches()).isEqualTo(1);
  }

  @Test
  void aFloodOfUnknownKeyIds_costsNoMoreFetchesThanTheRateLimitAllows() throws Exception {
    resolver.resolve(rs256()); // first fetch; opens the rate-limit interval
    assertThat(jwks.fetches()).isEqualTo(1);
    ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();

    List<InvalidTokenException.Reason> reasons = flood(attacker, 4, 250);
    assertThat(reasons).hasSize(1_000).containsOnly(Reason.UNKNOWN_KEY);
    // nimbus's limiter allows two fetches per interval: the first, and one refresh for an unknown key id.
    assertThat(jwks.fetches()).as("fetches after 1,000 unknown key ids").isEqualTo(2);

    time.advance(RATE_LIMIT);
    assertThat(flood(attacker, 4, 250)).containsOnly(Reason.UNKNOWN_KEY);
    assertThat(jwks.fetches()).as("fetches after the next interval's flood").isEqualTo(4);

    assertThat(resolver.resolve(rs256()).region()).as("genuine tokens still verify").isEqualTo("eu");
  }

  private List<Reason> flood(ECKey attacker, int threads, int perThread) throws Exception {
    ConcurrentLinkedQueue<Reason> reasons = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            ECKey withMadeUpKid = new ECKey.Builder(attacker).keyID(UUID.randomUUID().toString()).build();
            String token = Tokens.sign(JWSAlgorithm.ES256, withMadeUpKid, Tokens.claims(time).build());
            reasons.add(catchThrowableOfType(InvalidTokenException.class, () -> resolver.resolve(token)).reason());
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new ArrayList<>(reasons);
  }

  @Test
  void aRotatedKeyIsPickedUp_andTheWithdrawnKeyStopsVerifying() throws Exception {
    resolver.resolve(rs256());
    jwks.serve(TestKeys.RSA_ROTATED.toPublicJWK(), TestKeys.EC.toPublicJWK());

    String rotated = Tokens.rs256(TestKeys.RSA_ROTATED, Tokens.claims(time).build());
    assertThat(resolver.resolve(rotated).region()).isEqualTo("eu");
    assertThat(jwks.fetches()).as("the unknown key id caused one refresh").isEqualTo(2);

    assertInvalid(resolver, rs256(), Reason.UNKNOWN_KEY, "no key matches the token's algorithm and key id");
  }

  @Test
  void duringAJwksOutage_cachedKeysKeepVerifying_untilTheOutageToleranceEnds() throws Exception {
    resolver.resolve(rs256());
    jwks.fail(503);
    time.advance(JWKS_TTL.plusSeconds(1)); // the cached set has expired: the next use refetches, and fails

    assertThat(resolver.resolve(rs256()).region()).isEqualTo("eu");
    assertThat(jwks.fetches()).as("the refresh was attempted").isEqualTo(2);
    for (int i = 0; i < 10; i++) {
      assertThat(resolver.resolve(rs256()).region()).isEqualTo("eu");
    }

    // A key id we have never seen cannot be checked while the URL is down: that is our problem (503), not
    // the client's (401).
    KeySourceUnavailableException unknownDuringOutage = catchThrowableOfType(KeySourceUnavailableException.class,
        () -> resolver.resolve(Tokens.rs256(TestKeys.RSA_ROTATED, Tokens.claims(time).build())));
    assertThat(unknownDuringOutage.description()).isEqualTo(
        "the signing keys cannot be fetched right now and no cached key matches the token; try again later");

    time.advance(OUTAGE_TOLERANCE);
    KeySourceUnavailableException tooLong = catchThrowableOfType(KeySourceUnavailableException.class,
        () -> resolver.resolve(rs256()));
    assertThat(tooLong.description()).isEqualTo("the signing keys cannot be fetched right now; try again later");
    assertThat(tooLong.getCause()).isNotNull();

    jwks.serve(TestKeys.published());
    time.advance(RATE_LIMIT);
    assertThat(resolver.resolve(rs256()).region()).as("recovered").isEqualTo("eu");
  }

  @Test
  void anUnreachableJwksUrlWithNoCachedKey_isKeySourceUnavailable_everyTime() throws Exception {
    URI dead;
    try (JwksServer gone = new JwksServer(TestKeys.published())) {
      dead = gone.uri();
    }
    try (JwtRegionResolver cold = resolver(dead, "RS256")) {
      for (int i = 0; i < 5; i++) { // the first two attempt a fetch, the rest are rate-limited: all 503
        KeySourceUnavailableException e = catchThrowableOfType(KeySourceUnavailableException.class,
            () -> cold.resolve(rs256()));
        assertThat(e).as("attempt %d", i).isNotNull();
        assertThat(e.description()).startsWith("the signing keys cannot be fetched right now");
      }
    }
  }

  @Test
  void symmetricKeysPublishedInTheJwks_andPublicKeysAsHmacSecrets_neverVerify() throws Exception {
    OctetSequenceKey leaked = new OctetSequenceKeyGenerator(256).keyID("shared").generate();
    jwks.serveRaw(new JWKSet(List.of(TestKeys.RSA.toPublicJWK(), leaked)).toString(false));

    JWSHeader withLeakedKid = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("shared").build();
    assertInvalid(resolver, Tokens.sign(withLeakedKid, leaked.toByteArray(), Tokens.claims(time).build()),
        Reason.BAD_SIGNATURE, "the token's signature is invalid");
    JWSHeader withRsaKid = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build();
    assertInvalid(resolver, Tokens.sign(withRsaKid, TestKeys.rsaPublicKeyPem(), Tokens.claims(time).build()),
        Reason.BAD_SIGNATURE, "the token's signature is invalid");
    assertThat(resolver.resolve(rs256()).region()).isEqualTo("eu");
  }
}
