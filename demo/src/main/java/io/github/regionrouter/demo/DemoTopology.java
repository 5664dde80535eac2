package io.github.regionrouter.demo;

import io.github.regionrouter.testing.PgNode;
import io.github.regionrouter.testing.PostgresTopology;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded databases of the story: the US region's primary in {@code iad} with streaming replicas in
 * {@code fra} and {@code sin}; the EU region's primary and replica in {@code fra} (residency fra/ams). App
 * instances reach nodes in other locations through the topology's latency proxies.
 *
 * <p>The EU primary commits synchronously to its in-region replica ({@code synchronous_standby_names = '*'},
 * {@code synchronous_commit = on}: the replica has flushed the WAL before a commit is acknowledged). Both sit in
 * Frankfurt, so it costs a local round trip, and it is what makes "primary lost, replica promoted" lose no
 * acknowledged write; with asynchronous replication a crash may lose the last writes, and no router can read
 * them back. The US region replicates asynchronously, as in the seed.
 *
 * <p>Not thread-safe to start and close; the topology itself is.
 */
final class DemoTopology implements AutoCloseable {

  static final String US_PRIMARY = "us-primary";
  static final String US_REPLICA_FRA = "us-replica-fra";
  static final String US_REPLICA_SIN = "us-replica-sin";
  static final String EU_PRIMARY = "eu-primary";
  static final String EU_REPLICA = "eu-replica";

  /** The table of the region-router phases, on every primary; the single-region phase has its own. */
  static final String TABLE = "notes";
  static final String SINGLE_TABLE = "single_region.notes";

  private final PostgresTopology topo;
  private final Geography geo;

  private DemoTopology(PostgresTopology topo, Geography geo) {
    this.topo = topo;
    this.geo = geo;
  }

  static DemoTopology start(Geography geo) {
    PostgresTopology topo = PostgresTopology.builder()
        .primary(US_PRIMARY, "us", Geography.IAD)
        .replica(US_REPLICA_FRA, US_PRIMARY, Geography.FRA)
        .replica(US_REPLICA_SIN, US_PRIMARY, Geography.SIN)
        .primary(EU_PRIMARY, "eu", Geography.FRA)
        .replica(EU_REPLICA, EU_PRIMARY, Geography.FRA)
        .latency(Geography.IAD, Geography.FRA, geo.between(Geography.IAD, Geography.FRA))
        .latency(Geography.IAD, Geography.SIN, geo.between(Geography.IAD, Geography.SIN))
        .latency(Geography.FRA, Geography.SIN, geo.between(Geography.FRA, Geography.SIN))
        .start();
    DemoTopology demo = new DemoTopology(topo, geo);
    try {
      demo.createSchema();
    } catch (SQLException | RuntimeException e) {
      topo.close();
      throw new IllegalStateException("setting up the demo schema failed: " + e, e);
    }
    return demo;
  }

  private void createSchema() throws SQLException {
    // The notes table is the application's: the starter's Flyway support migrates it on every region's primary.
    for (String primary : List.of(US_PRIMARY, EU_PRIMARY)) {
      try (Connection c = topo.connect(primary); Statement st = c.createStatement()) {
        // in a schema of its own: Flyway wants the application's schema empty or its own
        st.execute("CREATE SCHEMA drill");
        st.execute("CREATE TABLE drill.heartbeat (at timestamptz NOT NULL DEFAULT now())");
        if (primary.equals(EU_PRIMARY)) {
          // Only the EU primary's own configuration (postgresql.auto.conf): the replica, once promoted, must
          // not wait for a standby it does not have.
          st.execute("ALTER SYSTEM SET synchronous_standby_names = '*'");
          st.execute("SELECT pg_reload_conf()");
        }
      }
    }
  }

  PostgresTopology topology() {
    return topo;
  }

  /**
   * The configuration of the app instance in {@code location}: {@code region-router.*} properties, every node
   * reached through the link from that location. The instance in {@code iad} leaves out the US replicas: its
   * US users' reads are best served by the primary next door, and the router sends reads to an eligible
   * replica whenever there is one, however far (rule 3), so listing them would send US reads across the ocean.
   */
  Map<String, Object> routerProperties(String location, Tokens tokens) {
    Map<String, Object> p = common(location, tokens);
    p.put("demo.table", TABLE);
    p.put("region-router.regions.eu.residency", "fra,ams");
    node(p, location, "us", US_PRIMARY, "primary");
    node(p, location, "eu", EU_PRIMARY, "primary");
    node(p, location, "eu", EU_REPLICA, "replica");
    if (!location.equals(Geography.IAD)) {
      node(p, location, "us", US_REPLICA_FRA, "replica");
      node(p, location, "us", US_REPLICA_SIN, "replica");
    }
    return p;
  }

  /**
   * Phase 1's configuration: one instance in {@code iad} and one primary there for everyone. Everybody's data is
   * in the one region there is, so the EU region claim maps to it; the table lives in its own schema so that
   * phase 1's rows do not count in phase 2's residency check.
   */
  Map<String, Object> singleRegionProperties(Tokens tokens) {
    Map<String, Object> p = common(Geography.IAD, tokens);
    p.put("demo.table", SINGLE_TABLE);
    p.put("spring.flyway.schemas", "single_region");
    p.put("spring.flyway.default-schema", "single_region");
    node(p, Geography.IAD, "us", US_PRIMARY, "primary");
    p.put("region-router.jwt.region-mapping.eu", "us");
    p.put("region-router.jwt.region-mapping.us", "us");
    return p;
  }

  private Map<String, Object> common(String location, Tokens tokens) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("region-router.local-location", location);
    p.put("region-router.max-replica-lag", "500ms");
    p.put("region-router.read-your-writes-window", "5s");
    // The sin instance is one ocean round trip (~216 ms) from its region's primary: a read of one's own new write
    // there may wait about that long for the monitor's probe to resolve the write and the near replica to replay
    // it, instead of two ocean round trips to iad. The router waits only when that is expected to be sooner than
    // the primary's answer, so near-primary instances never wait (the default, 100 ms, fits near primaries).
    p.put("region-router.read-your-writes-wait", "250ms");
    p.put("region-router.pool.username", topo.user());
    p.put("region-router.pool.maximum-pool-size", "6");
    p.put("region-router.pool.minimum-idle", "2");
    // A write waits for a dead primary at most this long before it fails (the users see a 503).
    p.put("region-router.pool.connection-timeout", "2s");
    p.put("region-router.jwt.algorithms", "HS256");
    p.put("region-router.jwt.hmac-secret", Base64.getEncoder().encodeToString(tokens.jwtSecret()));
    p.put("region-router.jwt.issuer", Tokens.ISSUER);
    p.put("region-router.jwt.audiences", Tokens.AUDIENCE);
    p.put("region-router.jwt.url-patterns", "/api/*");
    p.put("region-router.consistency.signing-keys.demo", Base64.getEncoder().encodeToString(
        tokens.consistencySecret()));
    p.put("region-router.consistency.cookie", "true");
    return p;
  }

  private void node(Map<String, Object> p, String from, String region, String node, String role) {
    PgNode target = topo.node(node);
    String prefix = "region-router.regions." + region + ".nodes." + node + ".";
    p.put(prefix + "role", role);
    p.put(prefix + "location", target.location());
    p.put(prefix + "url", target.location().equals(from) ? target.jdbcUrl() : topo.jdbcUrlFrom(from, node));
  }

  Geography geography() {
    return geo;
  }

  @Override
  public void close() {
    topo.close();
  }
}
