package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.NodeRole;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rule 3's spread among equally near replicas, power of two choices, with an injected random number and
 * hand-set in-use counts.
 */
class TwoChoicesTest {

  private static final long MS = 1_000_000L;
  private static final long WINDOW = 10 * MS;
  /** A random number whose decision refreshes the published counts (low bits 0). */
  private static final int REFRESH = 0;

  // nodes: 0 eu-primary, 1 r1 (2 ms), 2 r2 (5 ms), 3 r3 (8 ms), 4 r-far (40 ms: outside the window)
  private final Node[] nodes = {
      node(0, "eu-primary", NodeRole.PRIMARY),
      node(1, "r1", NodeRole.REPLICA),
      node(2, "r2", NodeRole.REPLICA),
      node(3, "r3", NodeRole.REPLICA),
      node(4, "r-far", NodeRole.REPLICA),
  };
  private final TopologySnapshot snapshot = new TopologySnapshot(0, nodes, new NodeState[] {
      new NodeState(true, NodeRole.PRIMARY, 0, 0, MS, 1000, false, null, false),
      replica(2, 1000), replica(5, 1000), replica(8, 900), replica(40, 1000)}, 1);

  private static Node node(int index, String name, NodeRole role) {
    return new Node(index, new NodeConfig(name, "eu", "fra", role, null, null), 0, null, null, null);
  }

  private static NodeState replica(long rttMs, long lsn) {
    return new NodeState(true, NodeRole.REPLICA, 0, 0, rttMs * MS, lsn, true, null, false);
  }

  private void inUse(long r1, long r2, long r3, long far) {
    for (Node n : nodes) {
      n.inUse.reset();
    }
    nodes[1].inUse.add(r1);
    nodes[2].inUse.add(r2);
    nodes[3].inUse.add(r3);
    nodes[4].inUse.add(far);
  }

  /** How often each node serves {@code draws} refreshing reads with random numbers from a fixed seed. */
  private int[] serves(int draws, long pin, long excluded) {
    int[] served = new int[nodes.length];
    Random random = new Random(42);
    for (int i = 0; i < draws; i++) {
      int r = random.nextInt() & -Router.REFRESH_EVERY; // low bits 0: compare live counts
      served[Router.node(Router.choose(snapshot, 0, true, pin, excluded, WINDOW, r))]++;
    }
    return served;
  }

  @Test
  void theTwoChoicesAreDistinct_soTheBusiestCandidateNeverServes() {
    inUse(0, 1, 2, 0);
    int[] served = serves(30_000, Router.NO_PIN, 0);
    // r1 serves whenever drawn (2 pairs in 3), r2 only against r3 (1 pair in 3); r3 never: a draw of r3
    // against itself would serve it
    assertThat(served[1]).isBetween(19_000, 21_000);
    assertThat(served[2]).isBetween(9_000, 11_000);
    assertThat(served[3]).isZero();
    // the idle far replica is outside the latency window: never drawn
    assertThat(served[4]).isZero();
  }

  @Test
  void everyPairIsDrawn_andATieGoesToEitherCandidate() {
    inUse(0, 0, 0, 0);
    int[] served = serves(30_000, Router.NO_PIN, 0);
    assertThat(served[1]).isBetween(9_000, 11_000);
    assertThat(served[2]).isBetween(9_000, 11_000);
    assertThat(served[3]).isBetween(9_000, 11_000);
  }

  @Test
  void excludedAndNotYetReplayedCandidatesAreNeverDrawn() {
    inUse(5, 5, 0, 0);
    // r3 has replayed 900 only: a reader pinned at 950 draws r1 and r2, both busier than r3
    int[] served = serves(10_000, 950, 0);
    assertThat(served[3]).isZero();
    assertThat(served[1] + served[2]).isEqualTo(10_000);
    // r1 excluded (its borrow failed): r2 against r3 on every draw
    served = serves(10_000, Router.NO_PIN, 1L << 1);
    assertThat(served[1]).isZero();
    assertThat(served[3]).isEqualTo(10_000);
  }

  @Test
  void decisionsCompareThePublishedCounts_whichOneInEightRefreshes() {
    inUse(4, 0, 0, 0);
    int firstTwo = REFRESH | 1; // draws r1 and r2 (bits above the low three are 0), does not refresh
    assertThat(Router.node(Router.choose(snapshot, 0, true, Router.NO_PIN, 0, WINDOW, firstTwo)))
        .as("nothing published yet: a tie, the first drawn").isEqualTo(1);
    assertThat(Router.node(Router.choose(snapshot, 0, true, Router.NO_PIN, 0, WINDOW, REFRESH))).isEqualTo(2);
    assertThat(nodes[1].inUse.published()).isEqualTo(4);
    assertThat(Router.node(Router.choose(snapshot, 0, true, Router.NO_PIN, 0, WINDOW, firstTwo)))
        .as("r1's 4 connections now published").isEqualTo(2);
    nodes[1].inUse.decrement();
    nodes[1].inUse.refresh();
    assertThat(Router.node(Router.choose(snapshot, 0, true, Router.NO_PIN, 0, WINDOW, firstTwo)))
        .as("3 more in use on a published copy: within the stale margin, the first choice").isEqualTo(1);
    assertThat(Router.node(Router.choose(snapshot, 0, true, Router.NO_PIN, 0, WINDOW, REFRESH)))
        .as("3 more in use on fresh counts: fewest in use").isEqualTo(2);
  }

  @Test
  void aDecisionWithoutRefreshReadsNoLiveCounter() {
    inUse(0, 0, 0, 0);
    nodes[1].inUse.refresh();
    nodes[1].inUse.add(9); // live count moves; the published copy does not until a refreshing decision
    for (int low = 1; low < Router.REFRESH_EVERY; low++) {
      Router.choose(snapshot, 0, true, Router.NO_PIN, 0, WINDOW, low);
      assertThat(nodes[1].inUse.published()).isZero();
    }
  }

  @Test
  void aSingleCandidateDrawsNothing() {
    inUse(3, 0, 0, 0);
    // only r1 is within 1 ms of itself: it serves, busy or not, and nothing is compared or refreshed
    assertThat(Router.node(Router.choose(snapshot, 0, true, Router.NO_PIN, 0, MS, REFRESH))).isEqualTo(1);
    assertThat(nodes[1].inUse.published()).isZero();
  }
}
