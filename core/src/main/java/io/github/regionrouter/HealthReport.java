package io.github.regionrouter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One answer of {@link RegionRoutingDataSource#health(HealthLevel)}: UP or DOWN for one level, why, and what
 * every node looks like. Computed from the monitor's latest snapshot only; no connection is opened.
 *
 * <p>Immutable and thread-safe; the per-node details and the JSON are built on first use.
 */
public interface HealthReport {

  /** The level this report answers. */
  HealthLevel level();

  /** Whether the level is UP. */
  boolean isUp();

  /** When DOWN, one human reason per problem (what, where, and for how long); empty when UP. */
  List<String> problems();

  /** Nodes failing now: down, or quarantined (wrong cluster behind the URL). Counted by {@link HealthLevel#FULL}. */
  int failingNodes();

  /** When the snapshot this report reads was published by the monitor. */
  Instant snapshotTakenAt();

  /** Per region, the name of the node taking its writes now; a region with none is absent. */
  Map<String, String> writeTargets();

  /** Every node, in configuration order: role, up, lag in time and bytes, RTT, why excluded. */
  List<NodeStatus> nodes();

  /** The whole snapshot this report reads. */
  TopologyStatus status();

  /**
   * Compact JSON for health endpoints: {@code status}, {@code level}, {@code problems}, {@code failingNodes},
   * per-region {@code writeTargets} ({@code null} when none) and per node {@code name}, {@code region},
   * {@code location}, {@code role}, {@code up}, {@code lagMs}, {@code lagBytes}, {@code rttMs},
   * {@code excluded}. It holds no JDBC URL, user name or password.
   */
  String toJson();
}
