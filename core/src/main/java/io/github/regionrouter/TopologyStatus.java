package io.github.regionrouter;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every node as the router sees it, for health endpoints and diagnostics.
 *
 * @param takenAt      when the snapshot was published
 * @param nodes        every node, in configuration order
 * @param writeTargets per region, the node that takes its writes now; a region without one (no primary up,
 *                     or two writable nodes) is absent
 * @param writeProblems per region without a write target, why
 */
public record TopologyStatus(
    Instant takenAt,
    List<NodeStatus> nodes,
    Map<String, String> writeTargets,
    Map<String, String> writeProblems) {

  /** Canonical constructor; copies the collections. */
  public TopologyStatus {
    nodes = List.copyOf(nodes);
    writeTargets = Map.copyOf(writeTargets);
    writeProblems = Map.copyOf(writeProblems);
  }

  /** Returns the node of that name, if configured. */
  public Optional<NodeStatus> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
