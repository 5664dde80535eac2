package io.github.regionrouter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.WritePosition;
import io.github.regionrouter.benchmarks.stub.StubConnection;
import io.github.regionrouter.benchmarks.stub.StubStatement;
import io.github.regionrouter.internal.RouterProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmarks honest: each routed variant really borrows from the node it claims to measure, for
 * the reason it claims. Fast (stub driver, no I/O); no timing is asserted here.
 */
class StubTopologyTest {

  private final StubTopology topology = new StubTopology();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RegionRoutingDataSource router = topology.router(registry);

  @AfterEach
  void close() {
    router.close();
    topology.close();
  }

  @Test
  void writeCycle_isServedByTheRegionPrimary() throws SQLException {
    try (RegionContext.Scope scope = RegionContext.open("eu", "user-1")) {
      assertThat(servedBy(router, false)).isEqualTo(StubTopology.EU_PRIMARY);
      // Recorded by commit time: the write path runs no position query (rule 4), on the stub as on PostgreSQL.
      WritePosition recorded = scope.context().lastWriteOrNull();
      assertThat(recorded.region()).isEqualTo("eu");
      assertThat(recorded.isResolved()).isFalse();
      assertThat(recorded.committedAtMillis()).isPositive();
    }
    assertThat(connections("write")).isEqualTo(1);
  }

  @Test
  void readCycle_isServedByOneOfTheEquallyNearReplicas_whenTheSubjectHasNoPin() throws SQLException {
    try (RegionContext.Scope scope = RegionContext.open("eu", "user-2")) {
      assertThat(servedBy(router, true)).isIn(StubTopology.EU_REPLICA_1, StubTopology.EU_REPLICA_2);
    }
    assertThat(connections("read")).isEqualTo(1);
  }

  @Test
  void pinnedReadCycle_isServedByAReplica_asReadPinned_afterAWrite() throws SQLException {
    try (RegionContext.Scope scope = RegionContext.open("eu", "user-3")) {
      Cycles.write(router);
    }
    // A new scope: the pin now comes from the subject's entry in the pins cache, as in the benchmark.
    try (RegionContext.Scope scope = RegionContext.open("eu", "user-3")) {
      assertThat(servedBy(router, true)).isIn(StubTopology.EU_REPLICA_1, StubTopology.EU_REPLICA_2);
    }
    assertThat(connections("read-pinned")).isEqualTo(1);
    assertThat(connections("read")).isZero();
  }

  @Test
  void everyCycleReturnsItsConnection() throws SQLException {
    try (RegionContext.Scope scope = RegionContext.open("eu", "user-4")) {
      Cycles.write(router);
      Cycles.read(router);
      Cycles.read(router);
    }
    assertThat(router.status().nodes()).allSatisfy(node -> assertThat(node.inUse()).isZero());
    assertThat(topology.pool(StubTopology.EU_PRIMARY).getHikariPoolMXBean().getActiveConnections()).isZero();
  }

  @Test
  void springRouting_sendsWritesToThePrimaryAndReadOnlyToAReplica() throws SQLException {
    DataSource spring = topology.springRouting();
    try (RegionContext.Scope scope = RegionContext.open("us")) {
      assertThat(servedBy(spring, false)).isEqualTo(StubTopology.US_PRIMARY);
      assertThat(servedBy(spring, true)).isEqualTo(StubTopology.US_REPLICA_1);
    }
  }

  @Test
  void wrapperFloor_wrapsConnectionAndStatement_andDelegatesToItsOnePool() throws SQLException {
    com.zaxxer.hikari.HikariDataSource pool = topology.pool(StubTopology.EU_REPLICA_1);
    DataSource floor = new WrapperFloor(pool);
    assertThat(servedBy(floor, true)).isEqualTo(StubTopology.EU_REPLICA_1);
    try (Connection c = floor.getConnection(); Statement st = c.createStatement()) {
      assertThat(c).isInstanceOf(WrapperFloor.FloorConnection.class);
      assertThat(st).isInstanceOf(WrapperFloor.FloorStatement.class);
      assertThat(st.getConnection()).isSameAs(c);
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);
    }
    Cycles.read(floor);
    Cycles.write(floor);
    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
  }

  @Test
  void routerProbe_decidesAsTheRouterRoutes() throws SQLException {
    RouterProbe probe = RouterProbe.of(router);
    int eu = probe.region("eu");
    long pin = WritePosition.parseLsn(StubStatement.LSN);

    assertThat(probe.node(probe.choose(eu, false, RouterProbe.NO_PIN))).isEqualTo(StubTopology.EU_PRIMARY);
    assertThat(RouterProbe.reason(probe.choose(eu, false, RouterProbe.NO_PIN))).isEqualTo("write");
    // both eu replicas are equally near: two random choices; a tie (none in use) goes to the first drawn
    assertThat(probe.node(probe.choose(eu, true, RouterProbe.NO_PIN)))
        .isIn(StubTopology.EU_REPLICA_1, StubTopology.EU_REPLICA_2);
    assertThat(probe.node(probe.chooseRefreshing(eu, true, RouterProbe.NO_PIN))).isEqualTo(StubTopology.EU_REPLICA_1);
    assertThat(RouterProbe.reason(probe.choose(eu, true, RouterProbe.NO_PIN))).isEqualTo("read");
    assertThat(RouterProbe.reason(probe.choose(eu, true, pin))).isEqualTo("read-pinned");
    assertThatThrownBy(() -> probe.region("ap"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown region 'ap'");
  }

  @Test
  void stubStatement_answersTheWalPositionQuery_andRefusesWhatItDoesNotImplement() throws SQLException {
    try (Connection c = topology.pool(StubTopology.EU_PRIMARY).getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(StubStatement.LSN);
      assertThat(rs.next()).isFalse();
      assertThatThrownBy(() -> c.prepareStatement("SELECT 1"))
          .isInstanceOf(SQLFeatureNotSupportedException.class)
          .hasMessage("stub connection 'eu-primary': prepareStatement is not needed by the benchmarks and not "
              + "implemented");
    }
  }

  /** Runs one benchmark cycle's calls and answers which stub node served it. */
  private static String servedBy(DataSource ds, boolean readOnly) throws SQLException {
    try (Connection c = ds.getConnection()) {
      if (readOnly) {
        c.setReadOnly(true);
      }
      c.createStatement().close();
      return c.unwrap(StubConnection.class).name();
    }
  }

  private double connections(String reason) {
    return registry.find("regionrouter.connections").tag("reason", reason).counters().stream()
        .mapToDouble(counter -> counter.count()).sum();
  }
}
