package io.github.regionrouter.demo;

import io.github.regionrouter.NodeStatus;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.demo.Geography.Group;
import io.github.regionrouter.demo.Recorder.Outcome;
import io.github.regionrouter.demo.Recorder.Phase;
import io.github.regionrouter.testing.LatencyProxy;
import io.github.regionrouter.testing.PgNode;
import io.github.regionrouter.testing.PostgresTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the story once: topology, phase 1 (single region), phase 2 (region-router), the drill, the checks, the
 * report. Prints a progress line every few seconds to {@code out}.
 *
 * <p>Not thread-safe: one run per instance.
 */
final class Demo {

  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  private final DemoOptions options;
  private final PrintStream out;
  private final Geography geo;
  private final Tokens tokens = new Tokens();
  private final Recorder recorder = new Recorder();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final ExecutorService httpExecutor = Executors.newCachedThreadPool(daemon("demo-http"));
  private volatile Phase phase;
  private long lastProgress;

  Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.geo = new Geography(options.scale());
  }

  DemoResult run() throws InterruptedException, IOException, SQLException {
    out.println("[demo] " + Geography.describe() + (geo.scale() != 1.0 ? ", scaled by " + geo.scale() : ""));
    out.println("[demo] starting 5 PostgreSQL servers with streaming replication (us: iad + replicas fra, sin;"
        + " eu: fra + replica fra) ...");
    try (DemoTopology topo = DemoTopology.start(geo)) {
      try {
        Map<String, Long> singleRows = singleRegionPhase(topo);
        return routerPhases(topo, singleRows);
      } finally {
        // app instances and their data sources before the servers, so no monitor reports the shutdown
        for (int i = closeables.size() - 1; i >= 0; i--) {
          try {
            closeables.get(i).close();
          } catch (Exception e) {
            out.println("[demo] closing " + closeables.get(i) + " failed: " + e);
          }
        }
      }
    } finally {
      httpExecutor.shutdownNow();
    }
  }

  private Map<String, Long> singleRegionPhase(DemoTopology topo) throws InterruptedException, SQLException {
    out.println("[demo] phase 1/3 \"single region\": one app instance and one primary in iad serve everyone");
    Map<Group, LatencyProxy> links = new EnumMap<>(Group.class);
    try (AppInstance app = AppInstance.start("app-iad-single-region", topo.singleRegionProperties(tokens))) {
      try {
        for (Group g : Group.values()) {
          links.put(g, LatencyProxy.start("127.0.0.1", app.port(), geo.userTo(g, Geography.IAD)));
        }
        runUsers(links, Phase.SINGLE, options.phase(), null);
      } finally {
        links.values().forEach(LatencyProxy::close);
      }
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Connection c = topo.topology().connect(DemoTopology.US_PRIMARY);
         PreparedStatement st = c.prepareStatement("SELECT substring(subject from '[|]([a-z]+)-user-') AS grp,"
             + " count(*) FROM " + DemoTopology.SINGLE_TABLE + " GROUP BY grp ORDER BY grp");
         ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getLong(2));
      }
    }
    return rows;
  }

  private DemoResult routerPhases(DemoTopology topo, Map<String, Long> singleRows)
      throws InterruptedException, SQLException, IOException {
    out.println("[demo] phase 2/3 \"region-router\": a Boot app instance per location, users on the nearest one");
    Map<String, RegionRoutingDataSource> dataSources = new LinkedHashMap<>();
    Map<String, AppInstance> apps = new LinkedHashMap<>();
    for (String location : Geography.LOCATIONS) {
      AppInstance app = AppInstance.start("app-" + location, topo.routerProperties(location, tokens));
      closeables.add(app);
      apps.put(location, app);
      dataSources.put(location, app.dataSource());
    }
    awaitAllServing(dataSources);
    Map<Group, LatencyProxy> links = new EnumMap<>(Group.class);
    for (Group g : Group.values()) {
      LatencyProxy link = LatencyProxy.start("127.0.0.1", apps.get(g.home).port(), geo.userTo(g, g.home));
      closeables.add(link);
      links.put(g, link);
    }
    Drill drill = new Drill(topo.topology(), dataSources.get(Geography.FRA), dataSources.get(Geography.SIN),
        List.of(dataSources.get(Geography.FRA), dataSources.get(Geography.IAD), dataSources.get(Geography.SIN)),
        recorder, options.drillStep());
    runUsers(links, Phase.ROUTER, options.phase(), () -> {
      out.println("[demo] phase 3/3 \"drill\": replica killed, replay paused, EU primary lost and promoted,"
          + " old primary back");
      phase = Phase.DRILL;
      drill.run(this::progress);
    });
    long retries = apps.values().stream().mapToLong(AppInstance::readRetries).sum();
    Map<String, Map<String, Long>> rows = rowsByNode(topo.topology());
    long misplaced = 0;
    for (Map.Entry<String, Map<String, Long>> node : rows.entrySet()) {
      String region = topo.topology().node(node.getKey()).region();
      for (Map.Entry<String, Long> r : node.getValue().entrySet()) {
        if (!r.getKey().equals(region)) {
          misplaced += r.getValue();
        }
      }
    }
    long lost = lostWrites(topo.topology(), "eu", DemoTopology.EU_REPLICA)
        + lostWrites(topo.topology(), "us", DemoTopology.US_PRIMARY);
    Report report = new Report(options, geo, recorder, drill.timeline(), rows, misplaced, lost, retries,
        drill.splitBrainRefusal(), singleRows);
    return report.write(out);
  }

  /**
   * Runs the users of every group against their link for the warm-up and then {@code measured} in
   * {@code measuredPhase}; then, if given, {@code afterwards} while they keep going; then stops them.
   */
  private void runUsers(Map<Group, LatencyProxy> links, Phase measuredPhase, Duration measured,
      Interruptible afterwards) throws InterruptedException {
    List<SimulatedUser> users = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Supplier<Phase> currentPhase = () -> phase;
    phase = null;
    long seed = measuredPhase.ordinal() * 1000L;
    for (Group g : Group.values()) {
      URI base = URI.create("http://" + links.get(g).host() + ":" + links.get(g).port() + "/");
      for (int i = 1; i <= options.usersPerGroup(); i++) {
        String subject = g.key + "-user-" + i;
        SimulatedUser user = new SimulatedUser(g, tokens.mint(subject, g.region, TOKEN_LIFETIME), recorder,
            currentPhase, () -> base, options.think(), seed++, httpExecutor);
        Thread t = daemon("demo-" + subject).newThread(user);
        users.add(user);
        threads.add(t);
      }
    }
    threads.forEach(Thread::start);
    try {
      Thread.sleep(WARM_UP.toMillis());
      phase = measuredPhase;
      long end = System.nanoTime() + measured.toNanos();
      while (System.nanoTime() < end) {
        progress();
        Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      }
      if (afterwards != null) {
        afterwards.run();
      }
    } finally {
      phase = null;
      users.forEach(SimulatedUser::stop);
      for (Thread t : threads) {
        t.join(30_000);
      }
    }
    progress();
  }

  /** Prints the progress line, at most every 5 s. */
  private void progress() {
    long now = System.nanoTime();
    Phase p = phase;
    if (now - lastProgress < 5_000_000_000L || p == null) {
      return;
    }
    List<Recorder.Sample> samples = recorder.samples(p);
    if (samples.isEmpty()) {
      return;
    }
    lastProgress = now;
    long failed = samples.stream().filter(s -> s.outcome() == Outcome.ERROR).count();
    long refused = samples.stream().filter(s -> s.outcome() == Outcome.REFUSED).count();
    long stale = samples.stream().filter(s -> s.outcome() == Outcome.STALE).count();
    StringBuilder line = new StringBuilder("[demo] ").append(p.title).append(": ").append(samples.size())
        .append(" requests");
    for (Group g : Group.values()) {
      line.append(String.format(" | %s p95 %.0f ms", g.key,
          Recorder.percentileMillis(recorder.latencies(p, g, null), 95)));
    }
    line.append(" | errors ").append(failed).append(", refused ").append(refused).append(", stale ").append(stale);
    out.println(line);
  }

  private void awaitAllServing(Map<String, RegionRoutingDataSource> dataSources) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (Map.Entry<String, RegionRoutingDataSource> e : dataSources.entrySet()) {
      while (!e.getValue().status().nodes().stream()
          .allMatch(n -> n.up() && (n.writeTarget() || n.readEligible()))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("app-" + e.getKey() + " does not see every node serving after 30 s: "
              + e.getValue().status().nodes().stream().map(NodeStatus::toString).toList());
        }
        Thread.sleep(50);
      }
    }
  }

  private static Map<String, Map<String, Long>> rowsByNode(PostgresTopology topo) throws SQLException {
    Map<String, Map<String, Long>> rows = new LinkedHashMap<>();
    for (PgNode node : topo.nodes()) {
      if (node.name().equals(DemoTopology.EU_PRIMARY)) {
        continue; // fenced (stopped) at the end of the drill; what it holds, eu-replica holds too
      }
      Map<String, Long> byRegion = new LinkedHashMap<>();
      try (Connection c = topo.connect(node.name());
           PreparedStatement st = c.prepareStatement("SELECT region, count(*) FROM " + DemoTopology.TABLE
               + " GROUP BY region ORDER BY region");
           ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byRegion.put(rs.getString(1), rs.getLong(2));
        }
      }
      rows.put(node.name(), byRegion);
    }
    return rows;
  }

  /** Acknowledged writes of the region missing from the node that is its primary at the end. */
  private long lostWrites(PostgresTopology topo, String region, String primaryNow) throws SQLException {
    long[] ids = recorder.acknowledgedIds(region);
    if (ids.length == 0) {
      return 0;
    }
    try (Connection c = topo.connect(primaryNow)) {
      Array array = c.createArrayOf("bigint", java.util.Arrays.stream(ids).boxed().toArray());
      try (PreparedStatement st = c.prepareStatement("SELECT count(DISTINCT id) FROM " + DemoTopology.TABLE
          + " WHERE region = ? AND id = ANY (?)")) {
        st.setString(1, region);
        st.setArray(2, array);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return java.util.Arrays.stream(ids).distinct().count() - rs.getLong(1);
        }
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.contains("user") ? prefix : prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A step that may be interrupted. */
  @FunctionalInterface
  interface Interruptible {
    void run() throws InterruptedException;
  }
}
