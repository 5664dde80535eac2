package io.github.regionrouter.jwt.servlet;

import static io.github.regionrouter.jwt.Rejections.assertNotEchoed;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.regionrouter.jwt.JwksServer;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.TestKeys;
import io.github.regionrouter.jwt.Tokens;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filter in a real embedded Tomcat, over HTTP: status codes, RFC 6750 challenges, bodies that never
 * echo the token, and a thread that holds no RegionContext after any request, failing ones included.
 */
class RegionRoutingFilterTest {

  private static final String REALM = "orders";
  private static final Clock CLOCK = Clock.systemUTC();

  private static JwksServer jwks;
  private static JwtRegionResolver resolver;
  private static JwtRegionResolver coldResolver;
  private static ContextLeakDetector detector;
  private static EmbeddedTomcat tomcat;

  @BeforeAll
  static void start() throws Exception {
    jwks = new JwksServer(TestKeys.published());
    resolver = JwtRegionResolver.builder()
        .allowedAlgorithms("RS256", "ES256", "HS256")
        .jwksUri(jwks.uri())
        .hmacSecret(TestKeys.HMAC_SECRET)
        .issuer(Tokens.ISSUER)
        .audiences(Tokens.AUDIENCE)
        .build();
    URI dead;
    try (JwksServer gone = new JwksServer(TestKeys.published())) {
      dead = gone.uri();
    }
    coldResolver = JwtRegionResolver.builder().allowedAlgorithms("RS256").jwksUri(dead).build();
    Set<String> regions = Set.of("eu", "us");
    RegionRoutingFilter api = RegionRoutingFilter.builder().resolver(resolver).knownRegions(regions).realm(REALM)
        .build();
    RegionRoutingFilter open = RegionRoutingFilter.builder().resolver(resolver).knownRegions(regions)
        .defaultRegion("eu").build();
    RegionRoutingFilter cold = RegionRoutingFilter.builder().resolver(coldResolver).knownRegions(regions).build();
    detector = new ContextLeakDetector();
    tomcat = EmbeddedTomcat.start((classes, servletContext) -> {
      EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
      servletContext.addFilter("leakDetector", detector).addMappingForUrlPatterns(null, true, "/*");
      servletContext.addFilter("regionRouting", api).addMappingForUrlPatterns(request, true, "/api/*");
      servletContext.addFilter("regionRoutingOpen", open).addMappingForUrlPatterns(request, true, "/public/*");
      servletContext.addFilter("regionRoutingCold", cold).addMappingForUrlPatterns(request, true, "/cold/*");
      servletContext.addServlet("app", new TestApp()).addMapping("/api/*", "/public/*", "/cold/*", "/unguarded/*");
    });
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.close();
    resolver.close();
    coldResolver.close();
    jwks.close();
  }

  @AfterEach
  void theThreadHoldsNoContextAfterAnyRequest() {
    assertThat(detector.requests.get()).isPositive();
    assertThat(detector.leaks).isEmpty();
  }

  private static JWTClaimsSet.Builder claims() {
    return Tokens.claims(CLOCK).jwtID(UUID.randomUUID().toString());
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    return tomcat.get(path, "Authorization", "Bearer " + token);
  }

  /** A 401/403/400 answer: status, exact challenge, a one-line body, and nothing of the token. */
  private static void assertRejected(HttpResponse<String> response, String token, int status, String challenge,
      String description) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(challenge);
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(response.body()).isEqualTo(description + System.lineSeparator());
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("no context");
    assertNotEchoed(response.body(), token);
    assertNotEchoed(response.headers().map().toString(), token);
  }

  private static void assertInvalidToken(String token, String description) throws Exception {
    assertRejected(get("/api/whoami", token), token, 401,
        "Bearer realm=\"orders\", error=\"invalid_token\", error_description=\"" + description + "\"", description);
  }

  @Test
  void validEs256Rs256AndHs256Tokens_runTheRequestInTheirRegion() throws Exception {
    for (String token : List.of(Tokens.es256(TestKeys.EC, claims().build()),
        Tokens.rs256(TestKeys.RSA, claims().build()), Tokens.hs256(TestKeys.HMAC_SECRET, claims().build()))) {
      HttpResponse<String> response = get("/api/whoami", token);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("region=eu subject=https://idp.test/|user-42 readAfter=-");
    }
    HttpResponse<String> us = get("/api/whoami", Tokens.es256(TestKeys.EC, claims().claim("region", "us").build()));
    assertThat(us.body()).isEqualTo("region=us subject=https://idp.test/|user-42 readAfter=-");
  }

  @Test
  void noBearerToken_is401WithABareChallenge() throws Exception {
    String challenge = "Bearer realm=\"orders\"";
    assertRejected(tomcat.get("/api/whoami"), null, 401, challenge, "a bearer token is required");
    assertRejected(tomcat.get("/api/whoami", "Authorization", "Basic dXNlcjpwYXNz"), null, 401, challenge,
        "a bearer token is required");
    assertRejected(tomcat.get("/api/whoami", "Authorization", "Digest username=\"x\""), null, 401, challenge,
        "a bearer token is required");
  }

  @Test
  void malformedAuthorization_is400InvalidRequest() throws Exception {
    String token = Tokens.rs256(TestKeys.RSA, claims().build());
    assertRejected(tomcat.get("/api/whoami", "Authorization", "Bearer " + token, "Authorization", "Bearer " + token),
        token, 400, "Bearer realm=\"orders\", error=\"invalid_request\", error_description=\"the request has more "
            + "than one Authorization header\"", "the request has more than one Authorization header");
    assertRejected(tomcat.get("/api/whoami", "Authorization", "Bearer"), null, 400,
        "Bearer realm=\"orders\", error=\"invalid_request\", error_description=\"the Authorization header has no "
            + "bearer token\"", "the Authorization header has no bearer token");
  }

  @Test
  void theSchemeIsCaseInsensitive() throws Exception {
    String token = Tokens.rs256(TestKeys.RSA, claims().build());
    assertThat(tomcat.get("/api/whoami", "Authorization", "bearer " + token).statusCode()).isEqualTo(200);
    assertThat(tomcat.get("/api/whoami", "Authorization", "BEARER " + token).statusCode()).isEqualTo(200);
    assertThat(tomcat.get("/api/whoami", "Authorization", "BeArEr " + token).statusCode()).isEqualTo(200);
  }

  @Test
  void algNone_andAlgorithmConfusion_are401() throws Exception {
    String payload = claims().build().toString();
    assertInvalidToken(Tokens.raw("{\"alg\":\"none\"}", payload, ""), "unsigned tokens (alg none) are not accepted");
    JWSHeader rsaKid = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build();
    assertInvalidToken(Tokens.sign(rsaKid, TestKeys.rsaPublicKeyPem(), claims().build()),
        "the token's signature is invalid");
    assertInvalidToken(Tokens.sign(rsaKid, TestKeys.rsaPublicKeyDer(), claims().build()),
        "the token's signature is invalid");
    assertInvalidToken(Tokens.sign(JWSAlgorithm.RS512, TestKeys.RSA, claims().build()),
        "the token's signing algorithm is not accepted (accepted: ES256, HS256, RS256)");
    assertInvalidToken(Tokens.rs256(TestKeys.ATTACKER_RSA, claims().build()), "the token's signature is invalid");
  }

  @Test
  void expiry_notBefore_issuerAndAudience_are401() throws Exception {
    Instant now = CLOCK.instant();
    assertInvalidToken(Tokens.rs256(TestKeys.RSA, claims().expirationTime(Date.from(now.minusSeconds(90))).build()),
        "the token has expired");
    assertThat(get("/api/whoami", Tokens.rs256(TestKeys.RSA,
        claims().expirationTime(Date.from(now.minusSeconds(30))).build())).statusCode())
        .as("expired 30 s ago: within the 60 s clock skew").isEqualTo(200);
    assertInvalidToken(Tokens.rs256(TestKeys.RSA, claims().notBeforeTime(Date.from(now.plusSeconds(120))).build()),
        "the token is not valid yet (nbf)");
    assertInvalidToken(Tokens.rs256(TestKeys.RSA, claims().issuer("https://evil.test/").build()),
        "the token's issuer is not accepted");
    assertInvalidToken(Tokens.rs256(TestKeys.RSA, claims().audience("billing-api").build()),
        "the token's audience does not include this service");
  }

  @Test
  void missingOrUnknownRegion_is403() throws Exception {
    String missing = Tokens.rs256(TestKeys.RSA, claims().claim("region", null).build());
    assertRejected(get("/api/whoami", missing), missing, 403, "Bearer realm=\"orders\", error=\"insufficient_scope\", "
        + "error_description=\"the token has no 'region' claim\"", "the token has no 'region' claim");
    String mars = Tokens.rs256(TestKeys.RSA, claims().claim("region", "mars").build());
    String description = "the token names a region this service does not serve (it serves: eu, us)";
    assertRejected(get("/api/whoami", mars), mars, 403, "Bearer realm=\"orders\", error=\"insufficient_scope\", "
        + "error_description=\"" + description + "\"", description);
  }

  @Test
  void oversizeJweAndGarbage_are401() throws Exception {
    String big = Tokens.rs256(TestKeys.RSA, claims().claim("padding", "x".repeat(9000)).build());
    assertThat(big.length()).isGreaterThan(8192);
    assertInvalidToken(big, "the token is longer than 8192 characters");

    EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
        claims().build());
    jwe.encrypt(new RSAEncrypter(TestKeys.RSA.toRSAPublicKey()));
    assertInvalidToken(jwe.serialize(), "encrypted tokens (JWE) are not accepted");

    assertInvalidToken("eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl", "the token's signature is invalid");
    for (String garbage : List.of("garbage", "a.b.c", "x$y.z%w.q",
        Tokens.raw("{\"alg\":\"RS256\"}", "{\"x\":" + "[".repeat(3000) + "]".repeat(3000) + "}", "c2ln"))) {
      assertInvalidToken(garbage, "the token is not a well-formed signed JWT");
    }
  }

  @Test
  void aFloodOfUnknownKeyIds_is401_andCostsAtMostTheRateLimitsFetches() throws Exception {
    get("/api/whoami", Tokens.rs256(TestKeys.RSA, claims().build())); // keys cached
    int before = jwks.fetches();
    ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();
    for (int i = 0; i < 50; i++) {
      ECKey madeUp = new ECKey.Builder(attacker).keyID(UUID.randomUUID().toString()).build();
      assertInvalidToken(Tokens.sign(JWSAlgorithm.ES256, madeUp, claims().build()),
          "no key matches the token's algorithm and key id");
    }
    assertThat(jwks.fetches() - before).as("JWKS fetches caused by 50 unknown key ids").isLessThanOrEqualTo(2);
  }

  @Test
  void anUnreachableJwksWithNoCachedKey_is503() throws Exception {
    String token = Tokens.rs256(TestKeys.RSA, claims().build());
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = get("/cold/whoami", token);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
      assertThat(response.body()).startsWith("the signing keys cannot be fetched right now");
      assertNotEchoed(response.body(), token);
    }
  }

  @Test
  void withADefaultRegion_noTokenRunsThere_butAnInvalidTokenIsStill401() throws Exception {
    HttpResponse<String> anonymous = tomcat.get("/public/whoami");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).isEqualTo("region=eu subject=- readAfter=-");

    String expired = Tokens.rs256(TestKeys.RSA,
        claims().expirationTime(Date.from(CLOCK.instant().minusSeconds(3600))).build());
    assertRejected(get("/public/whoami", expired), expired, 401,
        "Bearer error=\"invalid_token\", error_description=\"the token has expired\"", "the token has expired");
    assertThat(get("/public/whoami", Tokens.rs256(TestKeys.RSA, claims().claim("region", "us").build())).body())
        .isEqualTo("region=us subject=https://idp.test/|user-42 readAfter=-");
  }

  @Test
  void anApplicationThatLeaksAScope_stillLeavesTheThreadClean() throws Exception {
    String token = Tokens.rs256(TestKeys.RSA, claims().build());
    assertThat(get("/api/leak", token).body()).isEqualTo("leaked");
    assertThat(get("/api/whoami", token).body()).startsWith("region=eu ");
    assertThat(tomcat.get("/unguarded/whoami").body()).isEqualTo("no context");
  }

  @Test
  void anExceptionFromTheApplication_stillClosesTheContext() throws Exception {
    HttpResponse<String> response = get("/api/write-then-throw", Tokens.rs256(TestKeys.RSA, claims().build()));
    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void theLeakDetectorCatchesALeak_whenNothingClosesTheScope() throws Exception {
    // Proves the detector behind theThreadHoldsNoContextAfterAnyRequest() can fail: no RegionRoutingFilter
    // on /unguarded, so the leaked scope survives the request and is seen at the start of the next one.
    tomcat.get("/unguarded/leak");
    tomcat.get("/unguarded/cleanup"); // same (only) request thread: closes the leaked scope
    List<String> seen = List.copyOf(detector.leaks);
    detector.leaks.clear();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).startsWith("after /unguarded/leak: RegionContext[region=us, subject=leaker");
    assertThat(seen.get(1)).startsWith("at the start of /unguarded/cleanup: RegionContext[region=us");
    assertThat(tomcat.get("/unguarded/whoami").body()).isEqualTo("no context");
  }

  @Test
  void neverLogsAToken_evenAtDebugLevel() throws Exception {
    Instant now = CLOCK.instant();
    List<String> tokens = List.of(
        Tokens.rs256(TestKeys.RSA, claims().expirationTime(Date.from(now.minusSeconds(3600))).build()),
        Tokens.rs256(TestKeys.ATTACKER_RSA, claims().build()),
        Tokens.rs256(TestKeys.RSA, claims().claim("region", null).build()),
        Tokens.rs256(TestKeys.RSA, claims().claim("region", "mars").build()),
        Tokens.raw("{\"alg\":\"none\"}", claims().build().toString(), ""),
        Tokens.rs256(TestKeys.RSA, claims().build()));
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (String token : tokens) {
        get("/api/whoami", token);
        get("/cold/whoami", token);
      }
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    original.print(log);
    assertThat(log).as("debug logging is on, so this test sees the per-request lines")
        .contains("bearer token rejected: EXPIRED (the token has expired)");
    for (String token : tokens) {
      assertNotEchoed(log, token);
    }
  }

}
