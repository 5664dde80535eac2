package io.github.regionrouter.internal;

import io.github.regionrouter.HealthLevel;
import io.github.regionrouter.HealthReport;
import io.github.regionrouter.NodeRole;
import io.github.regionrouter.NodeStatus;
import io.github.regionrouter.RegionUnavailableException.Reason;
import io.github.regionrouter.TopologyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A health answer read off one {@link TopologySnapshot}. The UP/DOWN decision walks the snapshot's arrays and
 * allocates nothing but this object while all is well; problems, per-node details and the JSON are built
 * only when asked for (a DOWN answer, an HTTP endpoint). Immutable; thread-safe (lazy fields are idempotent).
 */
final class SnapshotHealth implements HealthReport {

  static final String CLOSED = "the region-router data source is closed";

  private final HealthLevel level;
  private final boolean up;
  private final List<String> problems;
  private final int failing;
  private final TopologySnapshot snapshot;
  private final String[] regions;
  private volatile TopologyStatus status;
  private volatile String json;

  private SnapshotHealth(HealthLevel level, boolean up, List<String> problems, int failing,
      TopologySnapshot snapshot, String[] regions) {
    this.level = level;
    this.up = up;
    this.problems = problems;
    this.failing = failing;
    this.snapshot = snapshot;
    this.regions = regions;
  }

  /**
   * The answer for {@code level}.
   *
   * @param nowNanos {@code System.nanoTime()} now: how long a replica has been over the lag bound is measured
   *                 against it, so a stale snapshot cannot hide a lag that outlived the grace
   */
  static SnapshotHealth evaluate(HealthLevel level, TopologySnapshot s, String[] regions, boolean open,
      long nowNanos, long maxLagNanos, HealthSettings settings) {
    int failing = 0;
    for (NodeState st : s.states) {
      if (!st.up || st.quarantined) {
        failing++;
      }
    }
    if (!open) {
      return new SnapshotHealth(level, false, List.of(CLOSED), failing, s, regions);
    }
    boolean up = switch (level) {
      case BASIC -> true;
      case DB -> dbUp(s, nowNanos, settings.lagGrace().toNanos());
      case FULL -> failing <= settings.fullMaxFailing();
    };
    List<String> problems = up ? List.of()
        : level == HealthLevel.DB ? dbProblems(s, regions, nowNanos, maxLagNanos, settings.lagGrace())
        : List.of(fullProblem(s, failing, settings.fullMaxFailing()));
    return new SnapshotHealth(level, up, problems, failing, s, regions);
  }

  private static boolean dbUp(TopologySnapshot s, long now, long graceNanos) {
    for (int target : s.writeTarget) {
      if (target < 0) {
        return false;
      }
    }
    for (NodeState st : s.states) {
      if (overGrace(st, now, graceNanos)) {
        return false;
      }
    }
    return true;
  }

  private static boolean overGrace(NodeState st, long now, long graceNanos) {
    return st.up && st.role == NodeRole.REPLICA && st.overLag && now - st.overLagSinceNanos > graceNanos;
  }

  private static List<String> dbProblems(TopologySnapshot s, String[] regions, long now, long maxLagNanos,
      Duration grace) {
    List<String> problems = new ArrayList<>();
    for (int r = 0; r < regions.length; r++) {
      if (s.writeTarget[r] >= 0) {
        continue;
      }
      if (s.writeProblem[r] == Reason.SPLIT_BRAIN) {
        problems.add("region '" + regions[r] + "' has no single primary: " + s.writeProblemDetail[r]
            + "; its writes fail until one is demoted or stopped");
      } else {
        problems.add("region '" + regions[r] + "' has no up primary (" + nodesOf(s, r)
            + "); its writes fail until a primary is back or a replica is promoted");
      }
    }
    for (Node n : s.nodes) {
      NodeState st = s.states[n.index];
      if (overGrace(st, now, grace.toNanos())) {
        problems.add("replica '" + n.name + "' of region '" + n.region + "' has been over maxReplicaLag "
            + maxLagNanos / 1_000_000 + "ms for " + (now - st.overLagSinceNanos) / 1_000_000 + "ms (lagGrace "
            + grace.toMillis() + "ms); lag now " + st.lagNanos / 1_000_000 + "ms, " + st.lagBytes + " bytes");
      }
    }
    return List.copyOf(problems);
  }

  private static String nodesOf(TopologySnapshot s, int region) {
    List<String> parts = new ArrayList<>();
    for (Node n : s.nodes) {
      if (n.regionIndex == region) {
        NodeState st = s.states[n.index];
        parts.add(n.name + " " + (st.up ? "up as " + st.role.name().toLowerCase(Locale.ROOT) : "down")
            + (st.quarantined ? ", quarantined" : ""));
      }
    }
    return String.join(", ", parts);
  }

  private static String fullProblem(TopologySnapshot s, int failing, int max) {
    List<String> parts = new ArrayList<>();
    for (Node n : s.nodes) {
      NodeState st = s.states[n.index];
      if (!st.up || st.quarantined) {
        parts.add(n.name + " (" + st.excluded + ")");
      }
    }
    return failing + " nodes failing, more than fullMaxFailing " + max + ": " + String.join("; ", parts);
  }

  @Override
  public HealthLevel level() {
    return level;
  }

  @Override
  public boolean isUp() {
    return up;
  }

  @Override
  public List<String> problems() {
    return problems;
  }

  @Override
  public int failingNodes() {
    return failing;
  }

  @Override
  public Instant snapshotTakenAt() {
    return Instant.ofEpochMilli(snapshot.takenAtMillis);
  }

  @Override
  public Map<String, String> writeTargets() {
    return status().writeTargets();
  }

  @Override
  public List<NodeStatus> nodes() {
    return status().nodes();
  }

  @Override
  public TopologyStatus status() {
    TopologyStatus st = status;
    if (st == null) {
      st = snapshot.toStatus(Arrays.asList(regions));
      status = st;
    }
    return st;
  }

  @Override
  public String toJson() {
    String j = json;
    if (j == null) {
      j = HealthJson.write(this, regions);
      json = j;
    }
    return j;
  }

  @Override
  public String toString() {
    return level.path() + " " + (up ? "UP" : "DOWN") + (problems.isEmpty() ? "" : " " + problems);
  }
}
