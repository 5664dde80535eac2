package io.github.regionrouter.jwt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import io.github.regionrouter.jwt.ConsistencyTokenCodec.Rejection;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.TestKeys;
import io.github.regionrouter.jwt.Tokens;
import io.github.regionrouter.testing.PostgresTopology;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser flow of issue 14 against real PostgreSQL streaming replication, with the EU replica's replay
 * paused so that it can only serve stale reads: {@code POST /owners/new} writes and answers 302, and the
 * browser follows the redirect with nothing but its cookie jar (no custom header, and here no bearer token:
 * the request runs in the default region with no subject, so no per-subject pin can help). The consistency
 * cookie must make every such GET see its write; the same flow without cookies must read stale data every
 * time, or the test proves nothing. Then another user's cookie, replayed, is ignored and counted.
 */
class BrowserReadYourWritesTest {

  private static final int ITERATIONS = 100;
  private static final byte[] KEY = "consistency-key-shared-by-all-instances".getBytes(StandardCharsets.US_ASCII);

  private static PostgresTopology topo;
  private static RegionRoutingDataSource dataSource;
  private static JwtRegionResolver resolver;
  private static ConsistencyTokenCodec codec;
  private static EmbeddedTomcat tomcat;

  @BeforeAll
  static void start() throws Exception {
    topo = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .start();
    try (Connection c = topo.connect("eu-primary"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE owners (n int PRIMARY KEY, name text NOT NULL)");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    dataSource = RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool("eu-primary"))
        .replica("eu-replica", "eu", "fra", pool("eu-replica"))
        .maxReplicaLag(Duration.ofMinutes(10)) // the paused replica must stay eligible: staleness is the point
        .monitorInterval(Duration.ofMillis(50))
        .build();
    awaitReplicaServesReads(dataSource);
    resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256").hmacSecret(TestKeys.HMAC_SECRET)
        .issuer(Tokens.ISSUER).build();
    codec = ConsistencyTokenCodec.builder().signingKey("k1", KEY).build();
    RegionRoutingFilter filter = RegionRoutingFilter.builder().resolver(resolver).knownRegions(dataSource.regions())
        .defaultRegion("eu").consistencyTokens(codec).consistencyCookie(true).build();
    tomcat = EmbeddedTomcat.start((classes, context) -> {
      context.addFilter("regionRouting", filter)
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
      context.addServlet("owners", new OwnersServlet(dataSource)).addMapping("/owners/*");
    });
  }

  private static HikariConfig pool(String node) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(topo.jdbcUrl(node));
    config.setUsername(topo.user());
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(3_000);
    return config;
  }

  /** Waits (bounded) until the monitor has seen the replica and reads go there. */
  @SuppressWarnings("try") // the scope is used by the data source, through the thread
  private static void awaitReplicaServesReads(DataSource ds) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try (RegionContext.Scope s = RegionContext.open("eu", "probe"); Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
          rs.next();
          if (rs.getBoolean(1)) {
            return;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("reads never reached eu-replica within 15 s");
      }
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (tomcat != null) {
      tomcat.close();
    }
    if (resolver != null) {
      resolver.close();
    }
    if (dataSource != null) {
      dataSource.close();
    }
    if (topo != null) {
      topo.close();
    }
  }

  private static HttpClient browser(boolean cookies) {
    return client(cookies, HttpClient.Redirect.NORMAL);
  }

  private static HttpClient client(boolean cookies, HttpClient.Redirect redirects) {
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).followRedirects(redirects);
    if (cookies) {
      builder.cookieHandler(new CookieManager());
    }
    return builder.build();
  }

  /** POSTs the form that creates owner {@code n}; the client follows the 302. Returns the final answer. */
  private static HttpResponse<String> createOwner(HttpClient browser, int n, String bearer) throws Exception {
    HttpRequest.Builder post = HttpRequest.newBuilder(tomcat.uri("/owners/new")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("n=" + n + "&name=owner-" + n));
    if (bearer != null) {
      post.header("Authorization", bearer);
    }
    return browser.send(post.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBrowserFollowingTheRedirectAfterAWrite_seesTheWrite_withOnlyItsCookieJar_replayPaused() throws Exception {
    HttpClient withCookies = browser(true);
    HttpClient withoutCookies = browser(false);
    long rejected = codec.rejectedCount();
    topo.pauseReplay("eu-replica");
    try {
      int seen = 0;
      for (int n = 0; n < ITERATIONS; n++) {
        HttpResponse<String> page = createOwner(withCookies, n, null);
        HttpResponse<String> redirect = page.previousResponse().orElseThrow();
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().allValues("Set-Cookie")).singleElement().asString()
            .startsWith(RegionRoutingFilter.CONSISTENCY_COOKIE + "=").contains("HttpOnly").contains("SameSite=Lax");
        assertThat(page.request().method()).isEqualTo("GET");
        assertThat(page.request().headers().firstValue(RegionRoutingFilter.DEFAULT_CONSISTENCY_HEADER))
            .as("a browser sends no custom header on a redirect").isEmpty();
        if (page.statusCode() == 200 && page.body().equals("owner-" + n)) {
          seen++;
        }
      }

      int staleWithoutCookies = 0;
      for (int n = ITERATIONS; n < 2 * ITERATIONS; n++) {
        HttpResponse<String> page = createOwner(withoutCookies, n, null);
        assertThat(page.previousResponse().orElseThrow().statusCode()).isEqualTo(302);
        if (page.statusCode() == 404) {
          staleWithoutCookies++;
        }
      }
      System.out.printf("browser flow, replay paused: %d/%d redirects saw their write with the cookie jar, "
          + "%d/%d stale without cookies%n", seen, ITERATIONS, staleWithoutCookies, ITERATIONS);
      assertThat(seen).as("GETs after the redirect that saw their write, cookie jar only").isEqualTo(ITERATIONS);
      assertThat(staleWithoutCookies).as("stale without cookies (else this test proves nothing)")
          .isEqualTo(ITERATIONS);
      assertThat(codec.rejectedCount()).as("tokens ignored").isEqualTo(rejected);
    } finally {
      topo.resumeReplay("eu-replica");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(30));
  }

  @Test
  void anotherUsersCookie_replayed_isIgnoredAndCounted_andReadsStale() throws Exception {
    String alice = "Bearer " + Tokens.hs256(TestKeys.HMAC_SECRET,
        Tokens.claims(Clock.systemUTC()).subject("alice").build());
    String bob = "Bearer " + Tokens.hs256(TestKeys.HMAC_SECRET, Tokens.claims(Clock.systemUTC()).subject("bob").build());
    HttpClient plain = client(false, HttpClient.Redirect.NEVER);
    topo.pauseReplay("eu-replica");
    try {
      for (int n = 10_000; n < 10_010; n++) {
        HttpRequest post = HttpRequest.newBuilder(tomcat.uri("/owners/new")).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", alice)
            .POST(HttpRequest.BodyPublishers.ofString("n=" + n + "&name=owner-" + n)).build();
        HttpResponse<String> created = plain.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(302);
        String cookie = created.headers().allValues("Set-Cookie").get(0).split(";", 2)[0];

        long foreign = codec.rejectedCount(Rejection.FOREIGN_SUBJECT);
        HttpResponse<String> replayed = plain.send(HttpRequest.newBuilder(tomcat.uri("/owners/" + n))
            .header("Authorization", bob).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).as("Bob with Alice's cookie reads the paused replica").isEqualTo(404);
        assertThat(codec.rejectedCount(Rejection.FOREIGN_SUBJECT)).isEqualTo(foreign + 1);

        HttpResponse<String> own = plain.send(HttpRequest.newBuilder(tomcat.uri("/owners/" + n))
            .header("Authorization", alice).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).as("Alice with her own cookie").isEqualTo(200);
      }
    } finally {
      topo.resumeReplay("eu-replica");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(30));
  }

  /** The application: a form that creates an owner and redirects to its page, and the page. */
  private static final class OwnersServlet extends HttpServlet {
    private final transient DataSource ds;

    OwnersServlet(DataSource ds) {
      this.ds = ds;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      int n = Integer.parseInt(request.getParameter("n"));
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO owners (n, name) VALUES (?, ?)")) {
        ps.setInt(1, n);
        ps.setString(2, request.getParameter("name"));
        ps.executeUpdate();
      } catch (SQLException e) {
        throw new IOException(e);
      }
      response.sendRedirect("/owners/" + n);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      int n = Integer.parseInt(request.getPathInfo().substring(1));
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM owners WHERE n = ?")) {
          ps.setInt(1, n);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              response.getWriter().print(rs.getString(1));
            } else {
              response.sendError(404);
            }
          }
        }
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }
}
