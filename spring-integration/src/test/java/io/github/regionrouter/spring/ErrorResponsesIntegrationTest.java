package io.github.regionrouter.spring;

import static io.github.regionrouter.spring.HmacTokens.token;
import static io.github.regionrouter.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.regionrouter.spring.notes.NotesApp;
import io.github.regionrouter.testing.PostgresTopology;
import io.github.regionrouter.testing.StopMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a client of a Boot app sees when the router refuses a request: the notes app (Spring Data JPA, Flyway,
 * open-in-view on, the starter's JWT filter on {@code /api/*}, no default region) over the real topology, with
 * the EU primary really stopped.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    NoSecurity.EXCLUDE,
    "spring.liquibase.enabled=false",
    "spring.jpa.open-in-view=true",
    "region-router.jwt.algorithms=HS256",
    "region-router.jwt.issuer=" + HmacTokens.ISSUER,
    "region-router.jwt.url-patterns=/api/*"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ErrorResponsesIntegrationTest {

  private static final PostgresTopology topology = TestTopology.start();
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
  private static final String NO_PRIMARY_DETAIL = "Region 'eu' has no primary accepting writes right now; nothing "
      + "was written, and nothing was sent to another region. Retry after 5 s.";

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestTopology.register(topology, registry);
    registry.add("region-router.jwt.hmac-secret", () -> HmacTokens.SECRET_BASE64);
  }

  @AfterAll
  static void stopTopology() {
    topology.close();
  }

  @Test
  void writesToARegionWithoutPrimaryAnswer503WithRetryAfterAndAProblem_readsAreServed_untilThePrimaryIsBack()
      throws Exception {
    long id = create("/api/notes", "before-" + UUID.randomUUID());
    topology.awaitReplayed("eu-replica", Duration.ofSeconds(10));

    topology.stop("eu-primary", StopMode.FAST);
    try {
      // The first write after the stop may find a pooled connection that died with the server (rule 7: a
      // class-08 failure once it ran); from the router's first refusal on, every write is a 503.
      await().atMost(Duration.ofSeconds(15)).until(() -> post("/api/jdbc/notes", "probe").statusCode() == 503);

      HttpResponse<String> jdbc = post("/api/jdbc/notes", "jdbc-" + UUID.randomUUID());
      assertNoPrimaryProblem(jdbc, "/api/jdbc/notes");

      HttpResponse<String> jpa = post("/api/notes", "jpa-" + UUID.randomUUID());
      assertNoPrimaryProblem(jpa, "/api/notes");

      HttpResponse<String> read = new Http(port).get("/api/notes/" + id, bearer(token("reader", "eu")));
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(read.body()).contains("\"found\":\"before-").contains("\"replica\":true");

      HttpResponse<String> us = new Http(port).post("/api/notes?body=us-" + UUID.randomUUID(),
          bearer(token("bob", "us")));
      assertThat(us.statusCode()).as("the other region keeps writing: " + us.body()).isEqualTo(200);
    } finally {
      topology.restart("eu-primary");
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> post("/api/jdbc/notes", "probe").statusCode() == 200);
    assertThat(post("/api/notes", "after-" + UUID.randomUUID()).statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestWithoutTokenOnAPathOutsideTheFilterAnswers401WithABearerChallenge() {
    HttpResponse<String> answer = new Http(port).get("/public/notes/1", Map.of());

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(answer.body()).isEqualTo("{\"type\":\"urn:region-router:problem:no-region\",\"title\":\"Unauthorized\","
        + "\"status\":401,\"detail\":\"The request has no region: send a bearer token whose region claim names one "
        + "of this service's regions. No data was read or written.\",\"instance\":\"/public/notes/1\","
        + "\"reason\":\"no-region\"}");
  }

  @Test
  void aRequestWithCredentialsButNoRegionAnswers403WithoutAChallenge() {
    HttpResponse<String> answer = new Http(port).get("/public/notes/1", bearer(token("ada", "eu")));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(answer.body()).isEqualTo("{\"type\":\"urn:region-router:problem:no-region\",\"title\":\"Forbidden\","
        + "\"status\":403,\"detail\":\"The request's credentials give it no region of this service; no data was "
        + "read or written.\",\"instance\":\"/public/notes/1\",\"reason\":\"no-region\"}");
  }

  private void assertNoPrimaryProblem(HttpResponse<String> answer, String path) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(answer.body()).isEqualTo("{\"type\":\"urn:region-router:problem:region-unavailable\","
        + "\"title\":\"Region unavailable\",\"status\":503,\"detail\":\"" + NO_PRIMARY_DETAIL + "\","
        + "\"instance\":\"" + path + "\",\"region\":\"eu\",\"reason\":\"no-primary\"}");
    assertThat(answer.body()).doesNotContain("jdbc:", "eu-primary", String.valueOf(topology.node("eu-primary").port()));
  }

  private HttpResponse<String> post(String path, String body) {
    return new Http(port).post(path + "?body=" + body, bearer(token("ada", "eu")));
  }

  private long create(String path, String body) {
    HttpResponse<String> write = post(path, body);
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    Matcher id = ID.matcher(write.body());
    assertThat(id.find()).as(write.body()).isTrue();
    return Long.parseLong(id.group(1));
  }
}
