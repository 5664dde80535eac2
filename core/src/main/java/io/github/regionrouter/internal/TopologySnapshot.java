package io.github.regionrouter.internal;

import io.github.regionrouter.NodeStatus;
import io.github.regionrouter.RegionUnavailableException.Reason;
import io.github.regionrouter.TopologyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a routing decision needs, frozen: per node its state, per region its write target and its
 * read candidates ordered nearest first. Published by one volatile write; read without locks and without
 * allocating. Immutable.
 */
final class TopologySnapshot {

  final long takenAtMillis;
  final Node[] nodes;
  final NodeState[] states;
  /** Per region: the node index that takes writes, or -1. */
  final int[] writeTarget;
  /** Per region without a write target: why. */
  final Reason[] writeProblem;
  /** Per region without a write target: the nodes involved, for the message. */
  final String[] writeProblemDetail;
  /** Per region: read-eligible node indexes, lowest RTT first. */
  final int[][] readOrder;
  /** Per region without a write target: up standbys, most advanced replay position first; else empty. */
  final int[][] degradedOrder;
  /** Per region: the primary's recently polled positions, to resolve pins known by commit time. */
  final PrimaryPositions[] positions;

  TopologySnapshot(long takenAtMillis, Node[] nodes, NodeState[] states, int regionCount) {
    this(takenAtMillis, nodes, states, regionCount, empty(regionCount));
  }

  TopologySnapshot(long takenAtMillis, Node[] nodes, NodeState[] states, int regionCount,
      PrimaryPositions[] positions) {
    this.positions = positions;
    this.takenAtMillis = takenAtMillis;
    this.nodes = nodes;
    this.states = states;
    this.writeTarget = new int[regionCount];
    this.writeProblem = new Reason[regionCount];
    this.writeProblemDetail = new String[regionCount];
    this.readOrder = new int[regionCount][];
    this.degradedOrder = new int[regionCount][];
    for (int r = 0; r < regionCount; r++) {
      computeWriteTarget(r);
      computeReadOrder(r);
      computeDegradedOrder(r);
    }
  }

  private static PrimaryPositions[] empty(int regionCount) {
    PrimaryPositions[] p = new PrimaryPositions[regionCount];
    Arrays.fill(p, PrimaryPositions.EMPTY);
    return p;
  }

  private void computeWriteTarget(int region) {
    List<String> writable = new ArrayList<>();
    List<String> all = new ArrayList<>();
    int target = -1;
    for (Node node : nodes) {
      if (node.regionIndex != region) {
        continue;
      }
      NodeState s = states[node.index];
      all.add(node.name + describe(s));
      if (s.up && s.role == io.github.regionrouter.NodeRole.PRIMARY && !s.quarantined) {
        writable.add(node.name);
        target = node.index;
      }
    }
    if (writable.size() == 1) {
      writeTarget[region] = target;
    } else if (writable.isEmpty()) {
      writeTarget[region] = -1;
      writeProblem[region] = Reason.NO_PRIMARY;
      writeProblemDetail[region] = "no up node accepts writes; nodes: " + String.join(", ", all);
    } else {
      writeTarget[region] = -1;
      writeProblem[region] = Reason.SPLIT_BRAIN;
      writeProblemDetail[region] = writable.size() + " nodes accept writes (split brain): "
          + String.join(", ", writable);
    }
  }

  private static String describe(NodeState s) {
    return " (" + (s.up ? "up" : "down") + ", " + s.role.name().toLowerCase()
        + (s.excluded == null ? "" : ", " + s.excluded) + ")";
  }

  private void computeReadOrder(int region) {
    readOrder[region] = Arrays.stream(nodes)
        .filter(n -> n.regionIndex == region && states[n.index].readEligible)
        .sorted(Comparator.comparingLong((Node n) -> states[n.index].rttNanos).thenComparingInt(n -> n.index))
        .mapToInt(n -> n.index)
        .toArray();
  }

  private void computeDegradedOrder(int region) {
    if (writeTarget[region] >= 0) {
      degradedOrder[region] = new int[0];
      return;
    }
    degradedOrder[region] = Arrays.stream(nodes)
        .filter(n -> n.regionIndex == region)
        .filter(n -> states[n.index].up && states[n.index].role == io.github.regionrouter.NodeRole.REPLICA
            && states[n.index].walLsn != NodeState.UNKNOWN && !states[n.index].quarantined)
        .sorted(Comparator.comparing((Node n) -> states[n.index].walLsn, Long::compareUnsigned).reversed()
            .thenComparingLong(n -> states[n.index].rttNanos))
        .mapToInt(n -> n.index)
        .toArray();
  }

  /** The public, immutable view. */
  TopologyStatus toStatus(List<String> regions) {
    List<NodeStatus> list = new ArrayList<>(nodes.length);
    for (Node node : nodes) {
      NodeState s = states[node.index];
      boolean target = writeTarget[node.regionIndex] == node.index;
      list.add(new NodeStatus(node.name, node.region, node.location, node.configuredRole, s.role, s.up,
          s.lagNanos < 0 ? null : Duration.ofNanos(s.lagNanos), s.lagBytes,
          s.rttNanos < 0 ? null : Duration.ofNanos(s.rttNanos), s.walLsn == NodeState.UNKNOWN
              ? io.github.regionrouter.WritePosition.UNKNOWN_LSN : s.walLsn,
          s.readEligible, target, node.inUse.intValue(), s.excluded));
    }
    Map<String, String> targets = new LinkedHashMap<>();
    Map<String, String> problems = new LinkedHashMap<>();
    for (int r = 0; r < regions.size(); r++) {
      if (writeTarget[r] >= 0) {
        targets.put(regions.get(r), nodes[writeTarget[r]].name);
      } else {
        problems.put(regions.get(r), writeProblem[r].tag() + ": " + writeProblemDetail[r]);
      }
    }
    return new TopologyStatus(Instant.ofEpochMilli(takenAtMillis), list, targets, problems);
  }
}
