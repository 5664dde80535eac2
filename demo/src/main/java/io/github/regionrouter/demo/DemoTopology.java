package io.github.regionrouter.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.testing.PgNode;
import io.github.regionrouter.testing.PostgresTopology;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

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

  private static final String NOTES_COLUMNS = " (id bigserial PRIMARY KEY, subject text NOT NULL,"
      + " region text NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())";

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
    for (String primary : List.of(US_PRIMARY, EU_PRIMARY)) {
      try (Connection c = topo.connect(primary); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE " + TABLE + NOTES_COLUMNS);
        st.execute("CREATE INDEX notes_subject ON " + TABLE + " (subject)");
        st.execute("CREATE TABLE drill_heartbeat (at timestamptz NOT NULL DEFAULT now())");
        if (primary.equals(US_PRIMARY)) {
          st.execute("CREATE SCHEMA single_region");
          st.execute("CREATE TABLE " + SINGLE_TABLE + NOTES_COLUMNS);
          st.execute("CREATE INDEX single_notes_subject ON " + SINGLE_TABLE + " (subject)");
        } else {
          // Only the EU primary's own configuration (postgresql.auto.conf): the replica, once promoted, must
          // not wait for a standby it does not have.
          st.execute("ALTER SYSTEM SET synchronous_standby_names = '*'");
          st.execute("SELECT pg_reload_conf()");
        }
      }
    }
    for (String replica : List.of(US_REPLICA_FRA, US_REPLICA_SIN, EU_REPLICA)) {
      topo.awaitReplayed(replica, Duration.ofSeconds(30));
    }
  }

  PostgresTopology topology() {
    return topo;
  }

  /**
   * The data source of the app instance in {@code location}, as its configuration would declare it: every node,
   * reached through the link from that location. The instance in {@code iad} leaves out the US replicas: its
   * US users' reads are best served by the primary next door, and the router sends reads to an eligible
   * replica whenever there is one, however far (rule 3), so listing them would send US reads across the ocean.
   */
  RegionRoutingDataSource routingDataSource(String location) {
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder()
        .localLocation(location)
        .primary(US_PRIMARY, "us", Geography.IAD, pool(location, US_PRIMARY))
        .primary(EU_PRIMARY, "eu", Geography.FRA, pool(location, EU_PRIMARY))
        .replica(EU_REPLICA, "eu", Geography.FRA, pool(location, EU_REPLICA))
        .residency("eu", "fra", "ams")
        .maxReplicaLag(Duration.ofMillis(500))
        .readYourWritesWindow(Duration.ofSeconds(5));
    if (!location.equals(Geography.IAD)) {
      b.replica(US_REPLICA_FRA, "us", Geography.FRA, pool(location, US_REPLICA_FRA))
          .replica(US_REPLICA_SIN, "us", Geography.SIN, pool(location, US_REPLICA_SIN));
    }
    return b.build();
  }

  /** Phase 1's data source: one pool on the US primary, next to the only app instance. */
  HikariDataSource singleRegionDataSource() {
    HikariConfig config = pool(Geography.IAD, US_PRIMARY);
    config.setPoolName("single-region-us-primary");
    config.setMaximumPoolSize(8);
    return new HikariDataSource(config);
  }

  private HikariConfig pool(String from, String node) {
    PgNode target = topo.node(node);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(target.location().equals(from) ? target.jdbcUrl() : topo.jdbcUrlFrom(from, node));
    config.setUsername(topo.user());
    config.setMaximumPoolSize(6);
    config.setMinimumIdle(2);
    // A write waits for a dead primary at most this long before it fails (the demo's users see a 503).
    config.setConnectionTimeout(2_000);
    return config;
  }

  Geography geography() {
    return geo;
  }

  @Override
  public void close() {
    topo.close();
  }
}
