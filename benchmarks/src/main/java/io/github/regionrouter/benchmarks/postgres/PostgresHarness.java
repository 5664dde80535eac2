package io.github.regionrouter.benchmarks.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.testing.LatencyProxy;
import io.github.regionrouter.testing.PostgresTopology;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The router against a raw HikariCP pool on real PostgreSQL with real streaming replication, through the test
 * topology's latency proxy, op by op.
 *
 * <p>Why an interleaved harness and not JMH: one operation costs a millisecond to tens of milliseconds of
 * network wait, which JMH's JIT and allocation controls do not help with; what matters is that both arms see
 * the same machine at the same moment. Each iteration runs the raw arm and the routed arm of an operation back
 * to back (alternating which goes first), so load from other processes hits both alike, and the ratio is
 * taken from the same run.
 *
 * <p>Round trips are counted by the proxy ({@link LatencyProxy#roundTrips()}: client request turns) in a
 * separate pass of up to 100 ops per arm, after the timed one: the raw arm on its own proxies, the routed arm
 * through a second router on proxies of its own whose monitor polls once at start and then not for an hour,
 * so every turn counted is the operation's own.
 *
 * <p>Not thread-safe; one harness per run.
 */
public final class PostgresHarness {

  /** A network setting: the one-way delay to the primary and to the replica. */
  public record Setting(String name, Duration primaryOneWay, Duration replicaOneWay) {
  }

  /** One operation's figures: per arm the median and mean in milliseconds and the round trips per op. */
  public record Result(String setting, String op, double rawMedianMs, double routedMedianMs, double rawMeanMs,
      double routedMeanMs, double rawRoundTrips, double routedRoundTrips) {

    /** Routed over raw, by medians (steadier on a shared machine than means). */
    public double medianRatio() {
      return routedMedianMs / rawMedianMs;
    }

    /** Routed over raw, by means. */
    public double meanRatio() {
      return routedMeanMs / rawMeanMs;
    }
  }

  /** Near: everything 0.5 ms away one way. */
  public static final Setting NEAR = new Setting("near", Duration.ofMillis(1).dividedBy(2),
      Duration.ofMillis(1).dividedBy(2));
  /** Far: the primary 20 ms away one way, the replica 0.5 ms. */
  public static final Setting FAR = new Setting("far primary", Duration.ofMillis(20), Duration.ofMillis(1).dividedBy(2));

  private static final String PRIMARY = "eu-primary";
  private static final String REPLICA = "eu-replica";
  private static final int ROWS = 64;

  /** One arm of one operation. */
  @FunctionalInterface
  private interface Op {
    void run(int i) throws SQLException;
  }

  /** One arm of an operation that times only a part of itself: returns the nanoseconds of that part. */
  @FunctionalInterface
  private interface TimedOp {
    long run(int i) throws SQLException;
  }

  /** Think time between a write and the timed read of it, in the "pinned read" rows. */
  static final Duration PINNED_READ_GAP = Duration.ofMillis(10);

  private final PostgresTopology topo;
  private final int warmup;
  private final int ops;

  private PostgresHarness(PostgresTopology topo, int warmup, int ops) {
    this.topo = topo;
    this.warmup = warmup;
    this.ops = ops;
  }

  /**
   * Starts a topology (one primary, one replica), runs every operation in every setting and returns the
   * figures.
   *
   * @param warmup unrecorded iterations per operation and setting
   * @param ops    recorded iterations per operation and setting
   * @param settings the network settings to run, in order
   * @return one result per setting and operation
   * @throws IllegalArgumentException if a count is negative or {@code ops} is 0
   */
  public static List<Result> run(int warmup, int ops, List<Setting> settings) throws SQLException {
    if (warmup < 0 || ops <= 0) {
      throw new IllegalArgumentException("warmup must be >= 0 and ops > 0, were " + warmup + " and " + ops);
    }
    try (PostgresTopology topo = PostgresTopology.builder().primary(PRIMARY, "eu", "fra")
        .replica(REPLICA, PRIMARY, "fra").start()) {
      try (Connection c = topo.connect(PRIMARY); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE items (id int PRIMARY KEY, n bigint NOT NULL)");
        st.execute("INSERT INTO items SELECT g, 0 FROM generate_series(1, " + ROWS + ") g");
      }
      topo.awaitReplayed(REPLICA, Duration.ofSeconds(30));
      PostgresHarness h = new PostgresHarness(topo, warmup, ops);
      List<Result> results = new ArrayList<>();
      for (Setting s : settings) {
        results.addAll(h.runSetting(s));
      }
      return results;
    }
  }

  private List<Result> runSetting(Setting s) throws SQLException {
    LatencyProxy rawPrimary = link("raw", PRIMARY, s.primaryOneWay());
    LatencyProxy rawReplica = link("raw", REPLICA, s.replicaOneWay());
    LatencyProxy appPrimary = link("app", PRIMARY, s.primaryOneWay());
    LatencyProxy appReplica = link("app", REPLICA, s.replicaOneWay());
    LatencyProxy quietPrimary = link("quiet", PRIMARY, s.primaryOneWay());
    LatencyProxy quietReplica = link("quiet", REPLICA, s.replicaOneWay());
    List<Result> results = new ArrayList<>();
    try (HikariDataSource primaryPool = pool(rawPrimary, "raw-primary");
        HikariDataSource replicaPool = pool(rawReplica, "raw-replica");
        RegionRoutingDataSource router = router(appPrimary, appReplica, "", false, null);
        RegionRoutingDataSource validated = router(appPrimary, appReplica, "v-", true, null);
        // For counting only: monitors that poll once at start, then not for an hour, so that every round
        // trip on their links is an operation's own.
        RegionRoutingDataSource quiet = router(quietPrimary, quietReplica, "q-", false, Duration.ofHours(1));
        RegionRoutingDataSource quietValidated = router(quietPrimary, quietReplica, "qv-", true,
            Duration.ofHours(1))) {
      // The default since reads retry a failed first statement: no isValid per replica borrow.
      Arms read = new Arms("read", i -> read(replicaPool), i -> routed("reader-" + (i % ROWS), () -> read(router)),
          i -> routed("reader-" + (i % ROWS), () -> read(quiet)));
      Arms validatedRead = new Arms("read, validateReplicasOnBorrow on", read.raw(),
          i -> routed("reader-" + (i % ROWS), () -> read(validated)),
          i -> routed("reader-" + (i % ROWS), () -> read(quietValidated)));
      Arms write = new Arms("write (context + subject)", i -> write(primaryPool, i),
          i -> routed("writer-" + (i % ROWS), () -> write(router, i)),
          i -> routed("writer-" + (i % ROWS), () -> write(quiet, i)));
      // Read-your-writes without the router means reading from the primary: that is the raw arm.
      Arms readAfterWrite = new Arms("read-after-write (same subject)", i -> {
        write(primaryPool, i);
        read(primaryPool);
      }, i -> routed("rw-" + (i % ROWS), () -> {
        write(router, i);
        read(router);
      }), i -> routed("rw-" + (i % ROWS), () -> {
        write(quiet, i);
        read(quiet);
      }));
      for (Arms arms : List.of(read, validatedRead, write, readAfterWrite)) {
        results.add(measure(s, arms, new LatencyProxy[] {rawPrimary, rawReplica},
            new LatencyProxy[] {quietPrimary, quietReplica}));
      }
      // Rule 4's bounded wait: a write, a pause, then the read of it, timed alone. Without the router a read
      // that must see the write goes to the primary; the router sends it to the near replica once the monitor's
      // probe of the primary has resolved the write's position and the replica has replayed it, waiting for that
      // when it is expected sooner than the primary's answer.
      results.add(measurePart(s, "pinned read " + PINNED_READ_GAP.toMillis() + " ms after own write (read timed)",
          i -> {
            write(primaryPool, i);
            pause();
            return timed(() -> read(primaryPool));
          }, i -> routedTimed("pin-" + (i % ROWS), ignored -> {
            write(router, i);
            pause();
            return timed(() -> read(router));
          })));
    }
    return results;
  }

  /** One operation's three arms: raw, routed (timed), and routed under a quiet monitor (counted). */
  private record Arms(String op, Op raw, Op routed, Op routedQuiet) {
  }

  private Result measure(Setting s, Arms arms, LatencyProxy[] rawLinks, LatencyProxy[] quietLinks)
      throws SQLException {
    for (int i = 0; i < warmup; i++) {
      arms.raw().run(i);
      arms.routed().run(i);
    }
    long[] rawNanos = new long[ops];
    long[] routedNanos = new long[ops];
    for (int i = 0; i < ops; i++) {
      boolean rawFirst = (i & 1) == 0;
      for (int arm = 0; arm < 2; arm++) {
        boolean isRaw = (arm == 0) == rawFirst;
        long start = System.nanoTime();
        (isRaw ? arms.raw() : arms.routed()).run(i);
        long took = System.nanoTime() - start;
        (isRaw ? rawNanos : routedNanos)[i] = took;
      }
    }
    int counted = Math.min(ops, 100);
    // One uncounted op per arm first: HikariCP checks a connection idle for over 500 ms before lending it.
    arms.raw().run(0);
    long rawTrips = trips(rawLinks);
    for (int i = 0; i < counted; i++) {
      arms.raw().run(i);
    }
    rawTrips = trips(rawLinks) - rawTrips;
    arms.routedQuiet().run(0);
    long routedTrips = trips(quietLinks);
    for (int i = 0; i < counted; i++) {
      arms.routedQuiet().run(i);
    }
    routedTrips = trips(quietLinks) - routedTrips;
    return new Result(s.name(), arms.op(), median(rawNanos) / 1e6, median(routedNanos) / 1e6,
        mean(rawNanos) / 1e6, mean(routedNanos) / 1e6, rawTrips / (double) counted, routedTrips / (double) counted);
  }

  /**
   * Like {@link #measure} for an operation that times a part of itself, with a fifth of the iterations (each
   * costs a write, a pause and a read); no round-trip pass (the row's write and read cost one each in both arms,
   * as the rows above show).
   */
  private Result measurePart(Setting s, String op, TimedOp raw, TimedOp routed) throws SQLException {
    int n = Math.max(1, ops / 5);
    for (int i = 0; i < warmup / 5; i++) {
      raw.run(i);
      routed.run(i);
    }
    long[] rawNanos = new long[n];
    long[] routedNanos = new long[n];
    for (int i = 0; i < n; i++) {
      boolean rawFirst = (i & 1) == 0;
      for (int arm = 0; arm < 2; arm++) {
        boolean isRaw = (arm == 0) == rawFirst;
        (isRaw ? rawNanos : routedNanos)[i] = (isRaw ? raw : routed).run(i);
      }
    }
    return new Result(s.name(), op, median(rawNanos) / 1e6, median(routedNanos) / 1e6, mean(rawNanos) / 1e6,
        mean(routedNanos) / 1e6, Double.NaN, Double.NaN);
  }

  private static long timed(Body body) throws SQLException {
    long start = System.nanoTime();
    body.run();
    return System.nanoTime() - start;
  }

  private static void pause() {
    try {
      Thread.sleep(PINNED_READ_GAP.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Round trips carried so far; complete once an op returned (each request is counted before it is sent on). */
  private static long trips(LatencyProxy[] links) {
    long sum = 0;
    for (LatencyProxy link : links) {
      sum += link.roundTrips();
    }
    return sum;
  }

  private LatencyProxy link(String from, String node, Duration oneWay) {
    LatencyProxy p = topo.link(from, node);
    p.delay(oneWay);
    return p;
  }

  private HikariConfig config(LatencyProxy proxy, String name) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/postgres");
    c.setUsername(topo.user());
    // One connection per pool: the harness is single-threaded, and a second connection would log in (several
    // round trips) or be alive-checked by HikariCP in the middle of a counted pass.
    c.setMaximumPoolSize(1);
    c.setMinimumIdle(1);
    c.setPoolName(name);
    return c;
  }

  private HikariDataSource pool(LatencyProxy proxy, String name) {
    return new HikariDataSource(config(proxy, name));
  }

  private RegionRoutingDataSource router(LatencyProxy primary, LatencyProxy replica, String prefix, boolean validate,
      Duration monitorInterval) {
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder().localLocation("fra")
        .primary(PRIMARY, "eu", "fra", config(primary, "regionrouter-" + prefix + PRIMARY))
        .replica(REPLICA, "eu", "fra", config(replica, "regionrouter-" + prefix + REPLICA))
        .validateReplicasOnBorrow(validate);
    if (monitorInterval != null) {
      b.monitorInterval(monitorInterval);
    }
    return b.build();
  }

  @FunctionalInterface
  private interface Body {
    void run() throws SQLException;
  }

  @SuppressWarnings("try") // the scope is the point: it is the request's context while the body runs
  private static void routed(String subject, Body body) throws SQLException {
    try (RegionContext.Scope scope = RegionContext.open("eu", subject)) {
      body.run();
    }
  }

  @SuppressWarnings("try")
  private static long routedTimed(String subject, TimedOp body) throws SQLException {
    try (RegionContext.Scope scope = RegionContext.open("eu", subject)) {
      return body.run(0);
    }
  }

  private static void read(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT n FROM items WHERE id = 1")) {
        rs.next();
      }
    }
  }

  private static void write(DataSource ds, int i) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE items SET n = n + 1 WHERE id = " + (1 + i % ROWS));
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static double mean(long[] values) {
    return Arrays.stream(values).average().orElse(Double.NaN);
  }

  /**
   * The figures as a Markdown report: when, where, under what load, then one row per operation.
   *
   * @param results    what {@link #run} returned
   * @param ops        the recorded iterations per arm and row
   * @param loadBefore the 1-minute load average when the run started
   * @param loadAfter  the 1-minute load average when it ended
   * @param took       the run's wall-clock time
   * @return the report
   */
  public static String report(List<Result> results, int ops, double loadBefore, double loadAfter, Duration took) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Real-PostgreSQL harness: router vs raw HikariCP, op by op\n\n");
    sb.append(String.format(Locale.ROOT, "- date: %s%n- JDK: %s %s%n- machine: %s, %s %s, %d cores%n"
            + "- load average (1 min) before / after: %.2f / %.2f; %d recorded ops per arm and row; took %d s%n%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), System.getProperty("java.vm.name"),
        Runtime.version(), cpuModel(), System.getProperty("os.name"), System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, ops, took.toSeconds()));
    sb.append("Ratios from the timed, interleaved pass. Round trips: client request turns counted by each arm's "
        + "latency proxy over up to 100 ops, the routed arm through a router whose monitor is quiet (one poll at "
        + "start), so every turn counted is the operation's own, but for one: with a far primary, a routed write "
        + "that commits asks the monitor for one position probe of the primary (the \"kick\", rule 4), which "
        + "travels the same link on the monitor's own connection after the commit; the caller does not wait for it "
        + "(compare the timed ratio), and it lets the writer's next read go to the near replica one primary round "
        + "trip after the write. The \"pinned read\" rows time only a read of one's own write made "
        + PINNED_READ_GAP.toMillis() + " ms before: raw reads it from the primary (the only place sure to have it "
        + "without the router), the router from the near replica once it has provably replayed it.\n\n");
    sb.append("| setting | op | raw median ms | routed median ms | ratio (median) | ratio (mean) "
        + "| round trips raw | round trips routed |\n|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %s | %s |%n", r.setting(),
          r.op(), r.rawMedianMs(), r.routedMedianMs(), r.medianRatio(), r.meanRatio(), trips(r.rawRoundTrips()),
          trips(r.routedRoundTrips())));
    }
    return sb.toString();
  }

  private static String trips(double perOp) {
    return Double.isNaN(perOp) ? "not counted" : String.format(Locale.ROOT, "%.2f", perOp);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("cpu unknown");
    } catch (IOException | RuntimeException e) {
      return "cpu unknown";
    }
  }

  /**
   * Runs the harness and writes its report.
   *
   * @param args {@code [ops [warmup [report path]]]}: defaults 1000, 200, {@code benchmarks/results/POSTGRES.md}
   */
  public static void main(String[] args) throws Exception {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path out = Path.of(args.length > 2 ? args[2] : "benchmarks/results/POSTGRES.md");
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long start = System.nanoTime();
    List<Result> results = run(warmup, ops, List.of(NEAR, FAR));
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    String report = report(results, ops, loadBefore, loadAfter, Duration.ofNanos(System.nanoTime() - start));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    System.out.print(report);
  }
}
