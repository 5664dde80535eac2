package io.github.regionrouter.spring;

import io.github.regionrouter.testing.PostgresTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The topology of the starter's integration tests (eu primary and replica in fra, us primary in iad with a
 * replica in fra) and the {@code region-router.*} properties that describe it — the only configuration the
 * test applications get.
 */
final class TestTopology {

  private TestTopology() {
  }

  static PostgresTopology start() {
    return PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra").replica("eu-replica", "eu-primary", "fra")
        .primary("us-primary", "us", "iad").replica("us-replica", "us-primary", "fra")
        .start();
  }

  /** Registers the topology as {@code region-router.regions.*} properties. */
  static void register(PostgresTopology topology, DynamicPropertyRegistry registry) {
    registry.add("region-router.local-location", () -> "fra");
    registry.add("region-router.pool.username", topology::user);
    registry.add("region-router.pool.maximum-pool-size", () -> "4");
    registry.add("region-router.regions.eu.residency", () -> "fra,ams");
    node(registry, topology, "eu", "eu-primary", "primary", "fra");
    node(registry, topology, "eu", "eu-replica", "replica", "fra");
    node(registry, topology, "us", "us-primary", "primary", "iad");
    node(registry, topology, "us", "us-replica", "replica", "fra");
  }

  private static void node(DynamicPropertyRegistry registry, PostgresTopology topology, String region,
      String name, String role, String location) {
    String at = "region-router.regions." + region + ".nodes." + name + ".";
    registry.add(at + "role", () -> role);
    registry.add(at + "location", () -> location);
    registry.add(at + "url", () -> topology.jdbcUrl(name));
  }

  /** Counts rows matching {@code where} in {@code table} on one node, directly (not through the router). */
  static long count(PostgresTopology topology, String node, String table, String where) throws SQLException {
    try (Connection c = topology.connect(node); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table + " where " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Whether {@code table} exists on the node. */
  static boolean hasTable(PostgresTopology topology, String node, String table) throws SQLException {
    try (Connection c = topology.connect(node); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select to_regclass('public." + table + "') is not null")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
