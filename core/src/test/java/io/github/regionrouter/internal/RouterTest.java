package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.NodeRole;
import io.github.regionrouter.RegionUnavailableException.Reason;
import org.junit.jupiter.api.Test;

/** The routing decision alone, on hand-made snapshots: rules 2–4, the latency window, degraded reads. */
class RouterTest {

  private static final long MS = 1_000_000L;
  private static final long WINDOW = 10 * MS;

  // nodes: 0 eu-primary, 1 eu-near (2ms), 2 eu-far (40ms), 3 us-primary, 4 us-replica
  private final Node[] nodes = {
      node(0, "eu-primary", "eu", 0, NodeRole.PRIMARY),
      node(1, "eu-near", "eu", 0, NodeRole.REPLICA),
      node(2, "eu-far", "eu", 0, NodeRole.REPLICA),
      node(3, "us-primary", "us", 1, NodeRole.PRIMARY),
      node(4, "us-replica", "us", 1, NodeRole.REPLICA),
  };

  private static Node node(int index, String name, String region, int regionIndex, NodeRole role) {
    return new Node(index, new NodeConfig(name, region, "fra", role, null, null), regionIndex, null, null, null);
  }

  private static NodeState primary(long lsn) {
    return new NodeState(true, NodeRole.PRIMARY, 0, 0, MS, lsn, false, null, false);
  }

  private static NodeState replica(long rttMs, long lsn) {
    return new NodeState(true, NodeRole.REPLICA, 0, 0, rttMs * MS, lsn, true, null, false);
  }

  private static NodeState lagging(long rttMs, long lsn) {
    return new NodeState(true, NodeRole.REPLICA, 900 * MS, 1000, rttMs * MS, lsn, false, "lagging", false);
  }

  private static NodeState down(NodeRole role) {
    return new NodeState(false, role, -1, -1, -1, 0, false, "down", false);
  }

  private TopologySnapshot snapshot(NodeState... states) {
    return new TopologySnapshot(0, nodes, states, 2);
  }

  private TopologySnapshot healthy() {
    return snapshot(primary(1000), replica(2, 1000), replica(40, 1000), primary(500), replica(1, 500));
  }

  @Test
  void writesGoToTheRegionsPrimary_neverAnotherRegion() {
    TopologySnapshot s = healthy();
    assertThat(Router.node(choose(s, 0, false, Router.NO_PIN, 0, WINDOW))).isEqualTo(0);
    assertThat(Router.reason(choose(s, 0, false, Router.NO_PIN, 0, WINDOW))).isEqualTo(Router.WRITE);
    assertThat(Router.node(choose(s, 1, false, Router.NO_PIN, 0, WINDOW))).isEqualTo(3);
  }

  @Test
  void writesFail_whenThePrimaryIsDown() {
    TopologySnapshot s = snapshot(down(NodeRole.PRIMARY), replica(2, 1000), replica(40, 1000), primary(500),
        replica(1, 500));
    assertThat(choose(s, 0, false, Router.NO_PIN, 0, WINDOW)).isEqualTo(-1);
    assertThat(s.writeProblem[0]).isEqualTo(Reason.NO_PRIMARY);
  }

  @Test
  void writesFail_onSplitBrain() {
    TopologySnapshot s = snapshot(primary(1000), new NodeState(true, NodeRole.PRIMARY, 0, 0, MS, 900, false, null,
        false), replica(40, 1000), primary(500), replica(1, 500));
    assertThat(choose(s, 0, false, Router.NO_PIN, 0, WINDOW)).isEqualTo(-1);
    assertThat(s.writeProblem[0]).isEqualTo(Reason.SPLIT_BRAIN);
    assertThat(s.writeProblemDetail[0]).contains("eu-primary", "eu-near");
  }

  @Test
  void readsGoToTheNearestEligibleReplicaOfTheRegion() {
    int route = choose(healthy(), 0, true, Router.NO_PIN, 0, WINDOW);
    assertThat(Router.node(route)).isEqualTo(1);
    assertThat(Router.reason(route)).isEqualTo(Router.READ);
  }

  @Test
  void readsSkipLaggingReplicas_andFallBackToThePrimary() {
    TopologySnapshot s = snapshot(primary(1000), lagging(2, 10), replica(40, 1000), primary(500), replica(1, 500));
    assertThat(Router.node(choose(s, 0, true, Router.NO_PIN, 0, WINDOW))).isEqualTo(2);
    s = snapshot(primary(1000), lagging(2, 10), lagging(40, 10), primary(500), replica(1, 500));
    int route = choose(s, 0, true, Router.NO_PIN, 0, WINDOW);
    assertThat(Router.node(route)).isEqualTo(0);
    assertThat(Router.reason(route)).isEqualTo(Router.PRIMARY_NO_REPLICA);
  }

  @Test
  void pinnedReadsGoToAReplicaThatReplayedTheWrite_elseThePrimary() {
    TopologySnapshot s = snapshot(primary(2000), replica(2, 1500), replica(40, 2000), primary(500),
        replica(1, 500));
    int route = choose(s, 0, true, 1800, 0, WINDOW);
    assertThat(Router.node(route)).isEqualTo(2);
    assertThat(Router.reason(route)).isEqualTo(Router.READ_PINNED);
    route = choose(s, 0, true, 2500, 0, WINDOW);
    assertThat(Router.node(route)).isEqualTo(0);
    assertThat(Router.reason(route)).isEqualTo(Router.PRIMARY_PINNED);
  }

  @Test
  void anUnknownPinIsServedByThePrimaryOnly() {
    int route = choose(healthy(), 0, true, -1L, 0, WINDOW);
    assertThat(Router.node(route)).isEqualTo(0);
  }

  @Test
  void replicasWithinTheLatencyWindowShareReadsByFewestInUse() { // more in TwoChoicesTest
    TopologySnapshot s = snapshot(primary(1000), replica(2, 1000), replica(8, 1000), primary(500), replica(1, 500));
    nodes[1].inUse.add(3);
    nodes[2].inUse.add(1);
    assertThat(Router.node(choose(s, 0, true, Router.NO_PIN, 0, WINDOW))).isEqualTo(2);
    // outside the window the nearer one wins even when busier
    assertThat(Router.node(choose(s, 0, true, Router.NO_PIN, 0, 5 * MS))).isEqualTo(1);
    nodes[1].inUse.reset();
    nodes[2].inUse.reset();
  }

  @Test
  void excludedNodesAreSkipped_thenThePrimary_thenNothing() {
    TopologySnapshot s = healthy();
    assertThat(Router.node(choose(s, 0, true, Router.NO_PIN, 1L << 1, WINDOW))).isEqualTo(2);
    assertThat(Router.node(choose(s, 0, true, Router.NO_PIN, (1L << 1) | (1L << 2), WINDOW))).isEqualTo(0);
    assertThat(choose(s, 0, true, Router.NO_PIN, 0b111, WINDOW)).isEqualTo(-1);
  }

  @Test
  void withoutAPrimary_readsGoToTheMostAdvancedStandby() {
    TopologySnapshot s = snapshot(down(NodeRole.PRIMARY),
        new NodeState(true, NodeRole.REPLICA, -1, -1, 2 * MS, 900, false, "lag unknown", false),
        new NodeState(true, NodeRole.REPLICA, -1, -1, 40 * MS, 1000, false, "lag unknown", false),
        primary(500), replica(1, 500));
    int route = choose(s, 0, true, Router.NO_PIN, 0, WINDOW);
    assertThat(Router.node(route)).isEqualTo(2);
    assertThat(Router.reason(route)).isEqualTo(Router.READ_DEGRADED);
    // a pinned reader only gets a standby that has its write
    assertThat(Router.node(choose(s, 0, true, 950, 0, WINDOW))).isEqualTo(2);
    assertThat(choose(s, 0, true, 1001, 0, WINDOW)).isEqualTo(-1);
    // and writes still fail
    assertThat(choose(s, 0, false, Router.NO_PIN, 0, WINDOW)).isEqualTo(-1);
  }

  @Test
  void quarantinedNodesNeverServe() {
    NodeState q = new NodeState(true, NodeRole.PRIMARY, 0, 0, MS, 1000, false, "quarantined", true);
    TopologySnapshot s = snapshot(primary(1000), replica(2, 1000), replica(40, 1000), q, replica(1, 500));
    assertThat(choose(s, 1, false, Router.NO_PIN, 0, WINDOW)).isEqualTo(-1);
  }

  /** {@link Router#choose} with random 0: the first two candidates within the window, compared on fresh counts. */
  private static int choose(TopologySnapshot s, int region, boolean readOnly, long pin, long excluded, long windowNanos) {
    return Router.choose(s, region, readOnly, pin, excluded, windowNanos, 0);
  }
}
