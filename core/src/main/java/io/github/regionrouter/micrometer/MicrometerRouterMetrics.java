package io.github.regionrouter.micrometer;

import io.github.regionrouter.internal.RouterMetrics;
import io.github.regionrouter.internal.RoutingView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Publishes the router's metrics to Micrometer. Every meter is created here, once, when the data source is
 * built; the hot path only increments pre-created counters held in arrays. The names are part of the API:
 * see {@link MetricNames}. Thread-safe.
 */
public final class MicrometerRouterMetrics implements RouterMetrics {

  private final MeterRegistry registry;
  private final Counter[][] connections;
  private final Counter[][] refusals;
  private final Counter[] unknownRegion;
  private final Counter[] failovers;
  private final List<Meter> meters = new ArrayList<>();

  private MicrometerRouterMetrics(MeterRegistry registry, RoutingView view) {
    this.registry = registry;
    List<String> names = view.nodeNames();
    List<String> regions = view.regionNames();
    List<String> nodeRegions = view.nodeRegions();
    List<String> reasons = view.reasonTags();
    List<String> roles = view.reasonRoles();
    connections = new Counter[names.size()][reasons.size()];
    failovers = new Counter[names.size()];
    for (int n = 0; n < names.size(); n++) {
      for (int r = 0; r < reasons.size(); r++) {
        connections[n][r] = track(Counter.builder(MetricNames.CONNECTIONS)
            .description("Connections bound to a node, by why they went there")
            .tag("region", nodeRegions.get(n)).tag("node", names.get(n))
            .tag("role", roles.get(r)).tag("reason", reasons.get(r))
            .register(registry));
      }
      failovers[n] = track(Counter.builder(MetricNames.FAILOVERS)
          .description("Bind-time failovers away from a node that could not hand out a connection")
          .tag("region", nodeRegions.get(n)).tag("node", names.get(n))
          .register(registry));
      int node = n;
      track(Gauge.builder(MetricNames.REPLICA_LAG, view, v -> v.lagSeconds(node))
          .description("Replication lag in time (NaN when unknown)").baseUnit("seconds")
          .tag("region", nodeRegions.get(n)).tag("node", names.get(n)).register(registry));
      track(Gauge.builder(MetricNames.REPLICA_LAG_BYTES, view, v -> v.lagBytes(node))
          .description("Replication lag in WAL bytes (NaN when unknown)").baseUnit("bytes")
          .tag("region", nodeRegions.get(n)).tag("node", names.get(n)).register(registry));
      track(Gauge.builder(MetricNames.NODE_RTT, view, v -> v.rttSeconds(node))
          .description("Moving average of the monitor's round trip to the node").baseUnit("seconds")
          .tag("region", nodeRegions.get(n)).tag("node", names.get(n)).register(registry));
      track(Gauge.builder(MetricNames.NODE_UP, view, v -> v.up(node))
          .description("1 when the node answers, else 0")
          .tag("region", nodeRegions.get(n)).tag("node", names.get(n)).register(registry));
    }
    List<String> refusalTags = List.of(RouterMetrics.REFUSAL_TAGS);
    refusals = new Counter[regions.size()][refusalTags.size()];
    for (int g = 0; g < regions.size(); g++) {
      for (int r = 0; r < refusalTags.size(); r++) {
        refusals[g][r] = track(refusal(regions.get(g), refusalTags.get(r)));
      }
      int region = g;
      track(Gauge.builder(MetricNames.PINS, view, v -> v.pins(region))
          .description("Read-your-writes pins held").tag("region", regions.get(g)).register(registry));
    }
    // An unknown region's name is caller input: never a tag value (unbounded cardinality).
    unknownRegion = new Counter[] {track(refusal("unknown", refusalTags.get(RouterMetrics.UNKNOWN_REGION)))};
  }

  private Counter refusal(String region, String reason) {
    return Counter.builder(MetricNames.REFUSALS)
        .description("Connections refused, by reason")
        .tag("region", region).tag("reason", reason)
        .register(registry);
  }

  private <M extends Meter> M track(M meter) {
    meters.add(meter);
    return meter;
  }

  /**
   * Creates every meter in {@code registry} (a {@link MeterRegistry}) for the router behind {@code view}.
   *
   * @throws ClassCastException if {@code registry} is not a Micrometer {@link MeterRegistry}
   */
  public static RouterMetrics bind(Object registry, RoutingView view) {
    return new MicrometerRouterMetrics((MeterRegistry) Objects.requireNonNull(registry, "registry"), view);
  }

  @Override
  public void connection(int node, int reason) {
    connections[node][reason].increment();
  }

  @Override
  public void refusal(int region, int reason) {
    (region < 0 ? unknownRegion[0] : refusals[region][reason]).increment();
  }

  @Override
  public void failover(int node) {
    failovers[node].increment();
  }

  /** Removes every meter this binding created, so a closed data source leaves no stale gauges behind. */
  @Override
  public void close() {
    for (Meter meter : meters) {
      registry.remove(meter);
    }
  }
}
