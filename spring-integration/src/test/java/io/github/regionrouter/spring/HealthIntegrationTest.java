package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.regionrouter.spring.notes.NotesApp;
import io.github.regionrouter.testing.PostgresTopology;
import io.github.regionrouter.testing.StopMode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Actuator over the real topology, configured by properties only: the groups basic, db and full, the seed's
 * /health/* paths on the main port, the regionrouter endpoint, Boot's db indicator replaced; db flips DOWN
 * and back UP on a stopped primary and on a replica lagging over the grace. Its own topology: the faults are
 * destructive.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    NoSecurity.EXCLUDE,
    "spring.liquibase.enabled=false",
    "region-router.jwt.algorithms=HS256",
    "region-router.monitor-interval=100ms",
    "region-router.max-replica-lag=200ms",
    "region-router.health.lag-grace=1s",
    "management.endpoints.web.exposure.include=health,regionrouter",
    "management.endpoint.health.show-components=always"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HealthIntegrationTest {

  private static final PostgresTopology topology = TestTopology.start();
  private static final Duration FLIP = Duration.ofSeconds(20);

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestTopology.register(topology, registry);
    registry.add("region-router.jwt.hmac-secret", () -> HmacTokens.SECRET_BASE64);
  }

  @AfterAll
  static void stop() {
    topology.close();
  }

  @Test
  void everyGroupAndPathIsUp_onAHealthyTopology_withoutAToken() {
    await().atMost(FLIP).untilAsserted(() -> {
      for (String path : new String[] {"/actuator/health/basic", "/actuator/health/db", "/actuator/health/full",
          "/health/basic", "/health/db", "/health/full"}) {
        HttpResponse<String> answer = get(path);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        assertThat(answer.body()).as(path).contains("UP").contains("eu-replica");
      }
    });
  }

  @Test
  void bootsPlainDbIndicatorIsReplacedByTheRoutersLevels() {
    await().atMost(FLIP).untilAsserted(() -> {
      HttpResponse<String> health = get("/actuator/health");
      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      tools.jackson.databind.JsonNode json = new tools.jackson.databind.ObjectMapper().readTree(health.body());
      assertThat(json.get("components").propertyNames()).contains("regionRouter").doesNotContain("db");
      assertThat(json.get("components").get("regionRouter").get("components").propertyNames())
          .containsExactly("basic", "db", "full");
      assertThat(json.get("groups").toString()).contains("\"basic\",\"db\",\"full\"");
    });
  }

  @Test
  void theRegionrouterEndpointShowsTheStatus() {
    HttpResponse<String> status = get("/actuator/regionrouter");

    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"writeTargets\"").contains("\"eu\":\"eu-primary\"")
        .contains("\"us-replica\"").doesNotContain("jdbc:");
  }

  @Test
  void dbGoesDownOnAStoppedPrimary_andUpWhenItIsBack() {
    topology.stop("us-primary", StopMode.FAST);
    try {
      await().atMost(FLIP).untilAsserted(() -> {
        HttpResponse<String> db = get("/actuator/health/db");
        assertThat(db.statusCode()).as(db.body()).isEqualTo(503);
        assertThat(db.body()).contains("DOWN").contains("us");
      });
      assertThat(get("/actuator/health/basic").statusCode()).isEqualTo(200);
      assertThat(get("/health/db").statusCode()).isEqualTo(503);
      assertThat(get("/actuator/health/full").statusCode()).as("one failing node is within full-max-failing 2")
          .isEqualTo(200);
    } finally {
      topology.restart("us-primary");
    }
    await().atMost(FLIP).untilAsserted(() -> assertThat(get("/actuator/health/db").statusCode()).isEqualTo(200));
  }

  @Test
  void dbGoesDownWhenAReplicaLagsLongerThanTheGrace_andUpWhenItCatchesUp() throws Exception {
    topology.pauseReplay("eu-replica");
    try {
      try (Connection c = topology.connect("eu-primary"); Statement s = c.createStatement()) {
        s.execute("create table if not exists lag_probe (id int)");
        s.execute("insert into lag_probe values (1)");
      }
      await().atMost(FLIP).untilAsserted(() -> {
        HttpResponse<String> db = get("/actuator/health/db");
        assertThat(db.statusCode()).as(db.body()).isEqualTo(503);
        assertThat(db.body()).contains("eu-replica");
      });
    } finally {
      topology.resumeReplay("eu-replica");
    }
    await().atMost(FLIP).untilAsserted(() -> assertThat(get("/actuator/health/db").statusCode()).isEqualTo(200));
  }

  private HttpResponse<String> get(String path) {
    return new Http(port).get(path, Map.of());
  }
}
