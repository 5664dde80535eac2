package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.await;
import static io.github.regionrouter.Fixtures.exec;
import static io.github.regionrouter.Fixtures.pool;
import static io.github.regionrouter.Fixtures.writeLoad;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.testing.PostgresTopology;
import io.github.regionrouter.testing.StopMode;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The health levels against real faults: a region losing its primary, a replica whose replay is paused under
 * write load, nodes stopped one by one. Each test breaks its own topology. The transition logs of the same
 * faults are checked here too (one line per transition, not one per monitor round).
 */
class HealthIntegrationTest {

  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration BOUND = Duration.ofSeconds(20);

  private PostgresTopology topo;
  private RegionRoutingDataSource ds;

  @AfterEach
  void stop() {
    if (ds != null) {
      ds.close();
    }
    if (topo != null) {
      topo.close();
    }
  }

  private void start(RegionRoutingDataSource.Builder builder) throws Exception {
    topo = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
        .primary("us-primary", "us", "iad")
        .start();
    try (Connection c = topo.connect("eu-primary")) {
      exec(c, "CREATE TABLE items (id bigserial PRIMARY KEY, n int)");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    ds = builder.localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool(topo, "eu-primary"))
        .replica("eu-replica", "eu", "fra", pool(topo, "eu-replica"))
        .primary("us-primary", "us", "iad", pool(topo, "us-primary"))
        .monitorInterval(INTERVAL)
        .build();
  }

  private boolean up(HealthLevel level) {
    return ds.health(level).isUp();
  }

  @Test
  void dbGoesDown_whenARegionLosesItsPrimary_andUpWhenItIsBack_whileBasicStaysUp() throws Exception {
    try (LogCapture log = LogCapture.start()) {
      start(RegionRoutingDataSource.builder());
      assertThat(up(HealthLevel.DB)).isTrue();

      topo.stop("eu-primary", StopMode.FAST);
      await("db DOWN", BOUND, () -> !up(HealthLevel.DB));
      HealthReport db = ds.health(HealthLevel.DB);
      assertThat(db.problems()).singleElement().asString().startsWith("region 'eu' has no up primary (eu-primary down,"
          + " eu-replica up as replica)");
      assertThat(db.writeTargets()).containsOnlyKeys("us");
      assertThat(db.toJson()).startsWith("{\"status\":\"DOWN\",\"level\":\"db\"")
          .contains("\"writeTargets\":{\"eu\":null,\"us\":\"us-primary\"}");
      assertThat(up(HealthLevel.BASIC)).isTrue();
      assertThat(ds.health(HealthLevel.FULL).failingNodes()).isEqualTo(1);
      assertThat(up(HealthLevel.FULL)).isTrue();

      topo.restart("eu-primary");
      await("db UP again", BOUND, () -> up(HealthLevel.DB));
      assertThat(ds.health(HealthLevel.DB).problems()).isEmpty();

      assertThat(log.matching("WARN", "node 'eu-primary'", "is down")).hasSize(1);
      assertThat(log.matching("WARN", "region 'eu' has no write target now")).hasSize(1);
      assertThat(log.matching("INFO", "node 'eu-primary' is up again (primary)")).hasSize(1);
    }
  }

  @Test
  void dbGoesDown_onlyOnceLagOutlastsTheGrace_andUpWhenReplayResumes() throws Exception {
    Duration grace = Duration.ofSeconds(3);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread load = null;
    try (LogCapture log = LogCapture.start()) {
      start(RegionRoutingDataSource.builder().lagGrace(grace));
      load = writeLoad(topo, running);
      long paused = System.nanoTime();
      topo.pauseReplay("eu-replica");
      await("replica excluded for lag", BOUND, () -> ds.status().node("eu-replica").orElseThrow().exclusion()
          .filter(r -> r.startsWith("lagging")).isPresent());
      long excludedAt = System.nanoTime();
      assertThat(up(HealthLevel.DB)).as("within the grace").isTrue();
      long downAfter = await("db DOWN after the grace", BOUND, () -> !up(HealthLevel.DB));
      // lag passes 500 ms no sooner than 500 ms after the pause, and db waits the grace on top of that
      assertThat(System.nanoTime() - paused).as("DOWN not before the lag bound plus the grace")
          .isGreaterThanOrEqualTo(grace.toNanos());
      HealthReport db = ds.health(HealthLevel.DB);
      assertThat(db.problems()).singleElement().asString()
          .startsWith("replica 'eu-replica' of region 'eu' has been over maxReplicaLag 500ms for ")
          .contains("(lagGrace 3000ms); lag now ");
      System.out.printf("db DOWN %d ms after the replica was excluded (grace %d ms)%n",
          (System.nanoTime() - excludedAt) / 1_000_000, grace.toMillis());

      topo.resumeReplay("eu-replica");
      await("db UP once the replica caught up", BOUND, () -> up(HealthLevel.DB));
      await("replica re-admitted", BOUND, () -> ds.status().node("eu-replica").orElseThrow().readEligible());
      assertThat(downAfter).isPositive();
      assertThat(log.matching("WARN", "replica 'eu-replica' excluded from reads", "over maxReplicaLag 500ms"))
          .hasSize(1);
      assertThat(log.matching("WARN", "replica 'eu-replica' re-admitted to reads")).hasSize(1);
    } finally {
      running.set(false);
      if (load != null) {
        load.join(5_000);
      }
    }
  }

  @Test
  void fullCountsFailingNodes_andGoesDownAboveFullMaxFailing() throws Exception {
    start(RegionRoutingDataSource.builder().fullMaxFailing(1));
    assertThat(ds.health(HealthLevel.FULL).failingNodes()).isZero();

    topo.stop("eu-replica", StopMode.FAST);
    await("one failing node", BOUND, () -> ds.health(HealthLevel.FULL).failingNodes() == 1);
    assertThat(up(HealthLevel.FULL)).as("1 failing, fullMaxFailing 1").isTrue();
    assertThat(up(HealthLevel.DB)).as("a down replica does not lag").isTrue();

    topo.stop("us-primary", StopMode.FAST);
    await("full DOWN", BOUND, () -> !up(HealthLevel.FULL));
    HealthReport full = ds.health(HealthLevel.FULL);
    assertThat(full.failingNodes()).isEqualTo(2);
    assertThat(full.problems()).singleElement().asString()
        .startsWith("2 nodes failing, more than fullMaxFailing 1: eu-replica (down: ")
        .contains("; us-primary (down: ");
    assertThat(up(HealthLevel.BASIC)).isTrue();
  }

  @Test
  void everyLevelIsDownAfterClose_andCloseOfAFreshDataSourceLogsNoWarning() throws Exception {
    // The app in iad, its database 20 ms away: the pools are still opening connections when close() comes.
    topo = PostgresTopology.builder().primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
        .latency("iad", "fra", Duration.ofMillis(20))
        .start();
    try (LogCapture log = LogCapture.start()) {
      for (int i = 0; i < 2; i++) {
        var primary = pool(topo, "eu-primary", "iad");
        primary.setMaximumPoolSize(10);
        primary.setMinimumIdle(10);
        var replica = pool(topo, "eu-replica", "iad");
        replica.setMaximumPoolSize(10);
        replica.setMinimumIdle(10);
        RegionRoutingDataSource fresh = RegionRoutingDataSource.builder()
            .primary("eu-primary", "eu", "fra", primary).replica("eu-replica", "eu", "fra", replica).build();
        assertThat(fresh.health(HealthLevel.BASIC).isUp()).isTrue();
        fresh.close();
        for (HealthLevel level : HealthLevel.values()) {
          assertThat(fresh.health(level).isUp()).as(level.path()).isFalse();
          assertThat(fresh.health(level).problems()).containsExactly("the region-router data source is closed");
        }
      }
      assertThat(log.matching("WARN", "com.zaxxer.hikari")).as("HikariCP warnings at close").isEmpty();
      assertThat(log.matching("WARN", "region-router")).isEmpty();
    }
  }

  @Test
  void statusPrintsAsATable_oneLinePerNode_withLsnsInPostgresForm() throws Exception {
    start(RegionRoutingDataSource.builder());
    String table = ds.status().toString();
    System.out.println(table);
    String[] lines = table.split("\n");
    assertThat(lines).hasSize(1 + 1 + 3);
    assertThat(lines[1]).matches("\\s+node\\s+region\\s+location\\s+role\\s+up\\s+lag ms\\s+lag bytes\\s+rtt ms\\s+"
        + "wal\\s+in use\\s+serves\\s+excluded");
    assertThat(lines[2]).matches("\\s+eu-primary\\s+eu\\s+fra\\s+primary\\s+up\\s+0\\s+0\\s+\\d+\\.\\d{3}\\s+"
        + "[0-9A-F]+/[0-9A-F]+\\s+0\\s+writes\\s+-");
    assertThat(lines[3]).matches("\\s+eu-replica\\s+eu\\s+fra\\s+replica\\s+up\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d{3}\\s+"
        + "[0-9A-F]+/[0-9A-F]+\\s+0\\s+reads\\s+-");
    assertThat(table).doesNotContain("PT").hasSizeLessThan(1_000);
  }
}
