package io.github.regionrouter.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.regionrouter.NodeRole;
import io.github.regionrouter.SubjectFence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The immutable, validated configuration of one routing data source. The builder is the only producer;
 * {@link #problems()} is the single validator of the topology as a whole.
 */
public record RouterConfig(
    List<NodeConfig> nodes,
    Map<String, Set<String>> residency,
    String localLocation,
    String defaultRegion,
    Duration maxReplicaLag,
    Duration readYourWritesWindow,
    Duration monitorInterval,
    Duration latencyWindow,
    Duration replicaBorrowTimeout,
    boolean monitorEnabled,
    boolean validateReplicasOnBorrow,
    Ticker ticker,
    Object meterRegistry,
    SubjectFence subjectFence,
    Duration readYourWritesWait) {

  /** The seed's health threshold for replication lag. */
  public static final Duration DEFAULT_MAX_REPLICA_LAG = Duration.ofMillis(500);
  /** The seed's read-after-write window. */
  public static final Duration DEFAULT_READ_YOUR_WRITES_WINDOW = Duration.ofSeconds(5);
  /** Lag and failures are detected within two intervals. */
  public static final Duration DEFAULT_MONITOR_INTERVAL = Duration.ofMillis(250);
  /** Spreads load across equally near replicas only. */
  public static final Duration DEFAULT_LATENCY_WINDOW = Duration.ofMillis(10);
  /** A dead replica costs one short wait, then failover. */
  public static final Duration DEFAULT_REPLICA_BORROW_TIMEOUT = Duration.ofSeconds(1);
  /** A little above one replication delay between continents; see the builder's readYourWritesWait. */
  public static final Duration DEFAULT_READ_YOUR_WRITES_WAIT = Duration.ofMillis(100);
  /** Node indexes are kept in a 64-bit mask while failing over. */
  static final int MAX_NODES = 64;

  /** As before write fences existed: no fence. */
  public RouterConfig(List<NodeConfig> nodes, Map<String, Set<String>> residency, String localLocation,
      String defaultRegion, Duration maxReplicaLag, Duration readYourWritesWindow, Duration monitorInterval,
      Duration latencyWindow, Duration replicaBorrowTimeout, boolean monitorEnabled,
      boolean validateReplicasOnBorrow, Ticker ticker, Object meterRegistry) {
    this(nodes, residency, localLocation, defaultRegion, maxReplicaLag, readYourWritesWindow, monitorInterval,
        latencyWindow, replicaBorrowTimeout, monitorEnabled, validateReplicasOnBorrow, ticker, meterRegistry,
        null, DEFAULT_READ_YOUR_WRITES_WAIT);
  }

  /** As before the bounded read-your-writes wait was configurable: its default. */
  public RouterConfig(List<NodeConfig> nodes, Map<String, Set<String>> residency, String localLocation,
      String defaultRegion, Duration maxReplicaLag, Duration readYourWritesWindow, Duration monitorInterval,
      Duration latencyWindow, Duration replicaBorrowTimeout, boolean monitorEnabled,
      boolean validateReplicasOnBorrow, Ticker ticker, Object meterRegistry, SubjectFence subjectFence) {
    this(nodes, residency, localLocation, defaultRegion, maxReplicaLag, readYourWritesWindow, monitorInterval,
        latencyWindow, replicaBorrowTimeout, monitorEnabled, validateReplicasOnBorrow, ticker, meterRegistry,
        subjectFence, DEFAULT_READ_YOUR_WRITES_WAIT);
  }

  /**
   * Canonical constructor; copies the collections. {@code subjectFence} may be null (no fence);
   * {@code readYourWritesWait} null means its default.
   */
  public RouterConfig {
    nodes = List.copyOf(nodes);
    readYourWritesWait = readYourWritesWait == null ? DEFAULT_READ_YOUR_WRITES_WAIT : readYourWritesWait;
    residency = Map.copyOf(residency);
  }

  /** The regions, in the order their first node was configured. */
  public List<String> regions() {
    List<String> regions = new ArrayList<>();
    for (NodeConfig node : nodes) {
      if (!regions.contains(node.region())) {
        regions.add(node.region());
      }
    }
    return regions;
  }

  /** Whether {@code location} may hold {@code region}'s data. */
  public boolean allowed(String region, String location) {
    Set<String> allowed = residency.get(region);
    return allowed == null || allowed.contains(location);
  }

  /** Every problem of the topology, each saying what, where and what to do; empty when valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (nodes.isEmpty()) {
      problems.add("no node is configured: add at least one primary(...) per region");
    }
    if (nodes.size() > MAX_NODES) {
      problems.add(nodes.size() + " nodes are configured; at most " + MAX_NODES + " are supported");
    }
    Map<String, List<String>> primaries = new LinkedHashMap<>();
    for (String region : regions()) {
      primaries.put(region, new ArrayList<>());
    }
    for (NodeConfig node : nodes) {
      if (node.role() == NodeRole.PRIMARY) {
        primaries.get(node.region()).add(node.name());
      }
      if (!allowed(node.region(), node.location())) {
        problems.add("node '" + node.name() + "' location '" + node.location() + "' is not allowed for region '"
            + node.region() + "' (allowed: " + String.join(", ", new TreeSet<>(residency.get(node.region())))
            + "): move the node or fix residency(\"" + node.region() + "\", ...)");
      }
    }
    primaries.forEach((region, names) -> {
      if (names.isEmpty()) {
        problems.add("region '" + region + "' has no primary: add primary(name, \"" + region
            + "\", location, config)");
      } else if (names.size() > 1) {
        problems.add("region '" + region + "' has " + names.size() + " configured primaries " + names
            + ": a region has exactly one; configure the others as replicas");
      }
    });
    for (String region : residency.keySet()) {
      if (!primaries.containsKey(region)) {
        problems.add("residency is set for region '" + region + "', which has no node (known regions: "
            + String.join(", ", new TreeSet<>(primaries.keySet())) + ")");
      }
    }
    if (defaultRegion != null && !primaries.containsKey(defaultRegion)) {
      problems.add("defaultRegion '" + defaultRegion + "' has no node (known regions: "
          + String.join(", ", new TreeSet<>(primaries.keySet())) + ")");
    }
    return problems;
  }
}
