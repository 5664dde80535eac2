package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.count;
import static io.github.regionrouter.Fixtures.exec;
import static io.github.regionrouter.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.testing.PostgresTopology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The subject fence hook (used by region migration) against a real primary. */
class SubjectFenceIntegrationTest {

  private static final Set<String> FENCED = ConcurrentHashMap.newKeySet();

  private static PostgresTopology topo;
  private static RegionRoutingDataSource ds;

  @BeforeAll
  static void start() throws SQLException {
    topo = PostgresTopology.builder().primary("us-primary", "us", "iad").start();
    try (Connection c = topo.connect("us-primary")) {
      exec(c, "CREATE TABLE notes (id bigserial PRIMARY KEY, subject text)");
    }
    ds = RegionRoutingDataSource.builder()
        .primary("us-primary", "us", "iad", pool(topo, "us-primary"))
        .subjectFence((region, subject) -> {
          if (FENCED.contains(subject)) {
            throw new SubjectFencedException(subject, region, "eu", "subject '" + subject + "' is moving");
          }
        })
        .build();
  }

  @AfterAll
  static void stop() {
    ds.close();
    topo.close();
  }

  @BeforeEach
  void clear() throws SQLException {
    FENCED.clear();
    try (Connection c = topo.connect("us-primary")) {
      exec(c, "TRUNCATE notes");
    }
  }

  @Test
  void fencedSubjectsWrite_failsBeforeTheStatementRuns_whileReadsAndOtherSubjectsProceed() throws SQLException {
    FENCED.add("alice");
    try (RegionContext.Scope s = RegionContext.open("us", "alice"); Connection c = ds.getConnection()) {
      assertThatThrownBy(() -> exec(c, "INSERT INTO notes (subject) VALUES ('alice')"))
          .isInstanceOf(SubjectFencedException.class)
          .hasMessage("subject 'alice' is moving");
    }
    try (RegionContext.Scope s = RegionContext.open("us", "alice"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThat(count(c, "SELECT count(*) FROM notes")).isZero();
    }
    try (RegionContext.Scope s = RegionContext.open("us", "bob"); Connection c = ds.getConnection()) {
      exec(c, "INSERT INTO notes (subject) VALUES ('bob')");
    }
    try (RegionContext.Scope s = RegionContext.open("us"); Connection c = ds.getConnection()) {
      exec(c, "INSERT INTO notes (subject) VALUES (null)"); // no subject: nothing to fence
      assertThat(count(c, "SELECT count(*) FROM notes WHERE subject IS DISTINCT FROM 'alice'")).isEqualTo(2);
      assertThat(count(c, "SELECT count(*) FROM notes WHERE subject = 'alice'")).isZero();
    }
  }

  @Test
  void connectionBoundAndStatementPreparedBeforeTheFence_areRefusedAtTheirNextExecution() throws SQLException {
    try (RegionContext.Scope s = RegionContext.open("us", "carol"); Connection c = ds.getConnection();
         PreparedStatement prepared = c.prepareStatement("INSERT INTO notes (subject) VALUES ('carol')")) {
      prepared.executeUpdate();
      FENCED.add("carol");
      assertThatThrownBy(prepared::executeUpdate)
          .isInstanceOf(SubjectFencedException.class)
          .hasMessage("subject 'carol' is moving");
      assertThatThrownBy(() -> exec(c, "INSERT INTO notes (subject) VALUES ('carol')"))
          .isInstanceOf(SubjectFencedException.class)
          .hasMessage("subject 'carol' is moving");
      assertThat(count(c, "SELECT count(*) FROM notes WHERE subject = 'carol'")).as("reads still run").isEqualTo(1);
    }
    try (Connection direct = topo.connect("us-primary")) {
      assertThat(count(direct, "SELECT count(*) FROM notes WHERE subject = 'carol'")).isEqualTo(1);
    }
  }

  @Test
  void subjectFenceSetTwice_isRefused() {
    assertThatThrownBy(() -> RegionRoutingDataSource.builder().subjectFence((r, s) -> { }).subjectFence((r, s) -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("subjectFence was already set to ");
  }
}
