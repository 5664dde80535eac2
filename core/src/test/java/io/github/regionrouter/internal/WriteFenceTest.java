package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.NodeRole;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The fence's decision at hand-over, deterministic: the topology changes while the "pool" is handing out a
 * connection, as when a writer waited in the pool of a primary that was replaced meanwhile. The pool is a plain
 * data source (no slices); the sliced wait on HikariCP is covered against real faults in
 * {@code FencedFailoverIntegrationTest}.
 */
class WriteFenceTest {

  private final AtomicBoolean closed = new AtomicBoolean();
  private final Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {Connection.class}, (proxy, method, args) -> {
        if (method.getName().equals("close")) {
          closed.set(true);
        }
        return null;
      });
  private volatile TopologySnapshot current;
  private Runnable duringBorrow = () -> { };

  private final DataSource pool = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
        if (method.getName().equals("getConnection")) {
          duringBorrow.run();
          return connection;
        }
        throw new UnsupportedOperationException(method.getName());
      });
  private final Node primary = new Node(0, new NodeConfig("eu-primary", "eu", "fra", NodeRole.PRIMARY, null, null),
      0, pool, null, null);
  private final Node replica = new Node(1, new NodeConfig("eu-replica", "eu", "fra", NodeRole.REPLICA, null, null),
      0, pool, null, null);
  private final Node[] nodes = {primary, replica};
  private final TopologySource topology = new TopologySource() {
    @Override
    public TopologySnapshot snapshot() {
      return current;
    }

    @Override
    public void markDown(Node node, String reason) {
      throw new AssertionError("the fence never marks a node down");
    }

    @Override
    public void close() {
    }
  };
  private final WriteFence fence = new WriteFence(nodes, topology, Duration.ofMillis(250));

  private TopologySnapshot snapshot(NodeRole primaryRole, boolean primaryUp, NodeRole replicaRole) {
    return new TopologySnapshot(0, nodes, new NodeState[] {
        new NodeState(primaryUp, primaryRole, 0, 0, 1, 1, false, primaryUp ? null : "down", false),
        new NodeState(true, replicaRole, 0, 0, 1, 1, replicaRole == NodeRole.REPLICA, null, false)}, 1);
  }

  @Test
  void theWriteTarget_getsItsConnection() throws Exception {
    current = snapshot(NodeRole.PRIMARY, true, NodeRole.REPLICA);
    assertThat(fence.borrow(primary, 0)).isSameAs(connection);
    assertThat(closed).isFalse();
  }

  @Test
  void aPrimaryReplacedWhileTheWriterWaited_doesNotGetTheConnection() {
    current = snapshot(NodeRole.PRIMARY, true, NodeRole.REPLICA);
    duringBorrow = () -> current = snapshot(NodeRole.PRIMARY, false, NodeRole.PRIMARY); // died; replica promoted
    assertThatThrownBy(() -> fence.borrow(primary, 0))
        .isInstanceOf(SQLTransientConnectionException.class)
        .hasNoCause()
        .hasMessage("node 'eu-primary' stopped being the write target of region 'eu' while the caller waited 0ms "
            + "for its pool (writes now go to 'eu-replica'); its connection was not handed over");
    assertThat(closed).as("the refused connection goes back, unused").isTrue();
  }

  @Test
  void anOldPrimaryBackDuringASplitBrain_doesNotGetTheConnection() {
    current = snapshot(NodeRole.PRIMARY, true, NodeRole.REPLICA);
    duringBorrow = () -> current = snapshot(NodeRole.PRIMARY, true, NodeRole.PRIMARY); // two writable nodes
    assertThatThrownBy(() -> fence.borrow(primary, 0))
        .isInstanceOf(SQLTransientConnectionException.class)
        .hasMessageContaining("(split-brain: 2 nodes accept writes (split brain): eu-primary, eu-replica)");
    assertThat(closed).isTrue();
  }

  @Test
  void slicesAreOneMonitorInterval_between50And250ms() {
    assertThat(WriteFence.slice(Duration.ofMillis(10))).isEqualTo(50);
    assertThat(WriteFence.slice(Duration.ofMillis(100))).isEqualTo(100);
    assertThat(WriteFence.slice(Duration.ofSeconds(30))).isEqualTo(250);
  }

  @Test
  void onlyRoutesToTheWriteTargetAreFenced() {
    assertThat(WriteFence.fenced(Router.WRITE)).isTrue();
    assertThat(WriteFence.fenced(Router.PRIMARY_PINNED)).isTrue();
    assertThat(WriteFence.fenced(Router.PRIMARY_NO_REPLICA)).isTrue();
    assertThat(WriteFence.fenced(Router.READ)).isFalse();
    assertThat(WriteFence.fenced(Router.READ_PINNED)).isFalse();
    assertThat(WriteFence.fenced(Router.READ_DEGRADED)).isFalse();
  }
}
