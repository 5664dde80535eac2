package io.github.regionrouter.spring.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.spring.RegionRouterProperties;
import io.github.regionrouter.testing.PostgresTopology;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewInterceptor;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * DESIGN.md's example YAML ({@code application-design.yml}), and nothing else of region-router, in a Boot
 * app with Spring Data JPA, Flyway, Actuator and Boot's defaults (open-in-view on, default HikariCP
 * settings), checked over HTTP against the real topology: DESIGN.md's node names, eu primary and replica in
 * fra, us primary in iad with a replica in fra. Spring Security is left out here (the YAML's {@code jwt.*}
 * path); the same YAML plus Boot's resource-server properties runs as a second app on the same topology.
 */
@SpringBootTest(classes = AcceptanceApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {DesignYamlAcceptanceTest.NO_SECURITY, "spring.liquibase.enabled=false",
        "management.endpoints.web.exposure.include=health,regionrouter"})
@ActiveProfiles("design")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DesignYamlAcceptanceTest {

  static final String NO_SECURITY = "spring.autoconfigure.exclude="
      + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
      + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
      + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
      + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
      + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
      + "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration,"
      + "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web."
      + "OAuth2ResourceServerWebSecurityAutoConfiguration";

  private static final PostgresTopology topology = PostgresTopology.builder()
      .primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
      .primary("us-primary", "us", "iad").replica("us-replica-fra", "us-primary", "fra")
      .start();
  private static final Idp idp = new Idp();
  private static final String CONSISTENCY_KEY = Base64.getEncoder().encodeToString(
      "acceptance-consistency-key-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private static ConfigurableApplicationContext securityApp;

  @LocalServerPort
  int port;

  @Autowired
  DataSource dataSource;

  @Autowired
  RegionRouterProperties properties;

  @Autowired
  HealthContributorRegistry healthContributors;

  @Autowired
  MeterRegistry meterRegistry;

  @Autowired
  ApplicationContext context;

  @DynamicPropertySource
  static void placeholders(DynamicPropertyRegistry registry) {
    placeholders().forEach((name, value) -> registry.add(name, () -> value));
  }

  /** The values of the YAML's placeholders: URLs, user, secrets, the JWKS location. */
  static Map<String, String> placeholders() {
    return Map.of("DB_USER", topology.user(), "DB_PASSWORD", "not-checked-by-trust-auth",
        "DB_REPLICA_PASSWORD", "not-checked-either",
        "EU_PRIMARY_URL", topology.jdbcUrl("eu-primary"), "EU_REPLICA_URL", topology.jdbcUrl("eu-replica"),
        "US_PRIMARY_URL", topology.jdbcUrl("us-primary"), "US_REPLICA_FRA_URL", topology.jdbcUrl("us-replica-fra"),
        "JWKS_URI", idp.jwksUri(), "CONSISTENCY_KEY", CONSISTENCY_KEY);
  }

  @AfterAll
  static void stop() {
    if (securityApp != null) {
      securityApp.close();
    }
    idp.close();
    topology.close();
  }

  @Test
  void theDesignYamlBindsAsWritten_andBuildsTheRoutingDataSource() {
    assertThat(dataSource).isInstanceOf(RegionRoutingDataSource.class);
    assertThat(((RegionRoutingDataSource) dataSource).regions()).containsExactlyInAnyOrder("eu", "us");
    assertThat(properties.getDefaultRegion()).as("`default-region:` with no value means none").isNull();
    assertThat(properties.getPool().getUsername()).isEqualTo(topology.user());
    assertThat(properties.getPool().getMaximumPoolSize()).isEqualTo(10);
    assertThat(properties.getRegions().get("eu").getResidency()).containsExactly("fra", "ams");
    RegionRouterProperties.Node usReplica = properties.getRegions().get("us").getNodes().get("us-replica-fra");
    assertThat(usReplica.getRole()).isEqualTo(RegionRouterProperties.Role.REPLICA);
    assertThat(usReplica.getPassword()).isEqualTo("not-checked-either");
    assertThat(properties.getJwt().getAudiences()).containsExactly(Idp.AUDIENCE);
    assertThat(properties.getJwt().getUrlPatterns()).containsExactly("/api/*");
    assertThat(properties.getConsistency().isCookie()).isTrue();
    assertThat(properties.getHealth().getLagGrace()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aRequestWithoutATokenIsRefused401_sinceThereIsNoDefaultRegion() {
    HttpResponse<String> answer = client().get("/api/memos/1", null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
  }

  /** Browsers send no token on a CORS preflight; Spring MVC answers it, after every servlet filter. */
  @Test
  void aCorsPreflightIsAnsweredBySpringMvc_notRefusedForLackOfAToken() {
    HttpResponse<String> preflight = client().preflight("/api/memos", "https://app.example.com");

    assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
    HttpResponse<String> write = client().post("/api/memos?body=cors-" + UUID.randomUUID(), null);
    assertThat(write.statusCode()).as("the real request still needs its token").isEqualTo(401);
  }

  @Test
  void aVerifiedTokenOfAnUnknownRegionIsForbidden() {
    HttpResponse<String> answer = client().get("/api/memos/1", idp.token("hal", "apac"));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).isEqualTo("the token names a region this service does not serve (it serves: eu, us)\n");
  }

  @Test
  void healthGroupsAndTheSeedsPathsAnswerWithoutAToken_onTheMainServer() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (String path : List.of("/actuator/health/basic", "/actuator/health/db", "/actuator/health/full",
          "/health/basic", "/health/db", "/health/full")) {
        HttpResponse<String> answer = client().get(path, null);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        assertThat(answer.body()).as(path).contains("UP").contains("us-replica-fra");
      }
    });
    assertThat(client().get("/health/db", null).headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(healthContributors.getContributor("db")).as("Boot's plain db indicator is replaced").isNull();
    assertThat(healthContributors.getContributor("regionRouter")).isNotNull();
  }

  @Test
  void theHealthContributorIsNamedRegionRouter_andTheEndpointShowsTheStatus() {
    // Boot hides components of /actuator/health by default (show-components: never); the groups show theirs.
    HttpResponse<String> group = client().get("/actuator/health/db", null);
    HttpResponse<String> status = client().get("/actuator/regionrouter", null);

    assertThat(group.body()).contains("\"regionRouter\"");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"eu\":\"eu-primary\"").contains("\"us\":\"us-primary\"")
        .doesNotContain("jdbc:").doesNotContain("not-checked");
  }

  @Test
  void metricsGoToTheApplicationsMeterRegistry_withEveryNodesPoolMetrics() {
    client().post("/api/memos?body=metrics-" + UUID.randomUUID(), idp.token("mia", "eu"));

    assertThat(meterRegistry.find("regionrouter.node.up").gauges()).hasSize(4);
    assertThat(meterRegistry.find("regionrouter.connections").tag("node", "eu-primary").counters())
        .isNotEmpty();
    for (String node : List.of("eu-primary", "eu-replica", "us-primary", "us-replica-fra")) {
      assertThat(meterRegistry.find("hikaricp.connections.max").tag("pool", "regionrouter-" + node).gauge())
          .as("HikariCP metrics of " + node).isNotNull();
    }
  }

  @Test
  void flywayMigratedEveryRegionsPrimary() throws Exception {
    for (String primary : List.of("eu-primary", "us-primary")) {
      assertThat(count(primary, "flyway_schema_history", "version = '1' and success")).as(primary).isEqualTo(1);
    }
  }

  @Test
  void aWriteLandsOnItsRegionsPrimary_andItsResponseCarriesTheTokenAsHeaderAndCookie() throws Exception {
    String body = "design-us-" + UUID.randomUUID();

    HttpResponse<String> write = client().post("/api/memos?body=" + body, idp.token("bob", "us"));

    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    assertThat(write.headers().firstValue("X-Region-Consistency")).isPresent();
    assertThat(write.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
        .startsWith("region-consistency=").contains("HttpOnly").containsIgnoringCase("SameSite=Lax"));
    assertThat(count("us-primary", "note", "body = '" + body + "'")).isEqualTo(1);
    assertThat(count("eu-primary", "note", "body = '" + body + "'")).isZero();
  }

  /**
   * Boot's defaults left on (open-in-view, HikariCP's pool size 10), 8 threads of users of both regions for a
   * bounded time: each writes, then reads its own write (pinned: primary) while a reader of the same region
   * who did not write reads it too (replica), ten reads per write. No 5xx, no stale read
   * of one's own write, no row in the other region.
   */
  @Test
  void aMixedWorkloadOn8Threads_withBootsDefaults_hasNo500s() throws Exception {
    assertThat(context.getBeanNamesForType(OpenEntityManagerInViewInterceptor.class))
        .as("Boot's default: open-in-view on").isNotEmpty();
    String run = "load-" + UUID.randomUUID().toString().substring(0, 8);
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger staleOwnReads = new AtomicInteger();
    long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> users = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String region = t % 2 == 0 ? "eu" : "us";
      String token = idp.token(run + "-user-" + t, region);
      String readerToken = idp.token(run + "-reader-" + t, region);
      String prefix = run + "-" + region + "-";
      users.add(pool.submit(() -> {
        for (int i = 0; i < 400 && System.nanoTime() < deadline; i++) {
          String body = prefix + i;
          HttpResponse<String> write = client().post("/api/memos?body=" + body, token);
          statuses.computeIfAbsent(write.statusCode(), s -> new AtomicInteger()).incrementAndGet();
          Matcher id = ID.matcher(write.body());
          if (write.statusCode() != 200 || !id.find()) {
            continue;
          }
          for (int r = 0; r < 5; r++) {
            HttpResponse<String> read = client().get("/api/memos/" + id.group(1), token);
            statuses.computeIfAbsent(read.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (read.statusCode() == 200 && !read.body().contains("\"found\":\"" + body + "\"")) {
              staleOwnReads.incrementAndGet();
            }
            // A reader who did not write: not pinned, so the region's replica serves it.
            HttpResponse<String> other = client().get("/api/memos/" + id.group(1), readerToken);
            statuses.computeIfAbsent(other.statusCode(), s -> new AtomicInteger()).incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> user : users) {
      user.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    System.out.printf("acceptance load: statuses %s, stale own reads %d%n", statuses, staleOwnReads.get());
    assertThat(statuses.keySet()).as("HTTP statuses of the run").containsOnly(200);
    assertThat(staleOwnReads).hasValue(0);
    assertThat(count("eu-primary", "note", "body like '" + run + "-us-%'")).isZero();
    assertThat(count("us-primary", "note", "body like '" + run + "-eu-%'")).isZero();
    assertThat(count("eu-primary", "note", "body like '" + run + "-eu-%'")).isPositive();
  }

  // --- the same YAML with Spring Security's resource server verifying the tokens ---

  @Test
  void withSecurity_regionAndSubjectComeFromTheVerifiedJwt_withoutASecondVerification() {
    // Boot's resource server checks no issuer here; region-router's own resolver (jwt.issuer in the YAML)
    // would refuse this token. A 200 proves that region-router did not verify it again.
    String otherIssuer = "https://other-idp.example/";
    HttpResponse<String> answer = new Client(securityPort()).get("/api/whoami", idp.token(otherIssuer, "ada", "eu"));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("eu|" + otherIssuer + "|ada");
    assertThat(securityApp.getBeanNamesForType(JwtRegionResolver.class)).isEmpty();
  }

  @Test
  void withSecurity_anUnknownRegionIsForbidden_andNoTokenIsUnauthorized() {
    Client client = new Client(securityPort());

    HttpResponse<String> unknown = client.get("/api/memos/1", idp.token("eve", "apac"));
    HttpResponse<String> none = client.get("/api/memos/1", null);

    assertThat(unknown.statusCode()).isEqualTo(403);
    assertThat(unknown.body()).isEqualTo("the token names a region this service does not serve (it serves: eu, us)\n");
    assertThat(none.statusCode()).isEqualTo(401);
  }

  @Test
  void withSecurity_aWriteCarriesTheConsistencyTokenAsHeaderAndCookie() throws Exception {
    String body = "security-eu-" + UUID.randomUUID();

    HttpResponse<String> write = new Client(securityPort()).post("/api/memos?body=" + body, idp.token("cy", "eu"));

    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    assertThat(write.headers().firstValue("X-Region-Consistency")).isPresent();
    assertThat(write.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
        .startsWith("region-consistency=").contains("HttpOnly"));
    assertThat(count("eu-primary", "note", "body = '" + body + "'")).isEqualTo(1);
  }

  /**
   * Rule 5 across instances, one on each of the starter's paths: a write on this instance (its own JWT
   * filter) returns a consistency token; the Security instance, given the token, reads the write although
   * its replica is not replaying, and without it reads the replica and misses the write. (That instance
   * tolerates any lag, so only the token, not the lag bound, sends its read to the primary.)
   */
  @Test
  void aConsistencyTokenFromOneInstance_givesReadYourWritesOnTheOther() throws Exception {
    Client other = new Client(securityPort());
    topology.pauseReplay("eu-replica");
    try {
      String token = idp.token("dora", "eu");
      String body = "across-" + UUID.randomUUID();
      HttpResponse<String> write = client().post("/api/memos?body=" + body, token);
      assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
      String consistency = write.headers().firstValue("X-Region-Consistency").orElseThrow();
      Matcher id = ID.matcher(write.body());
      assertThat(id.find()).isTrue();
      String path = "/api/memos/" + id.group(1);

      HttpResponse<String> withToken = other.get(path, token, "X-Region-Consistency", consistency);
      assertThat(withToken.body()).as("read on the other instance with the token")
          .contains("\"found\":\"" + body + "\"");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(other.get(path, token).body()).as("without the token: the paused replica")
              .contains("\"found\":null"));
    } finally {
      topology.resumeReplay("eu-replica");
    }
  }

  /**
   * With Security, who may call the probes is the application's security chain's decision (Boot's
   * resource-server chain wants a token for every path); the region filter never refuses them: a verified
   * token without a region claim, which the filter answers 403 on the API, gets the probes.
   */
  @Test
  void withSecurity_theProbesNeverPassThroughTheRegionFilter() {
    Client client = new Client(securityPort());
    String noRegion = idp.token("probe", null);

    assertThat(client.get("/api/whoami", noRegion).statusCode()).isEqualTo(403);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (String path : List.of("/actuator/health/db", "/health/db")) {
        HttpResponse<String> answer = client.get(path, noRegion);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
      }
    });
  }

  private Client client() {
    return new Client(port);
  }

  /** A second instance of the app: the same YAML, with Boot's resource server configured by properties. */
  private static synchronized int securityPort() {
    if (securityApp == null) {
      Map<String, Object> props = new java.util.LinkedHashMap<>(placeholders());
      props.put("server.port", "0");
      props.put("spring.liquibase.enabled", "false");
      props.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", idp.jwksUri());
      props.put("spring.security.oauth2.resourceserver.jwt.audiences", Idp.AUDIENCE);
      securityApp = new SpringApplicationBuilder(AcceptanceApp.class).profiles("design").properties(props)
          .run("--region-router.max-replica-lag=10m");
    }
    return securityApp.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  private static long count(String node, String table, String where) throws SQLException {
    try (Connection c = topology.connect(node); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table + " where " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
