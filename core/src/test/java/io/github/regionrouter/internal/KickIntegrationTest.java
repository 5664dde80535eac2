package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.Fixtures;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.testing.PostgresTopology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rule 4 far from the primary: a commit asks the monitor for a position probe of the write target (the kick),
 * whose answer is recorded as soon as it arrives, so a subject's pin resolves about one primary round trip
 * after its write instead of at a later round, and its reads come back to the near replica. Real PostgreSQL
 * and replication; the primary is 60 ms one way behind a latency proxy, the replica is local.
 */
class KickIntegrationTest {

  private static PostgresTopology topo;
  private static Map<Integer, String> byPort;
  private static final AtomicInteger IDS = new AtomicInteger();
  private RegionRoutingDataSource ds;

  @BeforeAll
  static void startTopology() throws SQLException {
    topo = PostgresTopology.builder().primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
        .start();
    byPort = Fixtures.nodesByPort(topo);
    try (Connection c = topo.connect("eu-primary"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE notes (id int PRIMARY KEY, subject text NOT NULL)");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopTopology() {
    topo.close();
  }

  @AfterEach
  void closeDataSource() {
    if (ds != null) {
      ds.close();
    }
  }

  /** From location "far": the primary 60 ms one way away, the replica next door; measured before returning. */
  private RegionRoutingDataSource farFromThePrimary(String from, Duration monitorInterval) throws Exception {
    return farFromThePrimary(from, monitorInterval, Duration.ofMillis(60));
  }

  /** From location {@code from}: the primary {@code oneWay} away, the replica next door. */
  private RegionRoutingDataSource farFromThePrimary(String from, Duration monitorInterval, Duration oneWay)
      throws Exception {
    topo.link(from, "eu-primary").delay(oneWay);
    HikariConfig primary = Fixtures.pool(topo, "eu-primary", from);
    primary.setConnectionTimeout(5_000);
    HikariConfig replica = Fixtures.pool(topo, "eu-replica"); // its connectionTimeout is the router's replicaBorrowTimeout
    RegionRoutingDataSource built = RegionRoutingDataSource.builder().localLocation("fra")
        .primary("eu-primary", "eu", "fra", primary)
        .replica("eu-replica", "eu", "fra", replica)
        .monitorInterval(monitorInterval).maxReplicaLag(Duration.ofSeconds(30))
        .readYourWritesWindow(Duration.ofMinutes(5)).readYourWritesWait(Duration.ofMillis(250)).build();
    assertThat(built.status().node("eu-primary").map(n -> n.rtt() != null && n.rtt().toMillis() >= 100))
        .as("the first round measured the primary's round trip through the 60 ms link").contains(true);
    return built;
  }

  private static int write(RegionRoutingDataSource ds, String subject) throws SQLException {
    int id = IDS.incrementAndGet();
    try (RegionContext.Scope s = RegionContext.open("eu", subject); Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, ?)")) {
      ps.setInt(1, id);
      ps.setString(2, subject);
      ps.executeUpdate();
    }
    return id;
  }

  /** Reads row {@code id} as {@code subject}: "node:subject-seen", subject-seen null when the row is missing. */
  private static String readBack(RegionRoutingDataSource ds, String subject, int id) throws SQLException {
    try (RegionContext.Scope s = RegionContext.open("eu", subject); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT current_setting('port')::int, (SELECT subject FROM notes WHERE id = ?)")) {
        ps.setInt(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return byPort.get(rs.getInt(1)) + ":" + rs.getString(2);
        }
      }
    }
  }

  @Test
  void aSubjectsReadsAfterItsWriteFarFromThePrimaryReturnToTheNearReplica_withoutWaitingForAMonitorRound()
      throws Exception {
    // One round at start, the next in ten minutes: only the kick can resolve the pin during this test.
    ds = farFromThePrimary("far-kick", Duration.ofMinutes(10));
    int warm = write(ds, "warm-up"); // the kick's own probe connection logs in through the slow link once
    awaitServedBy("warm-up", warm, "eu-replica:warm-up");

    int id = write(ds, "ada");
    String first = readBack(ds, "ada", id);
    assertThat(first).as("right after the write, whichever node serves it has the write").endsWith(":ada");
    awaitServedBy("ada", id, "eu-replica:ada");
    assertThat(readBack(ds, "someone-else", id)).as("an unpinned read sees the replicated row too")
        .isEqualTo("eu-replica:ada");
  }

  private void awaitServedBy(String subject, int id, String expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String last;
    do {
      last = readBack(ds, subject, id);
      if (last.equals(expected)) {
        return;
      }
      Thread.sleep(5); // a bounded poll: the pin resolves on the monitor's side
    } while (System.nanoTime() < deadline);
    assertThat(last).as("reads of " + subject + " within 10 s of the write (the next monitor round is minutes away)")
        .isEqualTo(expected);
  }

  /**
   * Issue 13's Asian read of one's own new write: a second subject's write that commits while the kick of a
   * first one's is in flight (that probe started before the commit, so cannot resolve it) gets a probe of its
   * own at once, and its pin resolves one primary round trip after its commit, not two; its read 50 ms after
   * the commit (a last mile) waits for that and is served by the near replica, not the far primary. Primary
   * 100 ms one way (the demo's sin-iad is 108), readYourWritesWait 250 ms, no monitor round during the test.
   * Pairs alternate: one measures the pins' resolution (no reads), the next where the reads go. Before the
   * change the second subject's pin resolved ~2 round trips after its commit and its read went to the primary.
   */
  @Test
  void aSecondSubjectsWriteDuringAnotherKickResolvesOneRoundTripAfterItsCommit() throws Exception {
    ds = farFromThePrimary("far-pair", Duration.ofMinutes(10), Duration.ofMillis(100));
    RoutingDataSource router = ds.unwrap(RoutingDataSource.class);
    long rttMillis = ds.status().node("eu-primary").orElseThrow().rtt().toMillis();
    ExecutorService subjects = Executors.newFixedThreadPool(2);
    List<String> lines = new ArrayList<>();
    List<Long> secondResolved = new ArrayList<>();
    List<String> secondReads = new ArrayList<>();
    List<String> firstReads = new ArrayList<>();
    try {
      for (int pair = 0; pair < 12; pair++) {
        boolean reads = pair % 2 == 1;
        String a = "a" + pair;
        String b = "b" + pair;
        Future<long[]> first = subjects.submit(() -> writeThen(router, a, reads));
        Thread.sleep(40); // the second write commits ~40 ms after the first, while the first's kick is out
        Future<long[]> second = subjects.submit(() -> writeThen(router, b, reads));
        long[] fa = first.get(30, TimeUnit.SECONDS);
        long[] fb = second.get(30, TimeUnit.SECONDS);
        long gapMillis = (fb[0] - fa[0]) / 1_000_000;
        lines.add(String.format("pair %2d: second commit %3d ms after the first; %s", pair, gapMillis,
            reads ? "reads served by " + node(fa[1]) + ", " + node(fb[1])
                : "pins resolved " + fa[1] / 1_000_000 + " ms, " + fb[1] / 1_000_000 + " ms after each commit"));
        Thread.sleep(2 * rttMillis); // every kick answered before the next pair
        if (pair < 4) {
          continue; // warm-up: the pools' and the kicks' connections open through the slow link
        }
        assertThat(gapMillis).as("the second commit came while the first's kick was in flight: %s", lines)
            .isBetween(5L, rttMillis - 20);
        if (reads) {
          firstReads.add(node(fa[1]));
          secondReads.add(node(fb[1]));
        } else {
          secondResolved.add(fb[1] / 1_000_000);
        }
      }
    } finally {
      subjects.shutdownNow();
    }
    System.out.printf("two subjects 40 ms apart, primary RTT %d ms:%n  %s%n", rttMillis, String.join("\n  ", lines));
    assertThat(secondResolved).as("the second subject's pin, ms after its commit (RTT %d ms): %s", rttMillis, lines)
        .allSatisfy(ms -> assertThat(ms).isLessThan(rttMillis + rttMillis / 2));
    assertThat(firstReads).as("the first subject's reads 50 ms after its commit: %s", lines)
        .containsOnly("eu-replica");
    assertThat(secondReads).as("the second subject's reads 50 ms after its commit: %s", lines)
        .containsOnly("eu-replica");
  }

  private static String node(long code) {
    return code == 1 ? "eu-replica" : code == 2 ? "eu-primary" : "missed-the-write";
  }

  /**
   * Writes as {@code subject}, then either (reads) reads its row back 50 ms after the commit — {1 replica,
   * 2 primary, 0 missed} — or polls until its pin resolves — nanoseconds after the commit; [0] is the commit.
   */
  private static long[] writeThen(RoutingDataSource router, String subject, boolean reads) throws Exception {
    RegionRoutingDataSource ds = router;
    int id = IDS.incrementAndGet();
    long committed;
    try (RegionContext.Scope s = RegionContext.open("eu", subject); Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, ?)")) {
      ps.setInt(1, id);
      ps.setString(2, subject);
      ps.executeUpdate();
      committed = System.nanoTime();
    }
    if (reads) {
      java.util.concurrent.locks.LockSupport.parkNanos(committed + 50_000_000 - System.nanoTime());
      String seen = readBack(ds, subject, id);
      return new long[] {committed, seen.equals("eu-replica:" + subject) ? 1
          : seen.equals("eu-primary:" + subject) ? 2 : 0};
    }
    try (RegionContext.Scope scope = RegionContext.open("eu", subject)) {
      while (router.pinFor(0, scope.context()) == io.github.regionrouter.WritePosition.UNKNOWN_LSN
          && System.nanoTime() - committed < 5_000_000_000L) {
        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
      }
    }
    return new long[] {committed, System.nanoTime() - committed};
  }

  @Test
  void concurrentWritesCoalesceIntoAtMostKickProbesExtraConnectionsPerPrimary() throws Exception {
    ds = farFromThePrimary("far-coalesce", Duration.ofMinutes(10));
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String subject = "w" + i;
        done.add(writers.submit(() -> write(ds, subject)));
      }
      for (Future<Integer> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
    }
    int open = monitorConnections();
    System.out.printf("40 writes from 4 threads, primary 60 ms one way: %d monitor connections to it%n", open);
    assertThat(open).as("the round's probe connection and up to KICK_PROBES kicks', whatever the number of writes")
        .isBetween(2, 1 + ReplicaMonitor.KICK_PROBES);
    ds.close();
    ds = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((monitorConnections() > 0 || kickThreads() > 0) && System.nanoTime() < deadline) {
      Thread.sleep(20); // the server notices a closed socket on its own time
    }
    assertThat(monitorConnections()).as("monitor and kick connections left after close()").isZero();
    assertThat(kickThreads()).as("kick threads left after close()").isZero();
  }

  private static int monitorConnections() throws SQLException {
    try (Connection c = topo.connect("eu-primary"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity "
            + "WHERE application_name = 'region-router-monitor' AND client_port IS NOT NULL")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static long kickThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("region-router-kick")).count();
  }

  /**
   * Before/after, interleaved op by op in one data source (kicks on, kicks off): per op, one write, then the
   * subject's first read-back, then reads until one is served by the near replica. Prints the medians of 50.
   * Run with {@code -Dkick.probe=true}; monitor interval 250 ms as in the demo.
   */
  @Test
  @EnabledIfSystemProperty(named = "kick.probe", matches = "true")
  void probeWriteToNearReadBack_beforeAndAfter() throws Exception {
    ds = farFromThePrimary("far-probe", Duration.ofMillis(250));
    RoutingDataSource router = ds.unwrap(RoutingDataSource.class);
    List<Long> firstOn = new ArrayList<>();
    List<Long> firstOff = new ArrayList<>();
    List<Long> nearOn = new ArrayList<>();
    List<Long> nearOff = new ArrayList<>();
    int firstLocalOn = 0;
    int firstLocalOff = 0;
    int missed = 0;
    write(ds, "warm");
    for (int i = 0; i < 100; i++) {
      boolean on = i % 2 == 0;
      int gap = Integer.getInteger("kick.gap", 0);
      router.fastPositions(on);
      String subject = "p" + i;
      int id = write(ds, subject);
      java.util.concurrent.locks.LockSupport.parkNanos(gap * 1_000_000L);
      long t0 = System.nanoTime();
      String first = readBack(ds, subject, id);
      long t1 = System.nanoTime();
      if (!first.endsWith(":" + subject)) {
        missed++;
      }
      boolean local = first.startsWith("eu-replica:");
      // then, on a second write, how long until its pin resolves (no reads: a read at the primary takes longer)
      write(ds, subject);
      long w = System.nanoTime();
      try (RegionContext.Scope scope = RegionContext.open("eu", subject)) {
        while (router.pinFor(0, scope.context()) == io.github.regionrouter.WritePosition.UNKNOWN_LSN
            && System.nanoTime() - w < 3_000_000_000L) {
          java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
      }
      long t2 = System.nanoTime();
      (on ? firstOn : firstOff).add((t1 - t0) / 1000);
      (on ? nearOn : nearOff).add((t2 - w) / 1000);
      if (local) {
        if (on) {
          firstLocalOn++;
        } else {
          firstLocalOff++;
        }
      }
    }
    router.fastPositions(true);
    System.out.printf("kick probe (primary 60 ms one way, replica local, interval 250 ms, 50 ops per arm, "
        + "read " + Integer.getInteger("kick.gap", 0) + " ms after the write):%n"
        + "  first read-back after the write: median %.1f ms with kicks, %.1f ms without; served by the near "
        + "replica %d/50 with, %d/50 without%n"
        + "  write -> its pin resolved: median %.1f ms with kicks, %.1f ms without%n"
        + "  reads that missed the write: %d%n",
        median(firstOn) / 1000.0, median(firstOff) / 1000.0, firstLocalOn, firstLocalOff,
        median(nearOn) / 1000.0, median(nearOff) / 1000.0, missed);
    assertThat(missed).as("reads that did not see their subject's write").isZero();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
