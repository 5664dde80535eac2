package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.exec;
import static io.github.regionrouter.Fixtures.pool;
import static io.github.regionrouter.Fixtures.servedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.NodeMisconfiguredException.Problem;
import io.github.regionrouter.testing.PostgresTopology;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node that cannot be reached because of its configuration is reported as such (issue 9): a non-transient
 * {@link NodeMisconfiguredException} naming the node, the fix and the driver's cause — never the transient
 * "retry when the region has a primary again". One real server; each test builds a data source whose primary is
 * configured wrong in one way.
 */
class MisconfiguredNodeIntegrationTest {

  private static PostgresTopology topo;
  private RegionRoutingDataSource ds;

  @BeforeAll
  static void start() {
    topo = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .start();
  }

  @AfterAll
  static void stop() {
    if (topo != null) {
      topo.close();
    }
  }

  @AfterEach
  void close() {
    if (ds != null) {
      ds.close();
    }
  }

  private RegionRoutingDataSource withPrimary(Consumer<HikariConfig> mistake) {
    HikariConfig primary = pool(topo, "eu-primary");
    primary.setConnectionTimeout(30_000); // HikariCP's default: the mistake must not cost a 30 s wait
    mistake.accept(primary);
    ds = RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary("eu-primary", "eu", "fra", primary)
        .replica("eu-replica", "eu", "fra", pool(topo, "eu-replica"))
        .build();
    return ds;
  }

  private NodeMisconfiguredException writeFails(RegionRoutingDataSource ds) {
    long start = System.nanoTime();
    try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
      exec(c, "SELECT 1");
      throw new AssertionError("the write should have failed");
    } catch (NodeMisconfiguredException e) {
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("misconfigured %s: failed after %d ms: %s%n", e.problem(), ms, e.getMessage());
      assertThat(ms).as("a configuration mistake is reported at once, not after the pool's timeout")
          .isLessThan(5_000);
      assertThat((Throwable) e).isNotInstanceOf(SQLTransientException.class);
      assertThat(e.node()).isEqualTo("eu-primary");
      assertThat(e.region()).isEqualTo("eu");
      assertThat(e.getMessage()).endsWith("This is a configuration mistake: retrying will not help. Nothing was "
          + "sent to another region.");
      assertThat(e.getMessage()).doesNotContain("retry when");
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected NodeMisconfiguredException, got " + e, e);
    }
  }

  @Test
  void anUnknownUser_isAnAuthenticationMistake_namingTheNodeAndTheFix() {
    NodeMisconfiguredException e = writeFails(withPrimary(c -> c.setUsername("no_such_user")));
    assertThat(e.problem()).isEqualTo(Problem.AUTHENTICATION);
    assertThat(e.getSQLState()).isEqualTo("28000"); // the server's: invalid_authorization_specification
    assertThat(e.getMessage())
        .startsWith("node 'eu-primary' (region 'eu') refused the login (28000: FATAL: role \"no_such_user\" does "
            + "not exist)")
        .contains("Fix the username or password configured for node 'eu-primary' (or the server's pg_hba.conf)");
    assertThat(e.getCause()).hasFieldOrPropertyWithValue("SQLState", "28000");
  }

  @Test
  void anUnknownDatabase_namesTheUrlWithoutSecrets_andTheFix() {
    String url = topo.jdbcUrl("eu-primary").replace("/postgres", "/no_such_db");
    NodeMisconfiguredException e = writeFails(withPrimary(c -> c.setJdbcUrl(url + "?password=secret")));
    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_DATABASE);
    assertThat(e.getSQLState()).isEqualTo("3D000");
    assertThat(e.getMessage())
        .startsWith("node 'eu-primary' (region 'eu'): the database in its JDBC URL " + url + " does not exist "
            + "(3D000: FATAL: database \"no_such_db\" does not exist)")
        .contains("Fix the database name in node 'eu-primary''s URL, or create it")
        .doesNotContain("secret");
  }

  @Test
  void aUrlNoDriverAccepts_isReportedAsSuch_notAsARegionOutage() {
    String url = topo.jdbcUrl("eu-primary").replace("jdbc:postgresql:", "jdbc:postgres:");
    NodeMisconfiguredException e = writeFails(withPrimary(c -> c.setJdbcUrl(url)));
    assertThat(e.problem()).isEqualTo(Problem.NO_DRIVER);
    assertThat(e.getSQLState()).isEqualTo("08001");
    assertThat(e.getMessage())
        .startsWith("node 'eu-primary' (region 'eu'): no JDBC driver accepts its URL " + url + " (")
        .contains("PostgreSQL URLs look like jdbc:postgresql://host:5432/database; fix node 'eu-primary''s URL, "
            + "or put the driver on the class path");
  }

  @Test
  void anUnresolvableHost_keepsTheUnknownHostExceptionAsCause_andNamesTheHost() {
    String url = "jdbc:postgresql://no-such-host.invalid:5432/postgres";
    NodeMisconfiguredException e = writeFails(withPrimary(c -> c.setJdbcUrl(url)));
    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_HOST);
    assertThat(e.getSQLState()).isEqualTo("08001");
    assertThat(e.getMessage())
        .startsWith("node 'eu-primary' (region 'eu'): the host of its JDBC URL " + url + " does not resolve "
            + "(UnknownHostException: no-such-host.invalid")
        .contains("Fix the host name in node 'eu-primary''s URL, or the DNS");
    assertThat((Throwable) e).hasRootCauseInstanceOf(UnknownHostException.class);
  }

  @Test
  void withoutTheMonitor_aBorrowThatFailsOnConfiguration_isReportedAsSuch() {
    HikariConfig primary = pool(topo, "eu-primary");
    primary.setConnectionTimeout(30_000);
    primary.setUsername("no_such_user");
    ds = RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary("eu-primary", "eu", "fra", primary)
        .monitorEnabled(false)
        .build();
    NodeMisconfiguredException e = writeFails(ds);
    assertThat(e.problem()).isEqualTo(Problem.AUTHENTICATION);
    assertThat(e.getMessage()).startsWith("node 'eu-primary' (region 'eu') refused the login (28000: FATAL: role "
        + "\"no_such_user\" does not exist)");
  }

  @Test
  void aMisconfiguredReplica_costsReadersNothing_andIsShownInTheStatus() throws Exception {
    HikariConfig replica = pool(topo, "eu-replica");
    replica.setUsername("no_such_user");
    ds = RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool(topo, "eu-primary"))
        .replica("eu-replica", "eu", "fra", replica)
        .build();
    try (RegionContext.Scope s = RegionContext.open("eu", "reader"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThat(servedBy(c, Fixtures.nodesByPort(topo))).isEqualTo("eu-primary");
    }
    assertThat(ds.status().node("eu-replica").orElseThrow().excludedReason())
        .startsWith("down: authentication failed (28000): FATAL: role \"no_such_user\" does not exist");
  }

  @Test
  void aRegionWhosePrimaryIsMerelyDown_isStillTransient() throws Exception {
    try (PostgresTopology lone = PostgresTopology.builder().primary("eu-primary", "eu", "fra").start()) {
      ds = RegionRoutingDataSource.builder()
          .localLocation("fra")
          .primary("eu-primary", "eu", "fra", pool(lone, "eu-primary"))
          .monitorInterval(Duration.ofMillis(100))
          .build();
      lone.stop("eu-primary", io.github.regionrouter.testing.StopMode.IMMEDIATE);
      Fixtures.await("eu has no write target", Duration.ofSeconds(10),
          () -> !ds.status().writeTargets().containsKey("eu"));
      try (RegionContext.Scope s = RegionContext.open("eu", "writer"); Connection c = ds.getConnection()) {
        assertThatThrownBy(() -> exec(c, "SELECT 1"))
            .isInstanceOf(RegionUnavailableException.class)
            .hasMessageEndingWith("retry when the region has exactly one primary again");
      }
    }
  }
}
