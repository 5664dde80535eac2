package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.await;
import static io.github.regionrouter.Fixtures.pool;
import static io.github.regionrouter.Fixtures.servedBy;
import static io.github.regionrouter.Fixtures.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.testing.PostgresTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One poll of a replica slower than the poll timeout — what a loaded machine does now and then — makes the
 * replica suspect, not down: the reads on their first statement there are aborted and run on the primary (no
 * caller error), but the replica stays up, its other connections are not aborted, and reads come back at its next
 * answer. The slow poll is real: the replica is frozen (SIGSTOP) until the monitor has given up on one poll,
 * then thawed before it gives up on a second.
 */
class SuspectReplicaIntegrationTest {

  /** Poll timeout: four intervals (4 s), and a whole interval between the first and second count of a stuck poll. */
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  private PostgresTopology topo;
  private RegionRoutingDataSource ds;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    if (ds != null) {
      Fixtures.assertNoLeak(ds, registry);
      ds.close();
    }
    if (topo != null) {
      topo.close();
    }
  }

  @Test
  void oneSlowPoll_movesFirstReadsAway_withoutTakingTheReplicaDownOrAbortingItsOtherConnections() throws Exception {
    topo = PostgresTopology.builder().primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
        .start();
    Map<Integer, String> byPort = Fixtures.nodesByPort(topo);
    ds = RegionRoutingDataSource.builder().localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool(topo, "eu-primary"))
        .replica("eu-replica", "eu", "fra", pool(topo, "eu-replica"))
        .monitorInterval(INTERVAL)
        .meterRegistry(registry)
        .build();
    assertThat(read(byPort)).isEqualTo("eu-replica");

    try (RegionContext.Scope s = RegionContext.open("eu", "in-a-transaction"); Connection busy = ds.getConnection()) {
      // a reader past its first statement: a failure of its would be an error to its caller
      busy.setReadOnly(true);
      busy.setAutoCommit(false);
      assertThat(servedBy(busy, byPort)).isEqualTo("eu-replica");

      // a first read that is still running on the replica when it freezes: sleeps there, not on the primary
      CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> unchecked(() -> {
        try (RegionContext.Scope r = RegionContext.open("eu", "first-read"); Connection c = ds.getConnection()) {
          c.setReadOnly(true);
          try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
              "SELECT current_setting('port')::int FROM pg_sleep(CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END)")) {
            rs.next();
            return byPort.get(rs.getInt(1));
          }
        }
      }));
      Thread.sleep(300);
      long frozenAt = System.nanoTime();
      topo.freeze("eu-replica");
      NodeStatus whileFrozen;
      String firstServedBy;
      try {
        firstServedBy = first.get(15, TimeUnit.SECONDS); // aborted when the stuck poll passes the poll timeout
        whileFrozen = ds.status().node("eu-replica").orElseThrow();
      } finally {
        topo.thaw("eu-replica"); // before the monitor counts the stuck poll a second time, one interval later
      }
      long movedMs = (System.nanoTime() - frozenAt) / 1_000_000;
      assertThat(firstServedBy).as("the first read, run again").isEqualTo("eu-primary");
      assertThat(whileFrozen.up()).as("one slow poll: suspect, not down").isTrue();
      assertThat(whileFrozen.readEligible()).isFalse();
      assertThat(whileFrozen.excludedReason()).startsWith("suspect: ");

      assertThat(servedBy(busy, byPort)).as("its connection was not aborted").isEqualTo("eu-replica");
      busy.commit();
      long back = await("reads back on the replica after its next answer", Duration.ofSeconds(10),
          () -> unchecked(() -> read(byPort)).equals("eu-replica"));
      System.out.printf("slow poll: first read moved to the primary %d ms after the freeze; reads back on the "
          + "replica %d ms after the thaw; replica never down%n", movedMs, back);
    }
    assertThat(ds.status().node("eu-replica").orElseThrow().up()).isTrue();
  }

  private String read(Map<Integer, String> byPort) throws SQLException {
    try (RegionContext.Scope s = RegionContext.open("eu", "reader"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      return servedBy(c, byPort);
    }
  }
}
