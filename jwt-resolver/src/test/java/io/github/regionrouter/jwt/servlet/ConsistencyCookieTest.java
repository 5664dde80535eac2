package io.github.regionrouter.jwt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.WritePosition;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import io.github.regionrouter.jwt.ConsistencyTokenCodec.Rejection;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.TestKeys;
import io.github.regionrouter.jwt.Tokens;
import jakarta.servlet.DispatcherType;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consistency cookie and subject binding over HTTP in a real embedded Tomcat: the cookie's attributes,
 * Secure everywhere but plain HTTP on loopback, the cookie alone carrying read-your-writes, another user's
 * token ignored and counted (cookie or header), and the newest of header and cookie winning.
 */
class ConsistencyCookieTest {

  private static final String HEADER = RegionRoutingFilter.DEFAULT_CONSISTENCY_HEADER;
  private static final String COOKIE = RegionRoutingFilter.CONSISTENCY_COOKIE;
  private static final byte[] KEY = "consistency-key-shared-by-all-instances".getBytes(StandardCharsets.US_ASCII);

  private static JwtRegionResolver resolver;
  private static ConsistencyTokenCodec codec;
  private static TestApp app;
  private static ContextLeakDetector detector;
  private static EmbeddedTomcat tomcat;

  @BeforeAll
  static void start() throws Exception {
    resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256").hmacSecret(TestKeys.HMAC_SECRET)
        .issuer(Tokens.ISSUER).build();
    codec = ConsistencyTokenCodec.builder().signingKey("k1", KEY).window(Duration.ofMillis(4_500)).build();
    RegionRoutingFilter withCookie = RegionRoutingFilter.builder().resolver(resolver).knownRegions(Set.of("eu", "us"))
        .defaultRegion("eu").consistencyTokens(codec).consistencyCookie(true).consistencyCookiePath("/app").build();
    RegionRoutingFilter headerOnly = RegionRoutingFilter.builder().resolver(resolver)
        .knownRegions(Set.of("eu", "us")).consistencyTokens(codec).build();
    app = new TestApp();
    detector = new ContextLeakDetector();
    tomcat = EmbeddedTomcat.start((classes, context) -> {
      EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
      context.addFilter("leakDetector", detector).addMappingForUrlPatterns(null, true, "/*");
      context.addFilter("withCookie", withCookie).addMappingForUrlPatterns(request, true, "/app/*");
      context.addFilter("headerOnly", headerOnly).addMappingForUrlPatterns(request, true, "/api/*");
      context.addServlet("app", app).addMapping("/app/*", "/api/*");
    });
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.close();
    resolver.close();
  }

  @AfterEach
  void noContextLeaks() {
    assertThat(detector.leaks).isEmpty();
  }

  private static String bearer(String subject) {
    return "Bearer " + Tokens.hs256(TestKeys.HMAC_SECRET, Tokens.claims(Clock.systemUTC()).subject(subject).build());
  }

  /** The value of our cookie in the response's Set-Cookie, or null. */
  private static String cookieOf(HttpResponse<String> response) {
    return setCookie(response.headers().allValues("Set-Cookie"));
  }

  private static String setCookie(List<String> setCookies) {
    for (String header : setCookies) {
      if (header.startsWith(COOKIE + "=")) {
        return header.substring(COOKIE.length() + 1, header.indexOf(';'));
      }
    }
    return null;
  }

  @Test
  void aWrite_setsAnHttpOnlySameSiteLaxCookie_withThePathAndTheWindowAsMaxAge_notSecureOnLoopback()
      throws Exception {
    HttpResponse<String> wrote = tomcat.get("/app/write", "Authorization", bearer("alice"));
    assertThat(wrote.statusCode()).isEqualTo(200);
    List<String> setCookies = wrote.headers().allValues("Set-Cookie");
    assertThat(setCookies).hasSize(1);
    String setCookie = setCookies.get(0);
    String token = wrote.headers().firstValue(HEADER).orElseThrow();
    assertThat(setCookie).startsWith(COOKIE + "=" + token + ";").contains("; Max-Age=5;").contains("; Path=/app")
        .contains("; HttpOnly").contains("; SameSite=Lax").doesNotContain("Secure");
    assertThat(codec.decode(token, "eu", "https://idp.test/|alice")).contains(new WritePosition("eu", TestApp.LSN));

    assertThat(tomcat.get("/app/whoami", "Authorization", bearer("alice")).headers().allValues("Set-Cookie"))
        .as("a request that did not write sets no cookie").isEmpty();
    assertThat(tomcat.get("/api/write", "Authorization", bearer("alice")).headers().allValues("Set-Cookie"))
        .as("the cookie is off unless enabled").isEmpty();
  }

  @Test
  void onAnyOtherHost_orBehindAProxy_theCookieIsSecure() throws Exception {
    String response = rawGet("/app/write", "app.example.com", bearer("alice"));
    assertThat(response).startsWith("HTTP/1.1 200");
    String setCookie = response.lines().filter(l -> l.regionMatches(true, 0, "Set-Cookie: " + COOKIE, 0, 12
        + COOKIE.length())).findFirst().orElseThrow();
    assertThat(setCookie).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Lax");
    assertThat(rawGet("/app/write", "localhost", bearer("alice"))).contains("HttpOnly").doesNotContain("Secure");
  }

  @Test
  void theCookieAlone_carriesReadYourWrites_forTheSameUser_andForRequestsWithNoSubject() throws Exception {
    String cookie = cookieOf(tomcat.get("/app/write", "Authorization", bearer("alice")));
    assertThat(tomcat.get("/app/whoami", "Authorization", bearer("alice"), "Cookie", COOKIE + "=" + cookie).body())
        .isEqualTo("region=eu subject=https://idp.test/|alice readAfter=eu@3/16B3748");
    assertThat(tomcat.get("/app/whoami", "Cookie", COOKIE + "=" + cookie).body())
        .as("no bearer token: default region, no subject").isEqualTo("region=eu subject=- readAfter=eu@3/16B3748");

    String anonymous = cookieOf(tomcat.get("/app/write?lsn=4/0"));
    assertThat(codec.decode(anonymous, "eu", "https://idp.test/|alice")).as("issued with no subject: unbound")
        .contains(new WritePosition("eu", WritePosition.parseLsn("4/0")));
  }

  @Test
  void anotherUsersToken_isIgnoredAndCounted_inACookieOrAHeader() throws Exception {
    HttpResponse<String> alice = tomcat.get("/app/write", "Authorization", bearer("alice"));
    String cookie = cookieOf(alice);
    String header = alice.headers().firstValue(HEADER).orElseThrow();
    long foreign = codec.rejectedCount(Rejection.FOREIGN_SUBJECT);
    int reached = app.reached.get();

    HttpResponse<String> bobWithCookie = tomcat.get("/app/whoami", "Authorization", bearer("bob"), "Cookie",
        COOKIE + "=" + cookie);
    assertThat(bobWithCookie.statusCode()).isEqualTo(200);
    assertThat(bobWithCookie.body()).isEqualTo("region=eu subject=https://idp.test/|bob readAfter=-");
    assertThat(codec.rejectedCount(Rejection.FOREIGN_SUBJECT)).isEqualTo(foreign + 1);

    HttpResponse<String> bobWithHeader = tomcat.get("/api/whoami", "Authorization", bearer("bob"), HEADER, header);
    assertThat(bobWithHeader.body()).isEqualTo("region=eu subject=https://idp.test/|bob readAfter=-");
    assertThat(codec.rejectedCount(Rejection.FOREIGN_SUBJECT)).isEqualTo(foreign + 2);
    assertThat(app.reached.get()).as("ignored, not refused: Bob's requests run").isEqualTo(reached + 2);
  }

  @Test
  void whenAHeaderAndACookieArrive_theNewestPositionWins() throws Exception {
    String older = cookieOf(tomcat.get("/app/write?lsn=5/100", "Authorization", bearer("alice")));
    String newer = cookieOf(tomcat.get("/app/write?lsn=5/200", "Authorization", bearer("alice")));
    assertThat(tomcat.get("/app/whoami", "Authorization", bearer("alice"), HEADER, older, "Cookie",
        COOKIE + "=" + newer).body()).endsWith("readAfter=eu@5/200");
    assertThat(tomcat.get("/app/whoami", "Authorization", bearer("alice"), HEADER, newer, "Cookie",
        COOKIE + "=" + older).body()).endsWith("readAfter=eu@5/200");
    long rejected = codec.rejectedCount();
    assertThat(tomcat.get("/app/whoami", "Authorization", bearer("alice"), HEADER, "tampered." + newer, "Cookie",
        COOKIE + "=" + older).body()).as("an invalid header does not hide a valid cookie").endsWith("readAfter=eu@5/100");
    assertThat(codec.rejectedCount(Rejection.MALFORMED)).isPositive();
    assertThat(codec.rejectedCount()).isEqualTo(rejected + 1);
  }

  @Test
  void aWriteKnownByItsCommitTime_travelsInTheTokenAndComesBackTheSame() throws Exception {
    long committedAt = System.currentTimeMillis() - 20;
    String token = cookieOf(tomcat.get("/app/write?committedAt=" + committedAt, "Authorization", bearer("alice")));
    assertThat(token.length()).isLessThan(60);
    assertThat(tomcat.get("/app/whoami", "Authorization", bearer("alice"), "Cookie", COOKIE + "=" + token).body())
        .endsWith("readAfter=" + WritePosition.committedAt("eu", committedAt));
  }

  /** A GET over a plain socket, so that the Host header can name any host while the connection is local. */
  private static String rawGet(String path, String host, String authorization) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", tomcat.uri("/").getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
