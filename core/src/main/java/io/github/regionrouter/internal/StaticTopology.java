package io.github.regionrouter.internal;

import io.github.regionrouter.NodeRole;

/**
 * The snapshot when the monitor is disabled: every node up in its configured role, no lag; same-location
 * nodes nearest. For benchmarks and stub drivers only; borrow failures still fail over per connection.
 */
final class StaticTopology implements TopologySource {

  /** Round trip assumed for nodes outside the local location. */
  private static final long REMOTE_RTT_NANOS = 100_000_000L;

  private final TopologySnapshot snapshot;

  StaticTopology(Node[] nodes, int regionCount, String localLocation) {
    NodeState[] states = new NodeState[nodes.length];
    for (Node node : nodes) {
      boolean replica = node.configuredRole == NodeRole.REPLICA;
      long rtt = node.location.equals(localLocation) ? 0 : REMOTE_RTT_NANOS;
      states[node.index] = new NodeState(true, node.configuredRole, 0, 0, rtt, Long.MAX_VALUE, replica, null, false);
    }
    PrimaryPositions[] positions = new PrimaryPositions[regionCount];
    java.util.Arrays.fill(positions, PrimaryPositions.STATIC);
    this.snapshot = new TopologySnapshot(System.currentTimeMillis(), nodes, states, regionCount, positions);
  }

  @Override
  public TopologySnapshot snapshot() {
    return snapshot;
  }

  @Override
  public void markDown(Node node, String reason) {
    // No health tracking without the monitor: failover happens per connection only.
  }

  @Override
  public void close() {
  }
}
