package io.github.regionrouter.spring;

import io.github.regionrouter.HealthLevel;
import io.github.regionrouter.HealthReport;
import io.github.regionrouter.NodeStatus;
import io.github.regionrouter.RegionRoutingDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One health level of the routing data source as a Boot {@link HealthIndicator}: UP or DOWN as
 * {@link RegionRoutingDataSource#health(HealthLevel)} answers, with its problems and per-node details. It
 * reads the monitor's snapshot and never opens a connection, so probes cost nothing and cannot exhaust a
 * pool.
 *
 * <p>Thread-safe.
 */
public final class RegionRouterHealthIndicator implements HealthIndicator {

  private final RegionRoutingDataSource dataSource;
  private final HealthLevel level;

  /**
   * @param dataSource the routing data source
   * @param level      the level this indicator answers
   */
  public RegionRouterHealthIndicator(RegionRoutingDataSource dataSource, HealthLevel level) {
    this.dataSource = dataSource;
    this.level = level;
  }

  @Override
  public Health health() {
    HealthReport report = dataSource.health(level);
    Health.Builder health = report.isUp() ? Health.up() : Health.down();
    health.withDetail("level", level.path());
    if (!report.problems().isEmpty()) {
      health.withDetail("problems", report.problems());
    }
    health.withDetail("failingNodes", report.failingNodes());
    health.withDetail("writeTargets", report.writeTargets());
    Map<String, Object> nodes = new LinkedHashMap<>();
    for (NodeStatus node : report.nodes()) {
      nodes.put(node.name(), describe(node));
    }
    health.withDetail("nodes", nodes);
    return health.build();
  }

  private static Map<String, Object> describe(NodeStatus node) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("region", node.region());
    details.put("location", node.location());
    details.put("role", node.observedRole().name().toLowerCase(java.util.Locale.ROOT));
    details.put("up", node.up());
    details.put("lagMs", node.lagTime() == null ? null : node.lagTime().toMillis());
    details.put("lagBytes", node.lagBytes());
    details.put("rttMs", node.rtt() == null ? null : node.rtt().toNanos() / 1_000_000.0);
    details.put("excluded", node.excludedReason());
    return details;
  }
}
