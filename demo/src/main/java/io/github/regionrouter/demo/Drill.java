package io.github.regionrouter.demo;

import io.github.regionrouter.NodeStatus;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.RegionUnavailableException;
import io.github.regionrouter.TopologyStatus;
import io.github.regionrouter.testing.PostgresTopology;
import io.github.regionrouter.testing.StopMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The game-day drill, run while the users keep going: real faults on the real servers, and what the routers of
 * the app instances saw, with times.
 *
 * <ol>
 *   <li>A replica dies: {@code us-replica-sin} is stopped (immediate shutdown); Asian reads move to the next
 *       nearest US node. It comes back and takes its reads again.</li>
 *   <li>Replay is paused on {@code eu-replica} until its lag is past the 500 ms bound; EU reads move to the
 *       EU primary. Replay resumes.</li>
 *   <li>The EU primary is lost (immediate shutdown): EU writes are refused (no primary) while reads carry on
 *       from the replica; the replica is promoted and takes the writes.</li>
 *   <li>The old EU primary comes back, still writable: two writable nodes, a split brain; the router refuses
 *       EU writes rather than guess. The old primary is fenced (stopped) and writes resume.</li>
 * </ol>
 *
 * <p>Runs on one thread.
 */
final class Drill {

  /** One moment of the drill. */
  record Event(long atMillis, String what) {
  }

  private static final Duration AWAIT = Duration.ofSeconds(30);

  private final PostgresTopology topo;
  private final RegionRoutingDataSource fra;
  private final RegionRoutingDataSource sin;
  private final List<RegionRoutingDataSource> euAware;
  private final Recorder recorder;
  private final Duration hold;
  private final List<Event> timeline = new ArrayList<>();
  private String splitBrainRefusal;

  Drill(PostgresTopology topo, RegionRoutingDataSource fra, RegionRoutingDataSource sin,
      List<RegionRoutingDataSource> euAware, Recorder recorder, Duration hold) {
    this.topo = topo;
    this.fra = fra;
    this.sin = sin;
    this.euAware = euAware;
    this.recorder = recorder;
    this.hold = hold;
  }

  List<Event> timeline() {
    return List.copyOf(timeline);
  }

  /** The router's message when it refused the probe write during the split brain; null if it never did. */
  String splitBrainRefusal() {
    return splitBrainRefusal;
  }

  void run(Runnable progress) throws InterruptedException {
    mark("drill starts; users keep going");
    replicaDies(progress);
    replayPaused(progress);
    primaryLost(progress);
    oldPrimaryBack(progress);
    mark("drill ends");
  }

  private void replicaDies(Runnable progress) throws InterruptedException {
    topo.stop(DemoTopology.US_REPLICA_SIN, StopMode.IMMEDIATE);
    mark("us-replica-sin killed (immediate shutdown)");
    await(sin, s -> !node(s, DemoTopology.US_REPLICA_SIN).up(), "app-sin sees us-replica-sin down");
    mark("app-sin: us-replica-sin down; Asian reads go to " + readTargets(sin, "us"));
    hold(progress, hold);
    topo.restart(DemoTopology.US_REPLICA_SIN);
    topo.awaitReplayed(DemoTopology.US_REPLICA_SIN, AWAIT);
    mark("us-replica-sin restarted and caught up");
    await(sin, s -> node(s, DemoTopology.US_REPLICA_SIN).readEligible(), "app-sin reads from us-replica-sin again");
    mark("app-sin: Asian reads back on " + readTargets(sin, "us"));
  }

  private void replayPaused(Runnable progress) throws InterruptedException {
    topo.pauseReplay(DemoTopology.EU_REPLICA);
    mark("eu-replica: WAL replay paused");
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (node(fra.status(), DemoTopology.EU_REPLICA).readEligible() && System.nanoTime() < deadline) {
      heartbeat(); // the EU primary moves on even if no EU user writes just now, so the lag grows
      Thread.sleep(100);
    }
    NodeStatus lagging = node(fra.status(), DemoTopology.EU_REPLICA);
    if (lagging.readEligible()) {
      throw new IllegalStateException("the drill expected app-fra to stop reading from eu-replica once its lag"
          + " passed 500 ms, but after " + AWAIT.toSeconds() + " s it still does: " + lagging);
    }
    mark("app-fra: eu-replica lag " + millis(lagging.lagTime()) + " > 500 ms, excluded (" + lagging.excludedReason()
        + "); EU reads go to " + readTargets(fra, "eu"));
    hold(progress, hold);
    topo.resumeReplay(DemoTopology.EU_REPLICA);
    topo.awaitReplayed(DemoTopology.EU_REPLICA, AWAIT);
    mark("eu-replica: replay resumed and caught up");
    await(fra, s -> node(s, DemoTopology.EU_REPLICA).readEligible(), "app-fra reads from eu-replica again");
    mark("app-fra: EU reads back on " + readTargets(fra, "eu"));
  }

  private void primaryLost(Runnable progress) throws InterruptedException {
    topo.stop(DemoTopology.EU_PRIMARY, StopMode.IMMEDIATE);
    mark("eu-primary lost (immediate shutdown)");
    await(fra, s -> !s.writeTargets().containsKey("eu"), "app-fra sees no EU primary");
    mark("app-fra: EU writes refused (" + fra.status().writeProblems().get("eu") + "); EU reads go to "
        + readTargets(fra, "eu"));
    hold(progress, hold.dividedBy(2));
    topo.promote(DemoTopology.EU_REPLICA);
    mark("eu-replica promoted");
    for (RegionRoutingDataSource ds : euAware) {
      await(ds, s -> DemoTopology.EU_REPLICA.equals(s.writeTargets().get("eu")), "EU writes go to eu-replica");
    }
    mark("every instance: EU writes go to eu-replica (promoted)");
    hold(progress, hold);
  }

  private void oldPrimaryBack(Runnable progress) throws InterruptedException {
    topo.restart(DemoTopology.EU_PRIMARY);
    mark("old eu-primary back, still writable: two writable EU nodes");
    await(fra, s -> s.writeProblems().getOrDefault("eu", "").contains("split")
        || (!s.writeTargets().containsKey("eu") && node(s, DemoTopology.EU_PRIMARY).up()),
        "app-fra sees two writable EU nodes");
    try (RegionContext.Scope scope = RegionContext.open("eu", "drill-probe");
         Connection c = fra.getConnection();
         Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO drill.heartbeat DEFAULT VALUES");
      mark("PROMISE BROKEN: a write was accepted during the split brain");
    } catch (RegionUnavailableException e) {
      splitBrainRefusal = e.getMessage();
      mark("app-fra refused an EU write: " + e.reason().tag() + " (" + e.getMessage() + ")");
    } catch (SQLException e) {
      mark("the probe write during the split brain failed otherwise: " + e);
    }
    topo.stop(DemoTopology.EU_PRIMARY, StopMode.FAST);
    mark("old eu-primary fenced (stopped)");
    for (RegionRoutingDataSource ds : euAware) {
      await(ds, s -> DemoTopology.EU_REPLICA.equals(s.writeTargets().get("eu")), "EU writes resume on eu-replica");
    }
    mark("every instance: EU writes on eu-replica again");
    hold(progress, hold);
  }

  private void heartbeat() {
    try (Connection c = topo.connect(DemoTopology.EU_PRIMARY); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO drill.heartbeat DEFAULT VALUES");
    } catch (SQLException e) {
      throw new IllegalStateException("the drill's heartbeat write on eu-primary failed: " + e, e);
    }
  }

  private void mark(String what) {
    timeline.add(new Event(recorder.nowMillis(), what));
  }

  private static void hold(Runnable progress, Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      progress.run();
      Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    }
  }

  private static void await(RegionRoutingDataSource ds, Predicate<TopologyStatus> condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.test(ds.status())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("drill: waited " + AWAIT.toSeconds() + " s for '" + what
            + "' and it did not happen; router status: " + ds.status());
      }
      Thread.sleep(50);
    }
  }

  private static NodeStatus node(TopologyStatus s, String name) {
    return s.node(name).orElseThrow(() -> new IllegalStateException("no node " + name + " in " + s));
  }

  private static String readTargets(RegionRoutingDataSource ds, String region) {
    List<String> eligible = ds.status().nodes().stream()
        .filter(n -> n.region().equals(region) && n.readEligible()).map(NodeStatus::name)
        .collect(Collectors.toList());
    if (!eligible.isEmpty()) {
      return String.join(" / ", eligible);
    }
    String primary = ds.status().writeTargets().get(region);
    return primary != null ? primary + " (primary: no eligible replica)" : "the most advanced standby";
  }

  private static String millis(Duration d) {
    return d == null ? "unknown" : d.toMillis() + " ms";
  }
}
