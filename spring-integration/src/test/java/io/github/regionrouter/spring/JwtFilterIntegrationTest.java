package io.github.regionrouter.spring;

import static io.github.regionrouter.spring.HmacTokens.token;
import static io.github.regionrouter.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.spring.notes.NotesApp;
import io.github.regionrouter.testing.PostgresTopology;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Boot app with Spring Data JPA, Flyway and open-in-view on, configured by {@code region-router.*}
 * properties only, without Spring Security: the starter's JWT filter verifies the tokens. Over the real
 * topology: eu and us primaries with a replica each.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    NoSecurity.EXCLUDE,
    "spring.liquibase.enabled=false",
    "region-router.jwt.algorithms=HS256",
    "region-router.jwt.issuer=" + HmacTokens.ISSUER,
    "region-router.jwt.url-patterns=/api/*",
    "region-router.consistency.cookie=true",
    "region-router.default-region=eu",
    // A paused replica stays eligible for reads, so the read-your-writes tests prove the pin and the cookie,
    // not the lag bound.
    "region-router.max-replica-lag=10m",
    "management.endpoints.web.exposure.include=health,regionrouter",
    "management.endpoint.health.show-details=always"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class JwtFilterIntegrationTest {

  private static final PostgresTopology topology = TestTopology.start();
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  @LocalServerPort
  int port;

  @Autowired
  DataSource dataSource;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestTopology.register(topology, registry);
    registry.add("region-router.jwt.hmac-secret", () -> HmacTokens.SECRET_BASE64);
    registry.add("region-router.consistency.signing-keys.k1",
        () -> Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k'));
  }

  @AfterAll
  static void stopTopology() {
    topology.close();
  }

  @Test
  void theApplicationsDataSourceIsTheRoutingDataSource_builtFromPropertiesAlone() {
    assertThat(dataSource).isInstanceOf(RegionRoutingDataSource.class);
    assertThat(((RegionRoutingDataSource) dataSource).regions()).containsExactlyInAnyOrder("eu", "us");
  }

  @Test
  void flywayMigratedEveryRegionsPrimary() throws Exception {
    for (String primary : new String[] {"eu-primary", "us-primary"}) {
      assertThat(TestTopology.hasTable(topology, primary, "note")).as(primary).isTrue();
      assertThat(TestTopology.count(topology, primary, "flyway_schema_history", "version = '1' and success"))
          .as("flyway runs on " + primary).isEqualTo(1);
    }
  }

  @Test
  void writesLandOnThePrimaryOfTheTokensRegion() throws Exception {
    String euBody = "eu-" + UUID.randomUUID();
    String usBody = "us-" + UUID.randomUUID();

    assertThat(new Http(port).post("/api/notes?body=" + euBody, bearer(token("ada", "eu"))).statusCode())
        .isEqualTo(200);
    assertThat(new Http(port).post("/api/notes?body=" + usBody, bearer(token("bob", "us"))).statusCode())
        .isEqualTo(200);

    assertThat(TestTopology.count(topology, "eu-primary", "note", "body = '" + euBody + "'")).isEqualTo(1);
    assertThat(TestTopology.count(topology, "us-primary", "note", "body = '" + euBody + "'")).isZero();
    assertThat(TestTopology.count(topology, "us-primary", "note", "body = '" + usBody + "'")).isEqualTo(1);
    assertThat(TestTopology.count(topology, "eu-primary", "note", "body = '" + usBody + "'")).isZero();
  }

  @Test
  void repositoryReadsGoToTheRegionsReplica() {
    long id = create("ada", "eu", "read-" + UUID.randomUUID());
    topology.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    int replicaPort = topology.node("eu-replica").port();

    // Another subject: not pinned by ada's write, so the (caught-up) replica serves it.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> read = new Http(port).get("/api/notes/" + id, bearer(token("cy", "eu")));
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).contains("\"replica\":true").contains("\"port\":" + replicaPort)
          .contains("\"found\":\"read-");
    });
  }

  @Test
  void aWriterReadsItsWrite_whileTheReplicaIsNotReplaying() {
    topology.pauseReplay("eu-replica");
    try {
      String body = "ryw-" + UUID.randomUUID();
      long id = create("dee", "eu", body);

      HttpResponse<String> own = new Http(port).get("/api/notes/" + id, bearer(token("dee", "eu")));
      assertThat(own.body()).contains("\"found\":\"" + body + "\"").contains("\"replica\":false");

      // The replica really is behind: a subject that did not write reads it there and misses the row.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        HttpResponse<String> other = new Http(port).get("/api/notes/" + id, bearer(token("eve", "eu")));
        assertThat(other.body()).contains("\"replica\":true").contains("\"found\":null");
      });
    } finally {
      topology.resumeReplay("eu-replica");
    }
  }

  @Test
  void theResponseOfAWriteCarriesAConsistencyToken_withOpenInView() {
    HttpResponse<String> write = new Http(port).post("/api/notes?body=token-" + UUID.randomUUID(),
        bearer(token("fay", "eu")));

    assertThat(write.statusCode()).isEqualTo(200);
    assertThat(write.headers().firstValue("X-Region-Consistency")).isPresent();
  }

  @Test
  void openInView_aReadThenAWriteInOneRequest_eachGoesWhereItsTransactionSays() throws Exception {
    long earlier = create("kim", "eu", "earlier-" + UUID.randomUUID());
    topology.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    String body = "after-read-" + UUID.randomUUID();

    // Another subject than the writer of `earlier`: its read is not pinned, so the replica serves it.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> answer = new Http(port).post("/api/notes/after-read?body=" + body + "-" + UUID.randomUUID()
          + "&readId=" + earlier, bearer(token("lee-" + UUID.randomUUID(), "eu")));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("\"readFromReplica\":true");
    });
    assertThat(TestTopology.count(topology, "eu-primary", "note", "body like '" + body + "%'")).isPositive();
  }

  @Test
  void asyncMethodsSeeTheRequestsRegionAndSubject() {
    HttpResponse<String> answer = new Http(port).get("/api/async", bearer(token("gus", "us")));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).endsWith(" us|" + HmacTokens.qualified("gus"))
        .doesNotStartWith("http-nio");
  }

  @Test
  void aRequestWithoutATokenRunsInTheDefaultRegion_andActuatorIsNotFiltered() {
    HttpResponse<String> api = new Http(port).get("/api/async", Map.of());
    HttpResponse<String> health = new Http(port).get("/actuator/health", Map.of());

    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).endsWith(" eu|-");
    assertThat(health.statusCode()).isIn(200, 503);
  }

  @Test
  void anInvalidTokenIsRefused_neverGivenTheDefaultRegion() {
    String forged = token("ivy", "eu");
    HttpResponse<String> api = new Http(port).get("/api/async",
        bearer(forged.substring(0, forged.lastIndexOf('.') + 1) + "AAAA"));

    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer error=\"invalid_token\"");
  }

  @Test
  void aBrowserReadsItsWriteAfterARedirect_throughTheCookieAlone() {
    topology.pauseReplay("eu-replica");
    try {
      String body = "form-" + UUID.randomUUID();
      HttpResponse<String> post = new Http(port).post("/api/notes/form?body=" + body, bearer(token("jo", "eu")));
      assertThat(post.statusCode()).isEqualTo(303);
      String location = post.headers().firstValue("Location").orElseThrow();
      String cookie = post.headers().allValues("Set-Cookie").stream()
          .filter(c -> c.startsWith("region-consistency=")).findFirst().orElseThrow();
      assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Lax");

      // The redirect's GET: no Authorization, no consistency header; only the cookie (default region eu).
      String path = java.net.URI.create(location).getPath();
      HttpResponse<String> withCookie = new Http(port).get(path, Map.of("Cookie", cookie.split(";", 2)[0]));
      assertThat(withCookie.body()).contains("\"found\":\"" + body + "\"").contains("\"replica\":false");

      // Without the cookie the same anonymous GET reads the paused replica and misses the write.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(new Http(port).get(path, Map.of()).body()).contains("\"replica\":true")
              .contains("\"found\":null"));
    } finally {
      topology.resumeReplay("eu-replica");
    }
  }

  @Test
  void aVerifiedTokenNamingAnUnknownRegionIsForbidden() {
    HttpResponse<String> answer = new Http(port).get("/api/notes/1", bearer(token("hal", "apac")));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).isEqualTo("the token names a region this service does not serve (it serves: eu, us)\n");
  }

  private long create(String subject, String region, String body) {
    HttpResponse<String> write = new Http(port).post("/api/notes?body=" + body, bearer(token(subject, region)));
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    Matcher id = ID.matcher(write.body());
    assertThat(id.find()).as(write.body()).isTrue();
    return Long.parseLong(id.group(1));
  }
}
