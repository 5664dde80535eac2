package io.github.regionrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults that change a topology for good: each test gets its own small topology (one primary, one replica). */
class PostgresTopologyFaultTest {

  private static final Duration AWAIT = Duration.ofSeconds(10);

  private PostgresTopology topology;

  @BeforeEach
  void startTopology() {
    topology = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .start();
  }

  @AfterEach
  void closeTopology() {
    topology.close();
  }

  @Test
  void stoppedNode_refusesConnections_andRestartedNodeServesAgain() throws Exception {
    int replicaPort = topology.node("eu-replica").port();
    topology.stop("eu-replica", StopMode.FAST);

    assertThatThrownBy(() -> topology.connect("eu-replica"))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    assertThatThrownBy(() -> topology.stop("eu-replica", StopMode.FAST))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("node 'eu-replica' cannot be stopped: it is stopped");

    Sql.execute(topology, "eu-primary", "CREATE TABLE written_while_down (id int); INSERT INTO written_while_down"
        + " VALUES (1)");
    topology.restart("eu-replica");

    assertThat(topology.node("eu-replica").port()).isEqualTo(replicaPort);
    topology.awaitReplayed("eu-replica", AWAIT);
    assertThat(Sql.queryLong(topology, "eu-replica", "SELECT count(*) FROM written_while_down")).isEqualTo(1);

    topology.stop("eu-primary", StopMode.IMMEDIATE);
    assertThatThrownBy(() -> topology.connect("eu-primary")).isInstanceOf(SQLException.class);
    topology.restart("eu-primary");
    Sql.execute(topology, "eu-primary", "INSERT INTO written_while_down VALUES (2)");
    topology.awaitReplayed("eu-replica", AWAIT);
    assertThat(Sql.queryLong(topology, "eu-replica", "SELECT count(*) FROM written_while_down")).isEqualTo(2);
    assertThatThrownBy(() -> topology.restart("eu-primary"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("node 'eu-primary' cannot be restarted: it is running");
  }

  @Test
  void frozenNode_timesOut_andThawedNodeAnswers() throws Exception {
    try (Connection open = topology.connect("eu-replica")) {
      open.setNetworkTimeout(Runnable::run, 1000);
      assertThat(Sql.queryString(open, "SELECT 1")).isEqualTo("1");

      topology.freeze("eu-replica");

      long started = System.nanoTime();
      assertThatThrownBy(() -> Sql.queryString(open, "SELECT 1")).isInstanceOf(SQLException.class)
          .hasRootCauseInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("failed by the 1 s network timeout")
          .isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(10));
      // New connections are accepted by the kernel but never greeted: the login timeout ends them.
      assertThatThrownBy(() -> DriverManager.getConnection(topology.jdbcUrl("eu-replica"),
          PostgresTopologyReplicationTest.properties(1))).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> topology.freeze("eu-replica"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("node 'eu-replica' cannot be frozen: it is frozen");
    }

    topology.thaw("eu-replica");

    assertThat(Sql.queryString(topology, "eu-replica", "SELECT 1")).isEqualTo("1");
    Sql.execute(topology, "eu-primary", "CREATE TABLE after_thaw (id int)");
    topology.awaitReplayed("eu-replica", AWAIT);
  }

  @Test
  void promote_makesReplicaWritable() throws Exception {
    assertThatThrownBy(() -> Sql.execute(topology, "eu-replica", "CREATE TABLE on_replica (id int)"))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006")); // read_only_sql_transaction

    topology.promote("eu-replica");

    Sql.execute(topology, "eu-replica", "CREATE TABLE on_replica (id int); INSERT INTO on_replica VALUES (1)");
    assertThat(Sql.queryString(topology, "eu-replica", "SELECT pg_is_in_recovery()")).isEqualTo("f");
    assertThat(topology.node("eu-replica").primaryName()).as("declared role is kept").isEqualTo("eu-primary");
    assertThatThrownBy(() -> topology.awaitReplayed("eu-replica", AWAIT))
        .isInstanceOf(TopologyException.class)
        .hasMessage("node 'eu-replica' is not a replica any more (promoted); it does not replay 'eu-primary'");
  }
}
