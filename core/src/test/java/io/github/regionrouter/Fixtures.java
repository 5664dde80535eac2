package io.github.regionrouter;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.testing.PostgresTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Shared set-up of the integration tests: pools over a real topology, node identification, bounded awaits, a
 * background write load. Public for the tests of {@code io.github.regionrouter.internal}.
 */
public final class Fixtures {

  private Fixtures() {
  }

  /** A small pool for one node of the topology, reached from {@code from} through its latency link if any. */
  public static HikariConfig pool(PostgresTopology topo, String node, String from) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(from == null ? topo.jdbcUrl(node) : topo.jdbcUrlFrom(from, node));
    c.setUsername(topo.user());
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(1);
    c.setConnectionTimeout(3_000);
    return c;
  }

  public static HikariConfig pool(PostgresTopology topo, String node) {
    return pool(topo, node, null);
  }

  /** node name by server port, to tell which node served a query. */
  public static Map<Integer, String> nodesByPort(PostgresTopology topo) {
    Map<Integer, String> byPort = new HashMap<>();
    topo.nodes().forEach(n -> byPort.put(n.port(), n.name()));
    return byPort;
  }

  /** Which node served this connection: the server's own port, mapped to its node name. */
  static String servedBy(Connection c, Map<Integer, String> byPort) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('port')::int")) {
      rs.next();
      return byPort.get(rs.getInt(1));
    }
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The first line of a failure's message, for figures printed by tests. */
  static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Waits for {@code condition} with a bound; fails with {@code what} when the bound passes. */
  static long await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + bound.toMillis() + "ms waiting for: " + what);
      }
      Thread.sleep(10);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** No leak: every node has 0 connections bound by the router and 0 active in its HikariCP pool. */
  static void assertNoLeak(RegionRoutingDataSource ds, MeterRegistry registry) {
    assertThat(ds.status().nodes()).allSatisfy(n -> assertThat(n.inUse()).as("in use on " + n.name()).isZero());
    var active = Search.in(registry).name("hikaricp.connections.active").gauges();
    assertThat(active).as("one HikariCP pool per node reports to the registry").hasSize(ds.status().nodes().size());
    active.forEach(g -> assertThat(g.value()).as("active in " + g.getId().getTag("pool")).isZero());
  }

  /**
   * Inserts a row into {@code items (n)} on {@code eu-primary} every 20 ms until {@code running} is false (bounded
   * to 60 s), on a connection of its own: WAL for replicas to lag behind.
   */
  static Thread writeLoad(PostgresTopology topo, AtomicBoolean running) {
    Thread t = new Thread(() -> {
      long end = System.nanoTime() + 60_000_000_000L;
      try (Connection c = topo.connect("eu-primary")) {
        while (running.get() && System.nanoTime() < end) {
          exec(c, "INSERT INTO items (n) VALUES (1)");
          Thread.sleep(20);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "test-write-load");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** A JDBC call that may throw, for conditions of {@link #await}. */
  interface SqlCall<T> {
    T call() throws Exception;
  }

  /** Runs {@code call}, rethrowing what it throws unchecked (an {@link #await} condition cannot throw). */
  static <T> T unchecked(SqlCall<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
