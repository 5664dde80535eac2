package io.github.regionrouter.micrometer;

/** The names of region-router's meters, in one place: they are part of the API. */
public final class MetricNames {

  /** Counter; tags region, node, role, reason. */
  public static final String CONNECTIONS = "regionrouter.connections";
  /** Gauge, seconds; tags region, node. */
  public static final String REPLICA_LAG = "regionrouter.replica.lag";
  /** Gauge, bytes; tags region, node. */
  public static final String REPLICA_LAG_BYTES = "regionrouter.replica.lag.bytes";
  /** Gauge, seconds; tags region, node. */
  public static final String NODE_RTT = "regionrouter.node.rtt";
  /** Gauge, 0 or 1; tags region, node. */
  public static final String NODE_UP = "regionrouter.node.up";
  /** Gauge; tag region. */
  public static final String PINS = "regionrouter.pins";
  /** Counter; tags region, node (the node failed over from). */
  public static final String FAILOVERS = "regionrouter.failovers";
  /** Counter; tags region ("unknown" for an unknown region), reason. */
  public static final String REFUSALS = "regionrouter.refusals";

  private MetricNames() {
  }
}
