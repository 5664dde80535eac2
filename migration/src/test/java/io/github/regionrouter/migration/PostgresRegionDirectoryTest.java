package io.github.regionrouter.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.SubjectFencedException;
import io.github.regionrouter.testing.PostgresTopology;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The region directory against real PostgreSQL, with an injected clock for its staleness bound. */
class PostgresRegionDirectoryTest {

  private static final String ALICE = "https://idp.test|alice";

  private static PostgresTopology topo;
  private static HikariDataSource pool;

  private final AtomicLong nanos = new AtomicLong();
  private PostgresRegionDirectory directory;

  @BeforeAll
  static void start() {
    topo = PostgresTopology.builder().primary("us-primary", "us", "iad").start();
    pool = Shop.pool(topo, "us-primary", 2);
  }

  @AfterAll
  static void stop() {
    pool.close();
    topo.close();
  }

  @BeforeEach
  void setUp() throws SQLException {
    try (Connection c = pool.getConnection()) {
      Shop.exec(c, "DROP SCHEMA IF EXISTS region_router CASCADE");
    }
    directory = PostgresRegionDirectory.builder(pool).maxStaleness(Duration.ofSeconds(1)).ticker(nanos::get).build();
    directory.createSchema();
    directory.createSchema(); // idempotent
  }

  @Test
  void unknownSubject_keepsTheClaimsRegion_andMayWriteAnywhere() throws SQLException {
    assertThat(directory.regionOf(ALICE)).isEmpty();
    assertThatCode(() -> directory.checkWrite("us", ALICE)).doesNotThrowAnyException();
    assertThatCode(() -> directory.checkWrite("eu", ALICE)).doesNotThrowAnyException();
  }

  @Test
  void fenceAndMove_areSeenWithinTheStalenessBound_notBefore() throws SQLException {
    assertThat(directory.regionOf(ALICE)).isEmpty(); // cached: "no entry"
    try (Connection c = pool.getConnection()) {
      directory.fence(c, new String[] {ALICE}, "us", "eu");
    }
    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(directory.regionOf(ALICE)).as("still within the staleness bound").isEmpty();
    nanos.addAndGet(Duration.ofMillis(2).toNanos());
    assertThat(directory.regionOf(ALICE)).contains("us");
    assertThatThrownBy(() -> directory.checkWrite("us", ALICE))
        .isInstanceOf(SubjectFencedException.class)
        .hasMessage("subject '" + ALICE + "' is being moved from region 'us' to 'eu' by a migration; the write to "
            + "region 'us' was not run. Retry shortly: one batch takes seconds, then the subject is served by 'eu'")
        .satisfies(t -> {
          SubjectFencedException e = (SubjectFencedException) t;
          assertThat(e.subject()).isEqualTo(ALICE);
          assertThat(e.region()).isEqualTo("us");
          assertThat(e.movingTo()).isEqualTo("eu");
          assertThat(e.getSQLState()).isEqualTo("55P03");
        });
    assertThatThrownBy(() -> directory.checkWrite("eu", ALICE)).isInstanceOf(SubjectFencedException.class);

    try (Connection c = pool.getConnection()) {
      directory.flip(c, new String[] {ALICE}, "eu");
    }
    directory.invalidate(List.of(ALICE));
    assertThat(directory.regionOf(ALICE)).contains("eu");
    assertThatCode(() -> directory.checkWrite("eu", ALICE)).doesNotThrowAnyException();
    assertThatThrownBy(() -> directory.checkWrite("us", ALICE))
        .isInstanceOf(SubjectFencedException.class)
        .hasMessage("subject '" + ALICE + "' lives in region 'eu' (region directory), not 'us'; the write was not "
            + "run. Retry: a new request is routed to 'eu'");
  }

  @Test
  void liftedFence_leavesTheSubjectWritableInItsOldRegion() throws SQLException {
    try (Connection c = pool.getConnection()) {
      directory.fence(c, new String[] {ALICE}, "us", "eu");
      directory.lift(c, new String[] {ALICE}, "us");
    }
    assertThat(directory.regionOf(ALICE)).contains("us");
    assertThatCode(() -> directory.checkWrite("us", ALICE)).doesNotThrowAnyException();
  }

  @Test
  void assign_recordsARegionOutsideAMigration() throws SQLException {
    directory.assign(ALICE, "eu");
    assertThat(directory.regionOf(ALICE)).contains("eu");
  }

  @Test
  void unreachableDirectory_failsClosed_namingTheTableAndTheState() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // nothing listens once it is closed
    }
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setURL("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
    nowhere.setConnectTimeout(1);
    PostgresRegionDirectory down = PostgresRegionDirectory.builder(nowhere).build();
    assertThatThrownBy(() -> down.regionOf(ALICE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("region directory region_router.subject_region could not be read (SQLState 08001)")
        .hasMessageEndingWith("; the request was not routed. Check the directory database, or run createSchema() "
            + "once");
    assertThatThrownBy(() -> down.checkWrite("us", ALICE))
        .isInstanceOf(SQLTransientConnectionException.class)
        .hasMessageStartingWith("region directory region_router.subject_region could not be read");
  }

  @Test
  void builder_rejectsAStalenessBelowTenMilliseconds() {
    assertThatThrownBy(() -> PostgresRegionDirectory.builder(pool).maxStaleness(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxStaleness cannot be less than 10ms, was 5ms");
  }
}
