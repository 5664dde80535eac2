package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.count;
import static io.github.regionrouter.Fixtures.exec;
import static io.github.regionrouter.Fixtures.pool;
import static io.github.regionrouter.Fixtures.servedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.testing.PostgresTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Routing rules 1–4 and 6 against a real two-region topology with streaming replication. The app instance
 * runs in fra; us-replica-sin is 40 ms away (one way) through the harness's latency proxy.
 */
class RoutingIntegrationTest {

  private static PostgresTopology topo;
  private static Map<Integer, String> byPort;
  private static SimpleMeterRegistry registry;
  private static RegionRoutingDataSource ds;

  @BeforeAll
  static void start() throws Exception {
    topo = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .primary("us-primary", "us", "iad")
        .replica("us-replica-fra", "us-primary", "fra")
        .replica("us-replica-sin", "us-primary", "sin")
        .latency("fra", "sin", Duration.ofMillis(40))
        .latency("fra", "iad", Duration.ofMillis(2))
        .start();
    byPort = Fixtures.nodesByPort(topo);
    for (String primary : List.of("eu-primary", "us-primary")) {
      try (Connection c = topo.connect(primary)) {
        exec(c, "CREATE TABLE items (id bigserial PRIMARY KEY, region text NOT NULL, subject text NOT NULL, n int)");
      }
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    topo.awaitReplayed("us-replica-fra", Duration.ofSeconds(10));
    topo.awaitReplayed("us-replica-sin", Duration.ofSeconds(10));
    registry = new SimpleMeterRegistry();
    ds = RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool(topo, "eu-primary", "fra"))
        .replica("eu-replica", "eu", "fra", pool(topo, "eu-replica", "fra"))
        .primary("us-primary", "us", "iad", pool(topo, "us-primary", "fra"))
        .replica("us-replica-fra", "us", "fra", pool(topo, "us-replica-fra", "fra"))
        .replica("us-replica-sin", "us", "sin", pool(topo, "us-replica-sin", "fra"))
        .residency("eu", "fra", "ams")
        .maxReplicaLag(Duration.ofSeconds(30)) // these tests pause replay on purpose; lag is the monitor's test
        .monitorInterval(Duration.ofMillis(100))
        .meterRegistry(registry)
        .build();
  }

  @AfterAll
  static void stop() {
    if (ds != null) {
      ds.close();
    }
    if (topo != null) {
      topo.close();
    }
  }

  @AfterEach
  void noLeak() {
    Fixtures.assertNoLeak(ds, registry);
    assertThat(RegionContext.current()).isEmpty();
  }

  @Test
  void everyRowStaysInItsRegion_underAMixedRandomLoad() throws Exception {
    Random random = new Random(42);
    int[] writes = new int[2];
    int reads = 0;
    String[] regions = {"eu", "us"};
    for (int i = 0; i < 1_000; i++) {
      int r = random.nextInt(2);
      String region = regions[r];
      String subject = region + "-user-" + random.nextInt(20);
      boolean write = random.nextBoolean();
      try (RegionContext.Scope scope = RegionContext.open(region, subject); Connection c = ds.getConnection()) {
        if (write) {
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (region, subject, n) VALUES (?, ?, ?)")) {
            ps.setString(1, region);
            ps.setString(2, subject);
            ps.setInt(3, i);
            ps.executeUpdate();
          }
          assertThat(servedBy(c, byPort)).isEqualTo(region + "-primary");
          writes[r]++;
        } else {
          c.setReadOnly(true);
          assertThat(servedBy(c, byPort)).as("read %d for %s", i, region).startsWith(region + "-");
          reads++;
        }
      }
    }
    for (int r = 0; r < 2; r++) {
      try (Connection c = topo.connect(regions[r] + "-primary")) {
        assertThat(count(c, "SELECT count(*) FROM items WHERE region <> '" + regions[r] + "'"))
            .as("rows of another region on %s-primary", regions[r]).isZero();
        assertThat(count(c, "SELECT count(*) FROM items WHERE n >= 0 AND region = '" + regions[r] + "'"))
            .isEqualTo(writes[r]);
      }
    }
    System.out.printf("mixed run: %d EU writes, %d US writes, %d reads, 0 rows crossed%n", writes[0], writes[1], reads);
  }

  @Test
  void readsGoToTheLocalReplicaOfTheContextRegion_neverToAnotherRegion() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (RegionContext.Scope s = RegionContext.open("eu", "reader"); Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(servedBy(c, byPort)).isEqualTo("eu-replica");
      }
      try (RegionContext.Scope s = RegionContext.open("us", "reader"); Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(servedBy(c, byPort)).isEqualTo("us-replica-fra");
      }
    }
  }

  @Test
  void aSubjectThatWroteReadsItsWrite_whileReplayIsPaused_andOthersStayOnTheReplica() throws Exception {
    topo.pauseReplay("eu-replica");
    try {
      try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
        exec(c, "INSERT INTO items (region, subject, n) VALUES ('eu', 'writer', -1)");
      }
      for (int i = 0; i < 5; i++) {
        try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
          c.setReadOnly(true);
          assertThat(count(c, "SELECT count(*) FROM items WHERE n = -1")).isEqualTo(1);
          assertThat(servedBy(c, byPort)).isEqualTo("eu-primary");
        }
        try (RegionContext.Scope s = RegionContext.open("eu", "someone-else"); Connection c = ds.getConnection()) {
          c.setReadOnly(true);
          assertThat(servedBy(c, byPort)).isEqualTo("eu-replica");
          assertThat(count(c, "SELECT count(*) FROM items WHERE n = -1")).isZero(); // replay is paused
        }
      }
      // within one scope, a read after a write sees it, subject or not
      try (RegionContext.Scope s = RegionContext.open("eu")) {
        try (Connection c = ds.getConnection()) {
          exec(c, "INSERT INTO items (region, subject, n) VALUES ('eu', '-', -2)");
        }
        try (Connection c = ds.getConnection()) {
          c.setReadOnly(true);
          assertThat(count(c, "SELECT count(*) FROM items WHERE n = -2")).isEqualTo(1);
        }
        assertThat(s.context().lastWrite()).isPresent();
      }
    } finally {
      topo.resumeReplay("eu-replica");
      topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    }
  }

  @Test
  void anUnknownRegionIsRefused_beforeAnyConnectionIsBorrowed() {
    double before = registry.find("regionrouter.connections").counters().stream().mapToDouble(c -> c.count()).sum();
    try (RegionContext.Scope s = RegionContext.open("apac", "user-1")) {
      assertThatThrownBy(ds::getConnection)
          .isInstanceOf(UnknownRegionException.class)
          .hasMessage("Unknown region 'apac' (known regions: eu, us). Check the caller's region claim or the "
              + "RegionContext; no connection was borrowed.")
          .extracting(e -> ((UnknownRegionException) e).getSQLState()).isEqualTo("08001");
    }
    double after = registry.find("regionrouter.connections").counters().stream().mapToDouble(c -> c.count()).sum();
    assertThat(after).isEqualTo(before);
    assertThat(registry.get("regionrouter.refusals").tag("region", "unknown").tag("reason", "unknown-region")
        .counter().count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void noRegionAndNoDefault_answersMetadata_butRefusesTheFirstStatementWithAHint() throws Exception {
    try (Connection c = ds.getConnection()) {
      assertThat(c.getAutoCommit()).isTrue();
      assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
      assertThat(c.isValid(1)).isTrue();
      // served by a replica of the local location (fra): catalog reads take nothing from a primary
      try (var st = c.getMetaData().getConnection().createStatement();
           ResultSet rs = st.executeQuery("SELECT current_setting('port')::int")) {
        rs.next();
        assertThat(byPort.get(rs.getInt(1))).isIn("eu-replica", "us-replica-fra");
      }
      assertThatThrownBy(c::createStatement)
          .isInstanceOf(UnknownRegionException.class)
          .hasMessage("No region for this connection: no RegionContext is open on this thread and no default "
              + "region is configured (known regions: eu, us). Open RegionContext.open(region, subject) around the "
              + "work, or set defaultRegion on the builder.");
      assertThatThrownBy(() -> c.prepareStatement("SELECT 1")).isInstanceOf(UnknownRegionException.class);
    }
  }

  @Test
  void aReplicaBoundConnectionRefusesToWriteInsideATransaction_insteadOfWritingElsewhere() throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu", "reader"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      assertThat(servedBy(c, byPort)).isEqualTo("eu-replica");
      c.setReadOnly(false);
      assertThatThrownBy(c::createStatement)
          .isInstanceOf(ReplicaWriteException.class)
          .hasMessage("connection is bound to replica 'eu-replica' of region 'eu' and was then asked to write "
              + "(setReadOnly(false)) inside an open transaction; call setReadOnly(false) before the first "
              + "statement, or use a new connection for the write")
          .extracting(e -> ((ReplicaWriteException) e).getSQLState()).isEqualTo("25006");
      c.rollback();
    }
  }

  @Test
  void springReadOnlyTransactionsGoToAReplica_andWritingOnesToThePrimary() throws Exception {
    DataSourceTransactionManager tm = new DataSourceTransactionManager(ds);
    JdbcTemplate jdbc = new JdbcTemplate(ds);
    TransactionTemplate readOnly = new TransactionTemplate(tm);
    readOnly.setReadOnly(true);
    TransactionTemplate writing = new TransactionTemplate(tm);
    try (RegionContext.Scope s = RegionContext.open("us", "spring-user")) {
      Integer port = readOnly.execute(tx -> jdbc.queryForObject("SELECT current_setting('port')::int", Integer.class));
      assertThat(byPort.get(port)).isEqualTo("us-replica-fra");
      Integer wrotePort = writing.execute(tx -> {
        jdbc.update("INSERT INTO items (region, subject, n) VALUES ('us', 'spring-user', -3)");
        return jdbc.queryForObject("SELECT current_setting('port')::int", Integer.class);
      });
      assertThat(byPort.get(wrotePort)).isEqualTo("us-primary");
      // the same subject's next read-only transaction sees its write (pinned, or a replica that has it)
      Long seen = readOnly.execute(tx -> jdbc.queryForObject("SELECT count(*) FROM items WHERE n = -3", Long.class));
      assertThat(seen).isEqualTo(1);
    }
  }

  @Test
  void settingsMadeBeforeBindingReachThePhysicalConnection() throws Exception {
    try (Connection c = topo.connect("eu-primary")) {
      exec(c, "CREATE SCHEMA IF NOT EXISTS other");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    try (RegionContext.Scope s = RegionContext.open("eu", "settings"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setSchema("other");
      c.setClientInfo("ApplicationName", "settings-before-binding");
      assertThat(c.getAutoCommit()).isFalse();
      assertThat(c.getNetworkTimeout()).isZero(); // none set: answered without binding
      // answered from what was set, before anything is bound
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
      assertThat(c.getSchema()).isEqualTo("other");
      assertThat(c.getClientInfo("ApplicationName")).isEqualTo("settings-before-binding");
      assertThat(c.toString()).contains("unbound");
      try (var st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT current_setting('transaction_isolation'), current_schema(), "
               + "current_setting('transaction_read_only'), current_setting('port')::int, "
               + "current_setting('application_name')")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("repeatable read");
        assertThat(rs.getString(2)).isEqualTo("other");
        assertThat(rs.getString(3)).isEqualTo("on");
        assertThat(byPort.get(rs.getInt(4))).isEqualTo("eu-replica");
        assertThat(rs.getString(5)).isEqualTo("settings-before-binding");
      }
      c.commit();
    }
  }

  @Test
  void anInvalidIsolationLevelIsRefusedAtOnce_beforeBinding_asTheDriverRefusesItOnceBound() throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu"); Connection unbound = ds.getConnection();
        Connection bound = ds.getConnection()) {
      assertThat(servedBy(bound, byPort)).isNotNull();
      java.sql.SQLException driver = org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> bound.setTransactionIsolation(3), java.sql.SQLException.class);
      assertThatThrownBy(() -> unbound.setTransactionIsolation(3))
          .isInstanceOf(java.sql.SQLFeatureNotSupportedException.class)
          .hasMessageStartingWith(driver.getMessage())
          .hasMessageContaining("TRANSACTION_READ_COMMITTED (2)")
          .extracting(e -> ((java.sql.SQLException) e).getSQLState()).isEqualTo(driver.getSQLState())
          .isEqualTo("0A000");
      assertThatThrownBy(() -> unbound.setTransactionIsolation(Connection.TRANSACTION_NONE))
          .hasMessageStartingWith("Transaction isolation level 0 not supported.");
      unbound.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      try (Statement st = unbound.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_setting('transaction_isolation')")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("the valid level was kept, the refused ones were not").isEqualTo("serializable");
      }
    }
  }

  @Test
  void unwrapReachesThePhysicalConnection() throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
      assertThat(pg.getBackendPID()).isPositive();
      assertThat(c.isWrapperFor(org.postgresql.PGConnection.class)).isTrue();
      try (ResultSet rs = c.getMetaData().getTables(null, "public", "items", null)) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void everyStatementType_answersTheRoutedConnection_andUnwrapsToTheDriversStatement() throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (Statement st = c.createStatement();
          PreparedStatement ps = c.prepareStatement("SELECT ?::int");
          CallableStatement cs = c.prepareCall("{? = call abs(?)}")) {
        for (Statement each : List.of(st, ps, cs)) {
          assertThat(each.getConnection()).as(each.toString()).isSameAs(c);
          assertThat(each.isWrapperFor(org.postgresql.PGStatement.class)).isTrue();
          assertThat(each.unwrap(org.postgresql.PGStatement.class)).isNotNull().isNotSameAs(each);
          assertThat(each.isClosed()).isFalse();
          assertThat(each).isEqualTo(each).isNotEqualTo(st == each ? ps : st);
        }
        ps.setInt(1, 7);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(7);
          // result sets are not wrapped: their statement is the pool's, as through the proxy before
          assertThat(rs.getStatement()).isNotSameAs(ps);
        }
        cs.registerOutParameter(1, java.sql.Types.INTEGER);
        cs.setInt(2, -5);
        cs.execute();
        assertThat(cs.getInt(1)).isEqualTo(5);
      }
      Statement closed = c.createStatement();
      closed.close();
      closed.close(); // twice: a no-op, as JDBC says
      assertThat(closed.isClosed()).isTrue();
    }
  }

  @Test
  void generatedKeys_andCloseOnCompletion_passThroughTheRoutedStatement() throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu", "keys"); Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO items (region, subject, n) VALUES ('eu', 'keys', -1)",
            Statement.RETURN_GENERATED_KEYS)) {
      assertThat(ps.executeUpdate()).isEqualTo(1);
      try (ResultSet keys = ps.getGeneratedKeys()) {
        assertThat(keys.next()).isTrue();
        assertThat(keys.getLong("id")).isPositive();
      }
      Statement st = c.createStatement();
      st.closeOnCompletion();
      assertThat(st.isCloseOnCompletion()).isTrue();
      try (ResultSet rs = st.executeQuery("SELECT 1")) {
        rs.next();
      }
      assertThat(st.isClosed()).isTrue();
    }
  }

  @Test
  void aNodeWhoseServerBelongsToAnotherRegion_isQuarantined_andNeverServes() throws Exception {
    // "eu-replica-2" is configured in the EU, but its URL points at a US standby (a copy-paste accident)
    try (RegionRoutingDataSource mixedUp = RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool(topo, "eu-primary"))
        .replica("eu-replica-2", "eu", "fra", pool(topo, "us-replica-fra"))
        .monitorInterval(Duration.ofMillis(100))
        .build()) {
      NodeStatus impostor = mixedUp.status().node("eu-replica-2").orElseThrow();
      assertThat(impostor.readEligible()).isFalse();
      assertThat(impostor.excludedReason()).startsWith("quarantined: system identifier ")
          .contains("is not region 'eu''s").endsWith("(wrong server behind this node's URL?)");
      for (int i = 0; i < 20; i++) {
        try (RegionContext.Scope s = RegionContext.open("eu", "reader"); Connection c = mixedUp.getConnection()) {
          c.setReadOnly(true);
          assertThat(servedBy(c, byPort)).isEqualTo("eu-primary");
        }
      }
    }
  }

  @Test
  void metricsCountWhereConnectionsWentAndWhy_andGaugeEveryNode() throws Exception {
    double before = registry.get("regionrouter.connections").tag("node", "eu-replica").tag("reason", "read")
        .counter().count();
    try (RegionContext.Scope s = RegionContext.open("eu", "metrics-reader"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      servedBy(c, byPort);
    }
    assertThat(registry.get("regionrouter.connections").tag("region", "eu").tag("node", "eu-replica")
        .tag("role", "replica").tag("reason", "read").counter().count()).isEqualTo(before + 1);
    assertThat(registry.get("regionrouter.node.up").tag("node", "us-replica-sin").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("regionrouter.node.rtt").tag("node", "us-replica-sin").gauge().value()).isGreaterThan(0.06);
    assertThat(registry.get("regionrouter.replica.lag").tag("node", "eu-replica").gauge().value()).isGreaterThanOrEqualTo(0);
    assertThat(registry.get("regionrouter.replica.lag.bytes").tag("node", "eu-replica").gauge().value())
        .isGreaterThanOrEqualTo(0);
    assertThat(registry.get("regionrouter.pins").tag("region", "eu").gauge().value()).isGreaterThanOrEqualTo(0);
    assertThat(registry.get("regionrouter.failovers").tag("node", "eu-replica").counter()).isNotNull();
  }

  @Test
  void statusShowsEveryNodeMeasured() {
    TopologyStatus status = ds.status();
    assertThat(status.writeTargets()).containsEntry("eu", "eu-primary").containsEntry("us", "us-primary");
    assertThat(status.nodes()).allSatisfy(n -> {
      assertThat(n.up()).isTrue();
      assertThat(n.rtt()).isNotNull();
    });
    NodeStatus sin = status.node("us-replica-sin").orElseThrow();
    NodeStatus fra = status.node("us-replica-fra").orElseThrow();
    assertThat(sin.rtt()).isGreaterThan(Duration.ofMillis(60)); // 2 × 40 ms one way
    assertThat(fra.rtt()).isLessThan(sin.rtt());
  }
}
