package io.github.regionrouter.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.testing.PostgresTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BooleanSupplier;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The test application's schema on both primaries — users (root), orders (foreign key to users), order_items
 * (foreign key to orders: a path) and events (a column holding the user id, no foreign key) — with seeding,
 * counting and pool helpers. Users with odd ids live in the EU by residency and start in the US region.
 */
final class Shop {

  static final String US = "us-primary";
  static final String EU = "eu-primary";
  static final String ISS = "https://idp.test";
  static final String SUBJECT_EXPR = "iss || '|' || sub";
  static final String EU_USERS = "SELECT id FROM users WHERE home = 'eu' ORDER BY id";

  private static final String DDL = String.join(";\n",
      "DROP SCHEMA IF EXISTS region_router CASCADE",
      "DROP TABLE IF EXISTS events, order_items, orders, users CASCADE",
      "DROP FUNCTION IF EXISTS corrupt_amount() CASCADE",
      "CREATE TABLE users (id bigint PRIMARY KEY, iss text NOT NULL, sub text NOT NULL, name text NOT NULL, "
          + "home text NOT NULL, created timestamptz NOT NULL DEFAULT now())",
      "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), "
          + "amount numeric(12,2) NOT NULL, note text, placed_at timestamptz NOT NULL DEFAULT now())",
      "CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), "
          + "sku text NOT NULL, qty int NOT NULL, price double precision)",
      "CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint NOT NULL, payload jsonb, "
          + "at timestamptz NOT NULL DEFAULT now())",
      "CREATE INDEX ON orders (user_id)",
      "CREATE INDEX ON order_items (order_id)",
      "CREATE INDEX ON events (user_id)");

  private Shop() {
  }

  static MigrationPlan plan() {
    return MigrationPlan.builder()
        .root("users", "id", SUBJECT_EXPR)
        .child("orders", "user_id")
        .child("order_items", "order_id", "orders", "id")
        .child("events", "user_id")
        .build();
  }

  static String subject(long userId) {
    return ISS + "|user-" + userId;
  }

  /** Fresh tables on both primaries; the directory and journal schema dropped. */
  static void reset(PostgresTopology topo) throws SQLException {
    for (String node : new String[] {US, EU}) {
      try (Connection c = topo.connect(node)) {
        exec(c, DDL);
      }
    }
  }

  /**
   * Seeds {@code users} users in the US primary (odd ids: home eu), each with 2 orders of 2 items and 1 event:
   * 8 rows per user. Order ids are user*10+k, item ids order*10+k, event ids the user id.
   */
  static void seed(PostgresTopology topo, int users) throws SQLException {
    try (Connection c = topo.connect(US)) {
      exec(c, "INSERT INTO users SELECT g, '" + ISS + "', 'user-' || g, 'name ' || g, "
          + "CASE WHEN g % 2 = 1 THEN 'eu' ELSE 'us' END, timestamptz '2026-01-01 10:00:00+00' + g * interval '1 min' "
          + "FROM generate_series(1, " + users + ") g");
      exec(c, "INSERT INTO orders SELECT u * 10 + k, u, (u * 7 + k) / 100.0, CASE WHEN k = 1 THEN NULL ELSE "
          + "'note é ' || u END, timestamptz '2026-02-01 00:00:00+00' + u * interval '1 s' "
          + "FROM generate_series(1, " + users + ") u, generate_series(1, 2) k");
      exec(c, "INSERT INTO order_items SELECT o.id * 10 + k, o.id, 'sku-' || k, k, o.id / 3.0 FROM orders o, "
          + "generate_series(1, 2) k");
      exec(c, "INSERT INTO events SELECT u, u, jsonb_build_object('u', u, 'tags', jsonb_build_array('a', u)) "
          + "FROM generate_series(1, " + users + ") u");
      exec(c, "ANALYZE");
    }
  }

  /** Rows of the given users (a SQL condition on the user id column {@code u}) in all four tables. */
  static long rowsOf(Connection c, String userCondition) throws SQLException {
    String w = userCondition;
    return count(c, "SELECT (SELECT count(*) FROM users WHERE " + w.replace("$u", "id") + ") "
        + "+ (SELECT count(*) FROM orders WHERE " + w.replace("$u", "user_id") + ") "
        + "+ (SELECT count(*) FROM order_items i JOIN orders o ON i.order_id = o.id WHERE "
        + w.replace("$u", "o.user_id") + ") "
        + "+ (SELECT count(*) FROM events WHERE " + w.replace("$u", "user_id") + ")");
  }

  /** Ids at or above this are rows the test application wrote; seeded ids are below. */
  static final long APP_IDS = 10_000_000L;

  /**
   * One md5 over every seeded row (not the app's) of the given users, in key order: equal on two servers means
   * equal content.
   */
  static String digestOf(Connection c, String userCondition) throws SQLException {
    return digestOf(c, userCondition, true);
  }

  /** As {@link #digestOf(Connection, String)}, without the users table when the app updates it. */
  static String digestOf(Connection c, String userCondition, boolean withUsers) throws SQLException {
    String w = userCondition;
    String users = withUsers ? w.replace("$u", "id") : "false";
    try (Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs = s.executeQuery("SELECT md5(concat("
          + "(SELECT string_agg(t::text, ';' ORDER BY id) FROM users t WHERE " + users + "), "
          + "(SELECT string_agg(t::text, ';' ORDER BY id) FROM orders t WHERE " + w.replace("$u", "user_id") + " AND id < " + APP_IDS + "), "
          + "(SELECT string_agg(i::text, ';' ORDER BY i.id) FROM order_items i JOIN orders o ON i.order_id = o.id "
          + "WHERE " + w.replace("$u", "o.user_id") + " AND o.id < " + APP_IDS + "), "
          + "(SELECT string_agg(t::text, ';' ORDER BY id) FROM events t WHERE " + w.replace("$u", "user_id") + " AND id < " + APP_IDS + ")))")) {
        rs.next();
        return rs.getString(1);
      }
    } finally {
      try (Statement s = c.createStatement()) {
        s.execute("RESET TimeZone");
      }
    }
  }

  static HikariDataSource pool(PostgresTopology topo, String node, int size) {
    return pool(topo.jdbcUrl(node), topo.user(), size);
  }

  static HikariDataSource pool(String url, String user, int size) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(0);
    c.setConnectionTimeout(5_000);
    return new HikariDataSource(c);
  }

  static HikariConfig config(PostgresTopology topo, String node) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(topo.jdbcUrl(node));
    c.setUsername(topo.user());
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(0);
    c.setConnectionTimeout(5_000);
    return c;
  }

  static PGSimpleDataSource plain(PostgresTopology topo, String node) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(topo.jdbcUrl(node));
    ds.setUser(topo.user());
    return ds;
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

  static String text(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Waits for {@code condition} with a bound; fails naming {@code what} when the bound passes. */
  static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + bound.toMillis() + "ms waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }
}
