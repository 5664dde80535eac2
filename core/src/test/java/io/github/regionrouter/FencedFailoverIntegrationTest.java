package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.await;
import static io.github.regionrouter.Fixtures.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.RegionUnavailableException.Reason;
import io.github.regionrouter.testing.PostgresTopology;
import io.github.regionrouter.testing.StopMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Rule 2 "fail fast" and "fenced" under real faults, with 4 writer threads and HikariCP's default 30 s
 * {@code connectionTimeout} (issue 9). Each test is a loop of {@value #RUNS} runs and prints its figures. Rows are
 * counted on each server, by the server, not by what the router says.
 */
class FencedFailoverIntegrationTest {

  private static final int RUNS = 5;
  private static final int WRITERS = 4;
  /** pgjdbc's connectTimeout of the application pools, in seconds: "one connect timeout" in the bound. */
  private static final int CONNECT_TIMEOUT_S = 2;
  /**
   * Issue 9 asks that a write in the detection gap fail within about one second plus one connect timeout
   * (3 s here); the runs print that figure (p100 0.5 s killed, 2.5 s frozen on this box). What is asserted is
   * the promise behind it with room for a loaded CI machine: no write comes near the pool's 30 s timeout.
   */
  private static final long FAILURE_BOUND_MS = 10_000;

  // ---------------------------------------------------------------- the three faults

  @Test
  void primaryKilledUnderFourWriters_everyWriteSucceedsOnThePrimaryOrFailsFastWithNoPrimary() throws Exception {
    try (PostgresTopology topo = topology(); Harness h = new Harness(topo)) {
      for (int run = 1; run <= RUNS; run++) {
        Writers w = h.writers(run);
        w.awaitAcks("eu-primary", 20);
        long faultAt = w.mark();
        topo.stop("eu-primary", StopMode.IMMEDIATE);
        w.awaitOutcomesAfter(faultAt + ms(1_000), 3);
        w.stop();
        w.print("killed", faultAt);
        w.assertEveryWriteSucceededOnOrFailedFast("eu-primary", faultAt, Reason.NO_PRIMARY);
        topo.restart("eu-primary");
        await("eu-primary is the write target again", Duration.ofSeconds(20),
            () -> "eu-primary".equals(h.ds.status().writeTargets().get("eu")));
        Set<Long> onPrimary = h.tags("eu-primary", run);
        assertThat(onPrimary).as("run %d: every acknowledged write is on eu-primary after its restart", run)
            .containsAll(w.acknowledgedTags());
      }
    }
  }

  @Test
  void replicaPromotedThenOldPrimaryRestartedWritable_theOldPrimaryAcknowledgesNoWrite() throws Exception {
    for (int run = 1; run <= RUNS; run++) {
      try (PostgresTopology topo = topology(); Harness h = new Harness(topo)) {
        h.synchronousReplication();
        Writers w = h.writers(run);
        w.awaitAcks("eu-primary", 20);
        long faultAt = w.mark();
        topo.stop("eu-primary", StopMode.IMMEDIATE);
        long detectedAt = awaitNoTarget(h);
        topo.promote("eu-replica");
        w.awaitAcks("eu-replica", 20);
        long restartAt = w.mark();
        topo.restart("eu-primary"); // writable, on its old timeline: what a careless restart does
        awaitSplitBrainAndWritesDuringIt(h, w);
        w.stop();
        w.print("promoted+restarted", faultAt);
        assertTheOldPrimaryAcknowledgedNothingAfter(h, w, run, faultAt, detectedAt, restartAt);
      }
    }
  }

  @Test
  void replicaPromotedWhileOldPrimaryFrozen_thenThawed_theOldPrimaryAcknowledgesNoWrite() throws Exception {
    for (int run = 1; run <= RUNS; run++) {
      try (PostgresTopology topo = topology(); Harness h = new Harness(topo)) {
        h.synchronousReplication();
        Writers w = h.writers(run);
        w.awaitAcks("eu-primary", 20);
        long faultAt = w.mark();
        topo.freeze("eu-primary");
        System.out.printf("  run %d: freezing took %d ms (SIGSTOP through the harness)%n", run,
            (System.nanoTime() - faultAt) / 1_000_000);
        long detectedAt = awaitNoTarget(h);
        topo.promote("eu-replica");
        w.awaitAcks("eu-replica", 20);
        long restartAt = w.mark();
        topo.thaw("eu-primary"); // it carries on as a writable primary
        awaitSplitBrainAndWritesDuringIt(h, w);
        w.stop();
        w.print("frozen+promoted+thawed", faultAt);
        assertTheOldPrimaryAcknowledgedNothingAfter(h, w, run, faultAt, detectedAt, restartAt);
      }
    }
  }

  // ---------------------------------------------------------------- shared steps

  private static PostgresTopology topology() throws SQLException {
    PostgresTopology topo = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .start();
    try (Connection c = topo.connect("eu-primary")) {
      exec(c, "CREATE TABLE items (tag bigint PRIMARY KEY, run int NOT NULL)");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    return topo;
  }

  /** Waits until the router knows the primary is gone; returns that moment (System.nanoTime()). */
  private static long awaitNoTarget(Harness h) throws InterruptedException {
    await("eu has no write target", Duration.ofSeconds(10), () -> !h.ds.status().writeTargets().containsKey("eu"));
    return System.nanoTime();
  }

  /** The monitor sees two writable nodes; the writers keep trying for a while during the split brain. */
  private static void awaitSplitBrainAndWritesDuringIt(Harness h, Writers w) throws InterruptedException {
    await("split brain seen", Duration.ofSeconds(15),
        () -> h.ds.status().writeProblems().getOrDefault("eu", "").startsWith("split-brain"));
    w.awaitOutcomesAfter(w.mark(), 3);
  }

  /**
   * The fence held: once the router knew the old primary was gone ({@code detectedAt}), no write was acknowledged
   * by it — counted by the old primary itself over the tags of writes started from then on, and by what the
   * writers were told — and every acknowledged write is on the new primary (commits were synchronous, so none
   * was lost with the old primary's last WAL). The old primary came back ({@code restartAt}) while writers kept
   * writing.
   */
  private static void assertTheOldPrimaryAcknowledgedNothingAfter(Harness h, Writers w, int run, long faultAt,
      long detectedAt, long restartAt) throws SQLException {
    long firstTagAfterDetection = w.firstTagStartedAfter(detectedAt);
    Set<Long> oldPrimary = h.tags("eu-primary", run);
    Set<Long> newPrimary = h.tags("eu-replica", run);
    long onOldAfterDetection = oldPrimary.stream().filter(t -> t >= firstTagAfterDetection).count();
    long ackedByOld = w.outcomes.stream().filter(o -> o.ok() && o.node.equals("eu-primary") && o.ack >= detectedAt)
        .count();
    long startedAfterRestart = w.outcomes.stream().filter(o -> o.start >= restartAt).count();
    List<Long> missing = new ArrayList<>(w.acknowledgedTags());
    missing.removeAll(newPrimary);
    System.out.printf("  run %d: detected at +%d ms, old primary back at +%d ms, %d writes tried since; rows the "
        + "old primary holds of writes started after detection: %d; acknowledged by it after detection: %d; "
        + "acknowledged writes missing from the new primary: %d of %d%n", run, (detectedAt - faultAt) / 1_000_000,
        (restartAt - faultAt) / 1_000_000, startedAfterRestart, onOldAfterDetection, ackedByOld, missing.size(),
        w.acknowledgedTags().size());
    assertThat(startedAfterRestart).as("run %d: writes tried while the old primary was back", run)
        .isGreaterThanOrEqualTo(WRITERS);
    assertThat(onOldAfterDetection).as("run %d: rows the old primary took after detection (counted by it)", run)
        .isZero();
    assertThat(ackedByOld).as("run %d: writes acknowledged by the old primary after detection", run).isZero();
    assertThat(missing).as("run %d: acknowledged writes missing from the new primary", run).isEmpty();
    w.assertEveryWriteSucceededOnOrFailedFast(null, faultAt, Reason.NO_PRIMARY, Reason.SPLIT_BRAIN);
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  // ---------------------------------------------------------------- harness

  /** A data source over the topology with 30 s pool timeouts, and the servers' own row counts. */
  private static final class Harness implements AutoCloseable {

    final PostgresTopology topo;
    final Map<Integer, String> byPort;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RegionRoutingDataSource ds;

    Harness(PostgresTopology topo) {
      this.topo = topo;
      this.byPort = Fixtures.nodesByPort(topo);
      this.ds = RegionRoutingDataSource.builder()
          .localLocation("fra")
          .primary("eu-primary", "eu", "fra", pool("eu-primary"))
          .replica("eu-replica", "eu", "fra", pool("eu-replica"))
          .meterRegistry(registry)
          .build(); // the default monitor interval, 250 ms
    }

    private HikariConfig pool(String node) {
      HikariConfig c = Fixtures.pool(topo, node);
      c.setConnectionTimeout(30_000); // HikariCP's default
      c.addDataSourceProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
      return c;
    }

    /** Commits on eu-primary wait for eu-replica: an acknowledged write survives the primary's death. */
    void synchronousReplication() throws Exception {
      try (Connection c = topo.connect("eu-primary")) {
        exec(c, "ALTER SYSTEM SET synchronous_standby_names = '*'");
        exec(c, "SELECT pg_reload_conf()");
        await("eu-replica is a synchronous standby", Duration.ofSeconds(10), () -> {
          try {
            return Fixtures.count(c, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") == 1;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
      }
    }

    Writers writers(int run) {
      return new Writers(this, run);
    }

    /** The tags of {@code run} that the server of {@code node} holds, asked of that server. */
    Set<Long> tags(String node, int run) throws SQLException {
      Set<Long> tags = new HashSet<>();
      try (Connection c = topo.connect(node); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT tag FROM items WHERE run = " + run)) {
        while (rs.next()) {
          tags.add(rs.getLong(1));
        }
      }
      return tags;
    }

    @Override
    public void close() {
      ds.close();
    }
  }

  /**
   * What one write did: acknowledged by which node and when ({@code ack}: its INSERT returned; {@code end} is
   * after close, which may wait on a frozen node), or how it failed, and how long it took.
   */
  private record Outcome(long tag, long start, long ack, long end, String node, SQLException error) {

    boolean ok() {
      return error == null;
    }

    long tookMs() {
      return (end - start) / 1_000_000;
    }

    String kind() {
      if (error == null) {
        return "ok";
      }
      if (error instanceof RegionUnavailableException e) {
        return e.reason().tag();
      }
      return "broken-in-flight";
    }
  }

  /** {@value #WRITERS} threads writing one tagged row per connection, bounded in count and time. */
  private static final class Writers {

    private static final AtomicLong TAGS = new AtomicLong();
    private static final int MAX_WRITES_PER_THREAD = 5_000;

    final Harness h;
    final int run;
    final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean stop;

    Writers(Harness h, int run) {
      this.h = h;
      this.run = run;
      for (int i = 0; i < WRITERS; i++) {
        Thread t = new Thread(this::write, "writer-" + run + "-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void write() {
      for (int i = 0; i < MAX_WRITES_PER_THREAD && !stop; i++) {
        long tag = TAGS.incrementAndGet();
        long start = System.nanoTime();
        String node = null;
        long ack = 0;
        SQLException error = null;
        try (RegionContext.Scope s = RegionContext.open("eu", Thread.currentThread().getName());
            Connection c = h.ds.getConnection()) {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO items (tag, run) VALUES (?, ?) RETURNING current_setting('port')::int")) {
            ps.setLong(1, tag);
            ps.setInt(2, run);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              node = h.byPort.get(rs.getInt(1)); // acknowledged: the commit returned
            }
            ack = System.nanoTime();
          }
          try {
            c.close();
          } catch (SQLException e) {
            // closing after the node died: the write was acknowledged all the same
          }
        } catch (SQLException e) {
          if (node == null) {
            error = e;
          }
        }
        outcomes.add(new Outcome(tag, start, ack, System.nanoTime(), node, error));
        LockSupport.parkNanos(ms(5)); // pacing, so that the 4 writers do not starve the servers of CPU
      }
    }

    long mark() {
      return System.nanoTime();
    }

    void awaitAcks(String node, int count) throws InterruptedException {
      long since = mark();
      await(count + " writes acknowledged by " + node, Duration.ofSeconds(20),
          () -> outcomes.stream().filter(o -> o.ok() && node.equals(o.node) && o.start >= since).count() >= count);
    }

    /** Every writer finished at least {@code count} writes that started after {@code since}. */
    void awaitOutcomesAfter(long since, int count) throws InterruptedException {
      await("every writer finished " + count + " writes started after the mark (none may wait 30 s)",
          Duration.ofSeconds(20), () -> outcomes.stream().filter(o -> o.start >= since).count() >= (long) count * WRITERS);
    }

    void stop() throws InterruptedException {
      stop = true;
      for (Thread t : threads) {
        t.join(35_000);
        assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
      }
      Fixtures.assertNoLeak(h.ds, h.registry);
    }

    long firstTagStartedAfter(long at) {
      return outcomes.stream().filter(o -> o.start >= at).mapToLong(Outcome::tag).min().orElse(Long.MAX_VALUE);
    }

    Set<Long> acknowledgedTags() {
      Set<Long> tags = new HashSet<>();
      outcomes.stream().filter(Outcome::ok).forEach(o -> tags.add(o.tag));
      return tags;
    }

    void print(String fault, long faultAt) {
      List<Outcome> after = outcomes.stream().filter(o -> o.end >= faultAt).toList();
      Map<String, Long> kinds = new java.util.TreeMap<>();
      after.forEach(o -> kinds.merge(o.kind() + (o.ok() ? "@" + o.node : ""), 1L, Long::sum));
      long[] failed = after.stream().filter(o -> !o.ok()).mapToLong(Outcome::tookMs).sorted().toArray();
      long maxOk = after.stream().filter(Outcome::ok).mapToLong(Outcome::tookMs).max().orElse(0);
      System.out.printf("run %d %s: %d writes ended after the fault %s; time to failure p50 %d ms, p100 %d ms; "
          + "slowest success %d ms; writes over 30 s: %d%n", run, fault, after.size(), kinds,
          failed.length == 0 ? 0 : failed[failed.length / 2], failed.length == 0 ? 0 : failed[failed.length - 1],
          maxOk, outcomes.stream().filter(o -> o.tookMs() >= 30_000).count());
      after.stream().filter(o -> o.kind().equals("broken-in-flight"))
          .map(o -> o.error.getSQLState() + " " + Fixtures.firstLine(o.error)).distinct()
          .forEach(m -> System.out.println("  in flight when the node died: " + m));
    }

    /**
     * Every write ended: acknowledged (by {@code node} when given), or refused with one of {@code reasons}, or —
     * only for a statement already sent when the node died — the driver's class 08 error; failures within the bound.
     */
    void assertEveryWriteSucceededOnOrFailedFast(String node, long faultAt, Reason... reasons) {
      Set<String> allowed = new HashSet<>();
      for (Reason r : reasons) {
        allowed.add(r.tag());
      }
      for (Outcome o : outcomes) {
        if (o.ok()) {
          if (node != null) {
            assertThat(o.node).as("node that acknowledged write %d", o.tag).isEqualTo(node);
          }
          continue;
        }
        if (o.error instanceof RegionUnavailableException e) {
          assertThat(e.reason().tag()).as("reason of %s", e.getMessage()).isIn(allowed);
          assertThat(e.getSQLState()).isEqualTo("08001");
          assertThat(e.getMessage()).startsWith("region 'eu' ");
        } else {
          assertThat(o.error.getSQLState()).as("an unexpected failure: %s", o.error).startsWith("08");
          assertThat(o.start).as("a broken connection only for a write started before the fault was detected: "
              + "%s", o.error).isLessThan(faultAt + ms(FAILURE_BOUND_MS));
        }
        assertThat(o.tookMs()).as("time to failure of write %d (%s)", o.tag, o.error).isLessThanOrEqualTo(
            FAILURE_BOUND_MS);
      }
    }
  }
}
