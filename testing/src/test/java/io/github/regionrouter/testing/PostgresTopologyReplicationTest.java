package io.github.regionrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behaviour that leaves the topology intact, on one shared two-region topology (2 primaries + 3 replicas).
 * Faults that destroy a topology are in {@link PostgresTopologyFaultTest}.
 */
class PostgresTopologyReplicationTest {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresTopologyReplicationTest.class);
  private static final Duration AWAIT = Duration.ofSeconds(10);

  private static PostgresTopology topology;
  private static Duration startTime;

  @BeforeAll
  static void startTopology() {
    long started = System.nanoTime();
    topology = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .primary("us-primary", "us", "iad")
        .replica("us-replica-fra", "us-primary", "fra")
        .replica("us-replica-sin", "us-primary", "sin")
        .latency("sin", "iad", Duration.ofMillis(40))
        .start();
    startTime = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("2 primaries + 3 replicas started in {} ms", startTime.toMillis());
    System.out.println("[region-router-testing] 2 primaries + 3 replicas started in " + startTime.toMillis() + " ms");
  }

  @AfterAll
  static void closeTopology() {
    if (topology != null) {
      topology.close();
    }
  }

  @Test
  void twoPrimariesAndThreeReplicas_startWellWithinTheSanityBound_inDeclarationOrder() {
    assertThat(startTime).isLessThan(Duration.ofSeconds(60));
    assertThat(topology.nodes()).extracting(PgNode::name)
        .containsExactly("eu-primary", "eu-replica", "us-primary", "us-replica-fra", "us-replica-sin");
    PgNode replica = topology.node("us-replica-sin");
    assertThat(replica.region()).isEqualTo("us");
    assertThat(replica.location()).isEqualTo("sin");
    assertThat(replica.primaryName()).isEqualTo("us-primary");
    assertThat(replica.host()).isEqualTo("127.0.0.1");
    assertThat(replica.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + replica.port() + "/postgres")
        .isEqualTo(topology.jdbcUrl("us-replica-sin"));
    assertThat(topology.node("eu-primary").primaryName()).isNull();
    assertThat(topology.nodes()).extracting(PgNode::port).doesNotHaveDuplicates();
    assertThat(topology.user()).isEqualTo("postgres");
  }

  @Test
  void rowInsertedOnPrimary_appearsOnEachOfItsReplicas() throws Exception {
    Sql.execute(topology, "eu-primary", "CREATE TABLE replicated_eu (id int); INSERT INTO replicated_eu VALUES (1)");
    Sql.execute(topology, "us-primary", "CREATE TABLE replicated_us (id int); INSERT INTO replicated_us VALUES (2)");

    awaitRow("eu-replica", "SELECT count(*) FROM replicated_eu WHERE id = 1");
    awaitRow("us-replica-fra", "SELECT count(*) FROM replicated_us WHERE id = 2");
    awaitRow("us-replica-sin", "SELECT count(*) FROM replicated_us WHERE id = 2");
    // Regions are separate clusters: the EU table never reaches the US region.
    assertThat(Sql.queryLong(topology, "us-replica-fra",
        "SELECT count(*) FROM pg_tables WHERE tablename = 'replicated_eu'")).isZero();
  }

  @Test
  void nodesOfARegionShareTheSystemIdentifier_andRegionsDiffer() throws Exception {
    String sql = "SELECT system_identifier FROM pg_control_system()";
    String eu = Sql.queryString(topology, "eu-primary", sql);
    String us = Sql.queryString(topology, "us-primary", sql);

    assertThat(Sql.queryString(topology, "eu-replica", sql)).isEqualTo(eu);
    assertThat(Sql.queryString(topology, "us-replica-fra", sql)).isEqualTo(us);
    assertThat(Sql.queryString(topology, "us-replica-sin", sql)).isEqualTo(us);
    assertThat(eu).isNotEqualTo(us);
  }

  @Test
  void pausedReplay_freezesReplayPosition_whilePrimaryAdvances_andResumeCatchesUp() throws Exception {
    Sql.execute(topology, "eu-primary", "CREATE TABLE paused (id int)");
    topology.awaitReplayed("eu-replica", AWAIT);
    topology.pauseReplay("eu-replica");
    try {
      String frozenAt = Sql.queryString(topology, "eu-replica", "SELECT pg_last_wal_replay_lsn()::text");
      Sql.execute(topology, "eu-primary", "INSERT INTO paused SELECT generate_series(1, 1000)");
      String primaryAt = Sql.queryString(topology, "eu-primary", "SELECT pg_current_wal_lsn()::text");
      assertThat(lsnGreater(primaryAt, frozenAt)).as("primary advanced past %s", frozenAt).isTrue();

      // Once the replica has received the new WAL, a running replay would apply it; a paused one must not.
      Awaits.await("eu-replica to receive " + primaryAt, AWAIT, () -> !lsnGreater(primaryAt,
          Sql.queryString(topology, "eu-replica", "SELECT pg_last_wal_receive_lsn()::text")));
      assertThat(Sql.queryString(topology, "eu-replica", "SELECT pg_last_wal_replay_lsn()::text"))
          .isEqualTo(frozenAt);
      assertThat(Sql.queryLong(topology, "eu-replica", "SELECT count(*) FROM paused")).isZero();
    } finally {
      topology.resumeReplay("eu-replica");
    }
    topology.awaitReplayed("eu-replica", AWAIT);
    assertThat(Sql.queryLong(topology, "eu-replica", "SELECT count(*) FROM paused")).isEqualTo(1000);
  }

  @Test
  void awaitReplayed_failsWithBothPositions_whenReplayIsPaused() throws Exception {
    topology.pauseReplay("us-replica-fra");
    try {
      Sql.execute(topology, "us-primary", "CREATE TABLE not_replayed (id int)");

      assertThatThrownBy(() -> topology.awaitReplayed("us-replica-fra", Duration.ofMillis(300)))
          .isInstanceOf(TopologyException.class)
          .hasMessageStartingWith("node 'us-replica-fra' has not replayed 'us-primary' up to ")
          .hasMessageContaining("within 300 ms (replayed up to ")
          .hasMessageEndingWith(", replay paused)");
    } finally {
      topology.resumeReplay("us-replica-fra");
    }
    topology.awaitReplayed("us-replica-fra", AWAIT);
  }

  @Test
  void unknownNodeName_isRejected_namingTheKnownNodes() {
    assertThatThrownBy(() -> topology.node("ap-primary"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown node 'ap-primary' (known nodes: eu-primary, eu-replica, us-primary, us-replica-fra,"
            + " us-replica-sin)");
    assertThatThrownBy(() -> topology.freeze("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown node 'nope'");
  }

  @Test
  void replicaOperations_onAPrimary_areRejected_namingTheReplicas() {
    assertThatThrownBy(() -> topology.pauseReplay("eu-primary"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pauseReplay needs a replica, but node 'eu-primary' is a primary (replicas: eu-replica,"
            + " us-replica-fra, us-replica-sin)");
    assertThatThrownBy(() -> topology.awaitReplayed("us-replica-sin", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must not be negative, was -1 ms");
  }

  @Test
  void link_addsThePresetOneWayDelayInEachDirection() throws Exception {
    LatencyProxy link = topology.link("sin", "us-primary");
    assertThat(link.delay()).isEqualTo(Duration.ofMillis(40));

    long direct = medianSelectOneMillis(topology.jdbcUrl("us-primary"));
    long viaSin = medianSelectOneMillis(topology.jdbcUrlFrom("sin", "us-primary"));
    LOG.info("SELECT 1 round trip: direct {} ms, via sin->iad (40 ms one-way) {} ms", direct, viaSin);

    assertThat(viaSin).isBetween(80L, 80L + 150L);
  }

  @Test
  void link_isOneStartedProxyPerLocationAndNode_withoutDelayWhenNoneIsPreset() throws Exception {
    LatencyProxy link = topology.link("fra", "eu-primary");

    assertThat(topology.link("fra", "eu-primary")).isSameAs(link);
    assertThat(topology.link("fra", "eu-replica")).isNotSameAs(link);
    assertThat(link.delay()).isEqualTo(Duration.ZERO);
    assertThat(link.host()).isEqualTo("127.0.0.1");
    assertThat(topology.jdbcUrlFrom("fra", "eu-primary"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:" + link.port() + "/postgres");
    try (Connection connection = DriverManager.getConnection(topology.jdbcUrlFrom("fra", "eu-primary"),
        properties(5))) {
      assertThat(Sql.queryString(connection, "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void cutLink_failsOpenConnectionsAndNewOnesFast_andRestoreBringsServiceBack() throws Exception {
    LatencyProxy link = topology.link("ams", "eu-primary");
    String url = topology.jdbcUrlFrom("ams", "eu-primary");
    try (Connection open = DriverManager.getConnection(url, properties(30))) {
      assertThat(Sql.queryString(open, "SELECT 1")).isEqualTo("1");

      link.cut();

      long started = System.nanoTime();
      // SQLState class 08: connection exception, what the router treats as a dead node.
      assertThatThrownBy(() -> Sql.queryString(open, "SELECT 1")).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
      assertThatThrownBy(() -> DriverManager.getConnection(url, properties(30))).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("failing fast").isLessThan(Duration.ofSeconds(5));
    } finally {
      link.restore();
    }
    try (Connection again = DriverManager.getConnection(url, properties(30))) {
      assertThat(Sql.queryString(again, "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void blackholedLink_makesAQueryTimeOutRatherThanFailFast_andRestoreBringsServiceBack() throws Exception {
    LatencyProxy link = topology.link("lhr", "eu-primary");
    String url = topology.jdbcUrlFrom("lhr", "eu-primary");
    try (Connection open = DriverManager.getConnection(url, properties(1))) {
      assertThat(Sql.queryString(open, "SELECT 1")).isEqualTo("1");

      link.blackhole();

      long started = System.nanoTime();
      assertThatThrownBy(() -> Sql.queryString(open, "SELECT 1"))
          .isInstanceOf(SQLException.class)
          .hasRootCauseInstanceOf(SocketTimeoutException.class);
      Duration failedAfter = Duration.ofNanos(System.nanoTime() - started);
      assertThat(failedAfter).as("waited for the 1 s socket timeout")
          .isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(10));
    } finally {
      link.restore();
    }
    try (Connection again = DriverManager.getConnection(url, properties(30))) {
      assertThat(Sql.queryString(again, "SELECT 1")).isEqualTo("1");
    }
  }

  private static void awaitRow(String node, String countSql) throws Exception {
    Awaits.await("a replicated row on " + node, AWAIT, () -> Sql.queryLong(topology, node, countSql) == 1);
  }

  private static boolean lsnGreater(String a, String b) throws SQLException {
    return "t".equals(Sql.queryString(topology, "eu-primary", "SELECT '" + a + "'::pg_lsn > '" + b + "'::pg_lsn"));
  }

  private static long medianSelectOneMillis(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, properties(30));
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1"); // warm-up: statement preparation, JIT
      List<Long> samples = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        long started = System.nanoTime();
        statement.execute("SELECT 1");
        samples.add((System.nanoTime() - started) / 1_000_000);
      }
      samples.sort(null);
      return samples.get(samples.size() / 2);
    }
  }

  static Properties properties(int socketTimeoutSeconds) {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", Integer.toString(Math.min(socketTimeoutSeconds, 5)));
    properties.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
    return properties;
  }
}
