package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.exec;
import static io.github.regionrouter.Fixtures.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.testing.PostgresTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes and session state the router cannot see — made through an unwrapped statement or connection — and
 * connections ended by {@code abort()}: the writer must still be pinned (rule 4), and the connection must not
 * move away from session state it cannot see (rule 6). The monitor's ticker is frozen, so no poll ever resolves
 * a pin: a pinned subject reads from the primary, an unpinned one from the replica, for the whole test.
 */
class UnseenWritesIntegrationTest {

  private static PostgresTopology topo;
  private static Map<Integer, String> byPort;
  private RegionRoutingDataSource ds;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void startTopology() throws SQLException {
    topo = PostgresTopology.builder().primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
        .start();
    byPort = Fixtures.nodesByPort(topo);
    try (Connection c = topo.connect("eu-primary")) {
      exec(c, "CREATE TABLE items (id int PRIMARY KEY, n bigint NOT NULL)");
      exec(c, "INSERT INTO items VALUES (1, 0)");
      exec(c, "CREATE FUNCTION bump() RETURNS void LANGUAGE sql AS 'UPDATE items SET n = n + 1 WHERE id = 1'");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopTopology() {
    topo.close();
  }

  @BeforeEach
  void build() {
    long frozen = System.nanoTime();
    ds = RegionRoutingDataSource.builder().localLocation("fra")
        .primary("eu-primary", "eu", "fra", Fixtures.pool(topo, "eu-primary"))
        .replica("eu-replica", "eu", "fra", Fixtures.pool(topo, "eu-replica"))
        .monitorInterval(Duration.ofMillis(50))
        .ticker(() -> frozen) // no poll ever starts after a commit: pins never resolve
        .meterRegistry(registry)
        .build();
  }

  @AfterEach
  void close() {
    Fixtures.assertNoLeak(ds, registry);
    ds.close();
  }

  private String read(String subject) throws SQLException {
    try (RegionContext.Scope s = RegionContext.open("eu", subject); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      return servedBy(c, byPort);
    }
  }

  @Test
  void aWriteThroughAnUnwrappedStatement_pinsTheWriter_forEveryKindOfStatement() throws Exception {
    assertThat(read("plain")).as("nobody is pinned yet").isEqualTo("eu-replica");
    try (RegionContext.Scope s = RegionContext.open("eu", "plain"); Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.unwrap(Statement.class).executeUpdate("UPDATE items SET n = n + 1 WHERE id = 1");
    }
    try (RegionContext.Scope s = RegionContext.open("eu", "prepared"); Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE items SET n = n + ? WHERE id = 1")) {
      PreparedStatement driver = ps.unwrap(PreparedStatement.class);
      driver.setInt(1, 1);
      driver.executeUpdate();
    }
    try (RegionContext.Scope s = RegionContext.open("eu", "callable"); Connection c = ds.getConnection();
        CallableStatement cs = c.prepareCall("{call bump()}")) {
      cs.unwrap(CallableStatement.class).execute();
    }
    assertThat(read("plain")).as("wrote through the driver's Statement").isEqualTo("eu-primary");
    assertThat(read("prepared")).as("wrote through the driver's PreparedStatement").isEqualTo("eu-primary");
    assertThat(read("callable")).as("wrote through the driver's CallableStatement").isEqualTo("eu-primary");
    assertThat(read("someone-else")).isEqualTo("eu-replica");
  }

  @Test
  void aCommitAfterAStatementWasUnwrapped_countsAsAWrite() throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu", "two-tx"); Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.unwrap(Statement.class).executeQuery("SELECT 1").close();
      }
      c.commit();
      assertThat(s.context().lastWrite()).as("a commit after an unwrap counts: the driver's statement may have written")
          .isPresent();
    }
    assertThat(read("two-tx")).isEqualTo("eu-primary");
  }

  @Test
  void sessionStateSetThroughAnUnwrappedStatement_keepsTheConnectionOnItsNode() throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu", "session"); Connection c = ds.getConnection()) {
      try (Statement st = c.createStatement()) {
        st.unwrap(Statement.class).execute("SET application_name = 'set-where-the-router-cannot-see'");
      }
      // at a boundary, no statement open: without the unwrap this re-binds to the replica (rule 6)
      c.setReadOnly(true);
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), current_setting('port')::int")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("set-where-the-router-cannot-see");
        assertThat(byPort.get(rs.getInt(2))).isEqualTo("eu-primary");
      }
      exec(c, "RESET application_name"); // the pool's connection goes back clean
    }
  }

  @Test
  void aWriteThroughAnUnwrappedConnection_isPinnedWhenTheConnectionIsAborted_andItsPoolSlotComesBack()
      throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu", "aborted-conn")) {
      Connection c = ds.getConnection();
      Connection driver = (Connection) c.unwrap(org.postgresql.PGConnection.class);
      try (Statement st = driver.createStatement()) {
        st.executeUpdate("UPDATE items SET n = n + 1 WHERE id = 1");
      }
      c.abort(Runnable::run);
      assertThat(c.isClosed()).isTrue();
      assertThat(s.context().lastWrite()).hasValueSatisfying(p -> assertThat(p.isUnknown()).isTrue());
    }
    try (RegionContext.Scope s = RegionContext.open("eu", "aborted-statement")) {
      Connection c = ds.getConnection();
      Statement st = c.createStatement();
      st.unwrap(Statement.class).executeUpdate("UPDATE items SET n = n + 1 WHERE id = 1");
      c.abort(Runnable::run);
    }
    assertThat(read("aborted-conn")).isEqualTo("eu-primary");
    assertThat(read("aborted-statement")).isEqualTo("eu-primary");
    assertThat(read("someone-else")).isEqualTo("eu-replica");
    // @AfterEach: no pool holds a connection for the aborted ones
  }

  @Test
  void anAutoCommitWriteThatReturnedIsStillPinnedWhenTheConnectionIsThenAborted() throws Exception {
    try (RegionContext.Scope s = RegionContext.open("eu", "wrote-then-aborted")) {
      Connection c = ds.getConnection();
      exec(c, "UPDATE items SET n = n + 1 WHERE id = 1");
      c.abort(Runnable::run);
    }
    assertThat(read("wrote-then-aborted")).isEqualTo("eu-primary");
  }
}
