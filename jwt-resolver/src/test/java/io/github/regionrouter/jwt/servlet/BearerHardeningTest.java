package io.github.regionrouter.jwt.servlet;

import static io.github.regionrouter.jwt.Rejections.assertNotEchoed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.regionrouter.RegionDirectory;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.TestKeys;
import io.github.regionrouter.jwt.Tokens;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The findings of the independent attack suite (issue 14), over HTTP in a real embedded Tomcat: malformed
 * bearer headers are refused even where a default region serves anonymous requests, claim values are never
 * echoed, an empty {@code crit} and a future {@code iat} are refused, and the region directory moves a
 * subject after verification. Each answer is checked for status, exact challenge, that the application
 * was not reached, and that the filter counted it.
 */
class BearerHardeningTest {

  private static final Clock CLOCK = Clock.systemUTC();
  private static final String MARKER = "XXLEAKMARKER7";
  private static final String MALFORMED = "the Authorization header must be 'Bearer', one space and the token";

  private static JwtRegionResolver resolver;
  private static JwtRegionResolver mappedResolver;
  private static RegionRoutingFilter api;
  private static RegionRoutingFilter open;
  private static RegionRoutingFilter mapped;
  private static final Map<String, String> moves = new ConcurrentHashMap<>();
  private static TestApp app;
  private static ContextLeakDetector detector;
  private static EmbeddedTomcat tomcat;

  @BeforeAll
  static void start() throws Exception {
    resolver = JwtRegionResolver.builder().allowedAlgorithms("RS256", "HS256").jwkSet(TestKeys.published())
        .hmacSecret(TestKeys.HMAC_SECRET).issuer(Tokens.ISSUER).audiences(Tokens.AUDIENCE).build();
    mappedResolver = JwtRegionResolver.builder().allowedAlgorithms("RS256").jwkSet(TestKeys.published())
        .issuer(Tokens.ISSUER).regionMapping(Map.of("eu", "eu", "us", "us")).build();
    Set<String> regions = Set.of("eu", "us");
    RegionDirectory directory = subject -> {
      if (subject.endsWith("|broken")) {
        throw new IllegalStateException("directory table unreachable");
      }
      return Optional.ofNullable(moves.get(subject));
    };
    api = RegionRoutingFilter.builder().resolver(resolver).knownRegions(regions).regionDirectory(directory)
        .build();
    open = RegionRoutingFilter.builder().resolver(resolver).knownRegions(regions).defaultRegion("eu").build();
    mapped = RegionRoutingFilter.builder().resolver(mappedResolver).knownRegions(regions).build();
    app = new TestApp();
    detector = new ContextLeakDetector();
    tomcat = EmbeddedTomcat.start((classes, context) -> {
      EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
      context.addFilter("leakDetector", detector).addMappingForUrlPatterns(null, true, "/*");
      context.addFilter("api", api).addMappingForUrlPatterns(request, true, "/api/*");
      context.addFilter("open", open).addMappingForUrlPatterns(request, true, "/public/*");
      context.addFilter("mapped", mapped).addMappingForUrlPatterns(request, true, "/mapped/*");
      context.addServlet("app", app).addMapping("/api/*", "/public/*", "/mapped/*");
    });
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.close();
    resolver.close();
    mappedResolver.close();
  }

  @AfterEach
  void noContextLeaks() {
    assertThat(detector.leaks).isEmpty();
    moves.clear();
  }

  private static JWTClaimsSet.Builder claims() {
    return Tokens.claims(CLOCK).jwtID(UUID.randomUUID().toString());
  }

  private static String euUser() {
    return Tokens.rs256(TestKeys.RSA, claims().build());
  }

  /**
   * Sends the request and checks the answer came from the filter: status, exact challenge, no-store, the
   * one-line body, nothing of the token, the application not reached, and the filter's counter moved by one.
   */
  private static void assertRefused(RegionRoutingFilter filter, Callable<HttpResponse<String>> send, int status,
      String challenge, String description, String token) throws Exception {
    int reached = app.reached.get();
    long counted = filter.rejectedCount(status);
    HttpResponse<String> response = send.call();
    assertThat(response.statusCode()).isEqualTo(status);
    if (challenge == null) {
      assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    } else {
      assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(challenge);
    }
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(response.body()).isEqualTo(description + System.lineSeparator());
    assertNotEchoed(response.body(), token);
    assertNotEchoed(response.headers().map().toString(), token);
    assertThat(app.reached.get()).as("requests that reached the application").isEqualTo(reached);
    assertThat(filter.rejectedCount(status)).as("the filter's count of %d answers", status).isEqualTo(counted + 1);
  }

  private static List<String> malformedBearerHeaders(String token) {
    return List.of("Bearer\t" + token, "Bearer" + token, "bearer" + token, "Bearer  " + token,
        "Bearer " + token + " junk", "Bearer " + token + "\tjunk", "BEARER\t" + token,
        "Bearer " + token + " " + token);
  }

  @Test
  void aMalformedBearerHeader_is400InvalidRequest_evenWithADefaultRegion_andNeverReachesTheApp() throws Exception {
    String token = euUser();
    for (String header : malformedBearerHeaders(token)) {
      assertRefused(open, () -> tomcat.get("/public/whoami", "Authorization", header), 400,
          "Bearer error=\"invalid_request\", error_description=\"" + MALFORMED + "\"", MALFORMED, token);
      assertRefused(api, () -> tomcat.get("/api/whoami", "Authorization", header), 400,
          "Bearer error=\"invalid_request\", error_description=\"" + MALFORMED + "\"", MALFORMED, token);
    }
    String junkInside = "Bearer " + token + ",x=y";
    assertRefused(open, () -> tomcat.get("/public/whoami", "Authorization", junkInside), 401,
        "Bearer error=\"invalid_token\", error_description=\"the token is not a well-formed signed JWT\"",
        "the token is not a well-formed signed JWT", token);
    assertRefused(open, () -> tomcat.get("/public/whoami", "Authorization", "Bearer"), 400,
        "Bearer error=\"invalid_request\", error_description=\"the Authorization header has no bearer token\"",
        "the Authorization header has no bearer token", null);
  }

  @Test
  void anotherScheme_keepsTodaysBehaviour_theDefaultRegionWithNoSubject_or401() throws Exception {
    HttpResponse<String> basic = tomcat.get("/public/whoami", "Authorization", "Basic dXNlcjpwYXNz");
    assertThat(basic.statusCode()).isEqualTo(200);
    assertThat(basic.body()).isEqualTo("region=eu subject=- readAfter=-");
    assertRefused(api, () -> tomcat.get("/api/whoami", "Authorization", "Basic dXNlcjpwYXNz"), 401, "Bearer",
        "a bearer token is required", null);
    HttpResponse<String> wellFormed = tomcat.get("/public/whoami", "Authorization", "Bearer " + euUser());
    assertThat(wellFormed.body()).isEqualTo("region=eu subject=https://idp.test/|user-42 readAfter=-");
  }

  @Test
  void anUnmappedClaimValue_isNeverEchoed_inTheAnswer_norLoggedAboveDebug() throws Exception {
    String longValue = "\"\r\nINFO forged line " + "v".repeat(100) + "TAILMARKER";
    String leaky = Tokens.rs256(TestKeys.RSA, claims().claim("region", MARKER).build());
    String forging = Tokens.rs256(TestKeys.RSA, claims().claim("region", longValue).build());
    String description = "the token's 'region' claim names no region this service knows";
    String challenge = "Bearer error=\"insufficient_scope\", error_description=\"" + description + "\"";
    String log = capturingStderr(() -> {
      for (String token : List.of(leaky, forging)) {
        assertRefused(mapped, () -> tomcat.get("/mapped/whoami", "Authorization", "Bearer " + token), 403,
            challenge, description, token);
        HttpResponse<String> again = tomcat.get("/mapped/whoami", "Authorization", "Bearer " + token);
        assertThat(again.headers().map().toString() + again.body()).doesNotContain(MARKER).doesNotContain("vvvv");
      }
      return null;
    });
    List<String> lines = log.lines().filter(l -> l.contains(MARKER) || l.contains("vvvv")).toList();
    assertThat(lines).as("the claim values appear at DEBUG only").isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains(" DEBUG "));
    assertThat(log).contains("claim value \"" + MARKER + "\" is not in the region mapping")
        .contains("claim value \"\\u0022\\u000d\\u000aINFO forged line vvvv")
        .contains("... (" + longValue.length() + " characters) is not in the region mapping")
        .doesNotContain("TAILMARKER");
    assertThat(log.lines().filter(l -> l.startsWith("INFO forged line"))).as("no forged log line").isEmpty();
  }

  @Test
  void anEmptyCrit_andAnIatTenYearsAhead_are401InvalidToken() throws Exception {
    JWSHeader emptyCrit = JWSHeader.parse(Tokens.b64URL("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[]}"));
    String crit = Tokens.sign(emptyCrit, TestKeys.HMAC_SECRET, claims().build());
    assertRefused(api, () -> tomcat.get("/api/whoami", "Authorization", "Bearer " + crit), 401,
        "Bearer error=\"invalid_token\", error_description=\"the token's crit header is an empty list\"",
        "the token's crit header is an empty list", crit);
    String future = Tokens.rs256(TestKeys.RSA,
        claims().issueTime(Date.from(CLOCK.instant().plus(Duration.ofDays(3650)))).build());
    assertRefused(open, () -> tomcat.get("/public/whoami", "Authorization", "Bearer " + future), 401,
        "Bearer error=\"invalid_token\", error_description=\"the token is issued in the future (iat)\"",
        "the token is issued in the future (iat)", future);
  }

  @Test
  void theRegionDirectory_movesASubjectAfterVerification() throws Exception {
    String token = euUser();
    assertThat(tomcat.get("/api/whoami", "Authorization", "Bearer " + token).body())
        .as("no entry: the claim's region").isEqualTo("region=eu subject=https://idp.test/|user-42 readAfter=-");
    moves.put("https://idp.test/|user-42", "us");
    assertThat(tomcat.get("/api/whoami", "Authorization", "Bearer " + token).body())
        .as("moved after the token was issued: at once, despite the resolver's token cache")
        .isEqualTo("region=us subject=https://idp.test/|user-42 readAfter=-");
    String moved = "the caller's data is in a region this service does not serve (it serves: eu, us)";
    moves.put("https://idp.test/|user-42", "mars");
    assertRefused(api, () -> tomcat.get("/api/whoami", "Authorization", "Bearer " + token), 403,
        "Bearer error=\"insufficient_scope\", error_description=\"" + moved + "\"", moved, token);
    String broken = Tokens.rs256(TestKeys.RSA, claims().subject("broken").build());
    assertRefused(api, () -> tomcat.get("/api/whoami", "Authorization", "Bearer " + broken), 503, null,
        "the region directory cannot be read right now; try again later", broken);
    String invalid = Tokens.rs256(TestKeys.ATTACKER_RSA, claims().build());
    assertRefused(api, () -> tomcat.get("/api/whoami", "Authorization", "Bearer " + invalid), 401,
        "Bearer error=\"invalid_token\", error_description=\"the token's signature is invalid\"",
        "the token's signature is invalid", invalid);
    String noSubject = Tokens.rs256(TestKeys.RSA, claims().subject(null).build());
    assertThat(tomcat.get("/api/whoami", "Authorization", "Bearer " + noSubject).body())
        .as("no subject, nothing to look up").isEqualTo("region=eu subject=- readAfter=-");
  }

  @Test
  void builderSettings_areValidatedAtOnce() {
    assertThatThrownBy(() -> RegionRoutingFilter.builder().regionDirectory(s -> Optional.empty())
        .regionDirectory(s -> Optional.empty()))
        .isInstanceOf(IllegalStateException.class).hasMessage("regionDirectory was already set");
    assertThatThrownBy(() -> RegionRoutingFilter.builder().consistencyCookie(true).consistencyCookie(false))
        .isInstanceOf(IllegalStateException.class).hasMessage("consistencyCookie was already set");
    assertThatThrownBy(() -> RegionRoutingFilter.builder().consistencyCookiePath("app"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("consistencyCookiePath must start with '/' and "
            + "hold no white space, control character, ';' or ',': 'app'");
    assertThatThrownBy(() -> RegionRoutingFilter.builder().consistencyCookiePath("/a;Domain=evil.test"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("consistencyCookiePath must start");
    assertThatThrownBy(() -> RegionRoutingFilter.builder().regionDirectory(null))
        .isInstanceOf(NullPointerException.class).hasMessage("regionDirectory");
  }

  private static String capturingStderr(Callable<Void> action) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.call();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    original.print(log);
    return log;
  }
}
