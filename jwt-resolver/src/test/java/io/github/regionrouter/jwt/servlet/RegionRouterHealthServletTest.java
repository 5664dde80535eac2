package io.github.regionrouter.jwt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.HealthLevel;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.testing.PostgresTopology;
import io.github.regionrouter.testing.StopMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's health endpoints over real HTTP (embedded Tomcat, mounted at {@code /health/*} as a plain
 * servlet app would), on a real topology whose primary is then stopped: the answers follow
 * {@link RegionRoutingDataSource#health} exactly, with no token and no secret in them.
 */
class RegionRouterHealthServletTest {

  private static final String PASSWORD = "s3cret-pw";
  private PostgresTopology topo;
  private RegionRoutingDataSource ds;
  private EmbeddedTomcat tomcat;

  @BeforeEach
  void start() throws Exception {
    topo = PostgresTopology.builder().primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
        .start();
    ds = RegionRoutingDataSource.builder().localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool("eu-primary"))
        .replica("eu-replica", "eu", "fra", pool("eu-replica"))
        .monitorInterval(Duration.ofMillis(50))
        .build();
    tomcat = EmbeddedTomcat.start((classes, ctx) ->
        ctx.addServlet("region-router-health", new RegionRouterHealthServlet(ds)).addMapping("/health/*"));
  }

  private HikariConfig pool(String node) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(topo.jdbcUrl(node) + (topo.jdbcUrl(node).contains("?") ? "&" : "?") + "ApplicationName=app");
    c.setUsername(topo.user());
    c.setPassword(PASSWORD); // trust authentication ignores it; it must still never be shown
    c.setMaximumPoolSize(2);
    return c;
  }

  @AfterEach
  void stop() throws Exception {
    if (tomcat != null) {
      tomcat.close();
    }
    if (ds != null) {
      ds.close();
    }
    if (topo != null) {
      topo.close();
    }
  }

  @Test
  void everyLevelAnswers200WithJson_whileAllIsUp_withoutAToken() throws Exception {
    for (HealthLevel level : HealthLevel.values()) {
      HttpResponse<String> r = tomcat.get("/health/" + level.path());
      assertThat(r.statusCode()).as(level.path()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
          .startsWith("application/json"));
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(r.body()).startsWith("{\"status\":\"UP\",\"level\":\"" + level.path() + "\",\"problems\":[]")
          .contains("\"writeTargets\":{\"eu\":\"eu-primary\"}")
          .contains("{\"name\":\"eu-replica\",\"region\":\"eu\",\"location\":\"fra\",\"role\":\"replica\"")
          .doesNotContain("jdbc:").doesNotContain("s3cret").doesNotContain("ApplicationName")
          .doesNotContain(topo.user());
    }
  }

  @Test
  void dbAnswers503_whenTheRegionLosesItsPrimary_whileBasicAndFullStay200() throws Exception {
    topo.stop("eu-primary", StopMode.FAST);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    HttpResponse<String> db = tomcat.get("/health/db");
    while (db.statusCode() == 200 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      db = tomcat.get("/health/db");
    }
    assertThat(db.statusCode()).isEqualTo(503);
    assertThat(ds.health(HealthLevel.DB).isUp()).isFalse();
    assertThat(db.body()).startsWith("{\"status\":\"DOWN\",\"level\":\"db\",\"problems\":[\"region 'eu' has no up "
        + "primary (eu-primary down, eu-replica up as replica)").contains("\"writeTargets\":{\"eu\":null}")
        .contains("\"failingNodes\":1").doesNotContain("s3cret").doesNotContain("ApplicationName");
    assertThat(tomcat.get("/health/basic").statusCode()).isEqualTo(200);
    HttpResponse<String> full = tomcat.get("/health/full");
    assertThat(full.statusCode()).as("1 failing node, fullMaxFailing 2").isEqualTo(200);
    assertThat(full.body()).startsWith("{\"status\":\"UP\",\"level\":\"full\"");
  }

  @Test
  void anUnknownLevelIs404_andAClosedDataSourceIs503Everywhere() throws Exception {
    HttpResponse<String> unknown = tomcat.get("/health/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("unknown health level; use /health/basic, /health/db or /health/full\n");
    ds.close();
    for (HealthLevel level : HealthLevel.values()) {
      HttpResponse<String> r = tomcat.get("/health/" + level.path());
      assertThat(r.statusCode()).as(level.path()).isEqualTo(503);
      assertThat(r.body()).startsWith("{\"status\":\"DOWN\",\"level\":\"" + level.path()
          + "\",\"problems\":[\"the region-router data source is closed\"]");
    }
  }
}
