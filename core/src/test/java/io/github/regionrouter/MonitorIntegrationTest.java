package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.await;
import static io.github.regionrouter.Fixtures.count;
import static io.github.regionrouter.Fixtures.exec;
import static io.github.regionrouter.Fixtures.pool;
import static io.github.regionrouter.Fixtures.servedBy;
import static io.github.regionrouter.Fixtures.unchecked;
import static io.github.regionrouter.Fixtures.writeLoad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.RegionUnavailableException.Reason;
import io.github.regionrouter.testing.PostgresTopology;
import io.github.regionrouter.testing.StopMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor against real faults: paused replay under load, an idle primary, pin release, latency,
 * death and return of a replica, promotion and split brain, a frozen replica. Each test builds its own
 * topology because it breaks it. Figures are printed for the closing note; bounds are generous
 * because this runs on a noisy 2-core machine.
 */
class MonitorIntegrationTest {

  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final long INTERVAL_MS = INTERVAL.toMillis();

  private PostgresTopology topo;
  private Map<Integer, String> byPort;
  private RegionRoutingDataSource ds;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    if (ds != null) {
      Fixtures.assertNoLeak(ds, registry);
      ds.close();
      // every thread the data source started: the monitor's and its HikariCP pools' (named regionrouter-<node>)
      try {
        await("no region-router thread left", Duration.ofSeconds(5), () -> Thread.getAllStackTraces().keySet()
            .stream().noneMatch(t -> t.isAlive() && (t.getName().startsWith("region-router-monitor")
                || t.getName().startsWith("regionrouter-"))));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (topo != null) {
      topo.close();
    }
  }

  private void euTopology() throws Exception {
    topo = PostgresTopology.builder().primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
        .start();
    byPort = Fixtures.nodesByPort(topo);
    try (Connection c = topo.connect("eu-primary")) {
      exec(c, "CREATE TABLE items (id bigserial PRIMARY KEY, n int)");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    ds = RegionRoutingDataSource.builder().localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool(topo, "eu-primary"))
        .replica("eu-replica", "eu", "fra", pool(topo, "eu-replica"))
        .monitorInterval(INTERVAL)
        .meterRegistry(registry)
        .build();
  }

  private String read(String subject) throws SQLException {
    try (RegionContext.Scope s = RegionContext.open("eu", subject); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      return servedBy(c, byPort);
    }
  }

  @Test
  void aLaggingReplicaStopsGettingReadsWithinTwoIntervals_getsNoneWhileItLags_andComesBack() throws Exception {
    euTopology();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread load = writeLoad(topo, running);
    try {
      await("reads on the replica", Duration.ofSeconds(5), () -> unchecked(() -> read("r")).equals("eu-replica"));
      topo.pauseReplay("eu-replica");
      long paused = System.nanoTime();
      long lagPassedMax = paused + Duration.ofMillis(500 + 20).toNanos(); // next write ≤ 20 ms after the pause
      long lastReplicaRead = paused;
      long excludedAt = 0;
      while (System.nanoTime() < paused + 3_000_000_000L) {
        if (read("r").equals("eu-replica")) {
          lastReplicaRead = System.nanoTime();
          assertThat(excludedAt).as("a read reached the replica after it was excluded").isZero();
        } else if (excludedAt == 0) {
          excludedAt = System.nanoTime();
        }
        Thread.sleep(5);
      }
      long stopMs = (lastReplicaRead - lagPassedMax) / 1_000_000;
      System.out.printf("lag: replica stopped getting reads %d ms after its lag passed maxReplicaLag "
          + "(monitorInterval %d ms)%n", stopMs, INTERVAL_MS);
      assertThat(excludedAt).as("the replica was excluded").isPositive();
      assertThat(stopMs).isLessThanOrEqualTo(2 * INTERVAL_MS + 150);
      NodeStatus lagging = ds.status().node("eu-replica").orElseThrow();
      assertThat(lagging.readEligible()).isFalse();
      assertThat(lagging.excludedReason()).startsWith("lagging ");
      assertThat(lagging.lagBytes()).isPositive();

      topo.resumeReplay("eu-replica");
      topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
      long caughtUp = System.nanoTime();
      long backMs = await("reads back on the replica", Duration.ofSeconds(5),
          () -> unchecked(() -> read("r")).equals("eu-replica"));
      System.out.printf("lag: replica back %d ms after it caught up%n", backMs);
      assertThat((System.nanoTime() - caughtUp) / 1_000_000).isLessThanOrEqualTo(2 * INTERVAL_MS + 150);
    } finally {
      running.set(false);
      load.join(5_000);
      topo.resumeReplay("eu-replica");
    }
  }

  @Test
  void anIdlePrimaryNeverMakesAReplicaLookLagging() throws Exception {
    euTopology();
    long maxLagMs = 0;
    long end = System.nanoTime() + 10_500_000_000L;
    while (System.nanoTime() < end) {
      NodeStatus replica = ds.status().node("eu-replica").orElseThrow();
      assertThat(replica.lagTime()).isNotNull();
      maxLagMs = Math.max(maxLagMs, replica.lagTime().toMillis());
      assertThat(replica.readEligible()).as("eligible while the primary is idle").isTrue();
      Thread.sleep(INTERVAL_MS);
    }
    System.out.printf("idle primary for 10.5 s: highest replica lag reported %d ms%n", maxLagMs);
    assertThat(maxLagMs).isLessThan(500);
  }

  @Test
  void aPinnedSubjectReturnsToTheReplicaSoonAfterItReplaysTheWrite_notAtTheEndOfTheWindow() throws Exception {
    euTopology();
    List<Long> releases = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      topo.pauseReplay("eu-replica");
      try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
        exec(c, "INSERT INTO items (n) VALUES (" + i + ")");
      }
      long wrote = System.nanoTime();
      assertThat(read("writer")).isEqualTo("eu-primary");
      topo.resumeReplay("eu-replica");
      topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
      long replayed = System.nanoTime();
      await("pinned reads back on the replica", Duration.ofSeconds(10),
          () -> unchecked(() -> read("writer")).equals("eu-replica"));
      long back = System.nanoTime();
      assertThat(back - wrote).as("released before the 5 s window ended").isLessThan(4_500_000_000L);
      releases.add((back - replayed) / 1_000_000);
      try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(count(c, "SELECT count(*) FROM items WHERE n = " + i)).isEqualTo(1);
      }
    }
    System.out.printf("pin release after the replica replayed the write: %s ms (monitorInterval %d ms)%n",
        releases, INTERVAL_MS);
  }

  @Test
  void readsGoToTheNearReplica_moveToTheFarOneWithoutErrorsWhenItDies_andComeBack() throws Exception {
    topo = PostgresTopology.builder()
        .primary("us-primary", "us", "iad")
        .replica("us-replica-near", "us-primary", "fra")
        .replica("us-replica-far", "us-primary", "sin")
        .latency("fra", "sin", Duration.ofMillis(40))
        .start();
    topo.link("fra", "us-replica-near").delay(Duration.ofMillis(1));
    byPort = Fixtures.nodesByPort(topo);
    ds = RegionRoutingDataSource.builder().localLocation("fra")
        .primary("us-primary", "us", "iad", pool(topo, "us-primary", "fra"))
        .replica("us-replica-near", "us", "fra", pool(topo, "us-replica-near", "fra"))
        .replica("us-replica-far", "us", "sin", pool(topo, "us-replica-far", "fra"))
        .monitorInterval(INTERVAL)
        .meterRegistry(registry)
        .build();
    for (int i = 0; i < 50; i++) {
      assertThat(usRead()).isEqualTo("us-replica-near");
    }
    topo.stop("us-replica-near", StopMode.IMMEDIATE);
    int errors = 0;
    int far = 0;
    long end = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < end) {
      try {
        if (usRead().equals("us-replica-far")) {
          far++;
        }
      } catch (SQLException e) {
        errors++;
      }
    }
    System.out.printf("near replica died: %d reads served by the far replica, %d errors%n", far, errors);
    assertThat(errors).isZero();
    assertThat(far).isPositive();
    topo.restart("us-replica-near");
    long backMs = await("reads back on the near replica", Duration.ofSeconds(20),
        () -> unchecked(this::usRead).equals("us-replica-near"));
    System.out.printf("near replica restarted: reads back on it after %d ms%n", backMs);
  }

  private String usRead() throws SQLException {
    try (RegionContext.Scope s = RegionContext.open("us", "reader"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      return servedBy(c, byPort);
    }
  }

  @Test
  void aPinnedReaderWhoseWriteTheStandbyHasIsServedByItWhenThePrimaryIsLost() throws Exception {
    euTopology();
    try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
      exec(c, "INSERT INTO items (n) VALUES (7)");
    }
    // Resolved (a poll after the commit) and replayed: the writer is back on the replica.
    await("the writer's reads on the replica", Duration.ofSeconds(10),
        () -> unchecked(() -> read("writer")).equals("eu-replica"));
    topo.stop("eu-primary", StopMode.IMMEDIATE);
    await("eu has no write target", Duration.ofSeconds(10), () -> ds.status().writeTargets().get("eu") == null);
    assertThat(read("writer")).as("the pin still resolves after the primary is gone").isEqualTo("eu-replica");
  }

  @Test
  void aPromotedReplicaBecomesTheWriteTarget_andTwoWritablePrimariesFailWritesFast() throws Exception {
    euTopology();
    topo.stop("eu-primary", StopMode.IMMEDIATE);
    topo.promote("eu-replica");
    long promotedMs = await("eu-replica is the write target", Duration.ofSeconds(10),
        () -> "eu-replica".equals(ds.status().writeTargets().get("eu")));
    System.out.printf("promotion: eu-replica became the write target %d ms after it accepted writes%n", promotedMs);
    try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
      exec(c, "INSERT INTO items (n) VALUES (100)");
      assertThat(servedBy(c, byPort)).isEqualTo("eu-replica");
    }
    topo.restart("eu-primary"); // comes back writable: split brain
    await("split brain seen", Duration.ofSeconds(10), () -> ds.status().writeProblems().containsKey("eu"));
    long rowsBefore = rows("eu-primary") + rows("eu-replica");
    try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
      assertThatThrownBy(() -> exec(c, "INSERT INTO items (n) VALUES (200)"))
          .isInstanceOfSatisfying(RegionUnavailableException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.SPLIT_BRAIN);
            assertThat(e.getSQLState()).isEqualTo("08001");
          })
          .hasMessageContaining("region 'eu' cannot take writes: 2 nodes accept writes (split brain): "
              + "eu-primary, eu-replica");
    }
    assertThat(rows("eu-primary") + rows("eu-replica")).isEqualTo(rowsBefore);
  }

  private long rows(String node) throws SQLException {
    try (Connection c = topo.connect(node)) {
      return count(c, "SELECT count(*) FROM items");
    }
  }

  @Test
  void aFrozenReplicaCostsNoCallerMoreThanTheBorrowTimeout_andReadersKeepBeingServed() throws Exception {
    euTopology();
    for (int i = 0; i < 10; i++) {
      assertThat(read("r")).isEqualTo("eu-replica");
    }
    topo.freeze("eu-replica");
    try {
      long worstMs = 0;
      int errors = 0;
      int served = 0;
      long end = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < end) {
        long start = System.nanoTime();
        try {
          read("r");
          served++;
        } catch (SQLException e) {
          errors++;
        }
        worstMs = Math.max(worstMs, (System.nanoTime() - start) / 1_000_000);
      }
      System.out.printf("frozen replica: %d reads served, %d errors, slowest read %d ms (borrow timeout 1000 ms)%n",
          served, errors, worstMs);
      assertThat(errors).isZero();
      assertThat(worstMs).isLessThanOrEqualTo(1_000 + 700);
      assertThat(ds.status().node("eu-replica").orElseThrow().up()).isFalse();
    } finally {
      topo.thaw("eu-replica");
    }
  }
}
