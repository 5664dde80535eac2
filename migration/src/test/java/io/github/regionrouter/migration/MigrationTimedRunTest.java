package io.github.regionrouter.migration;

import static io.github.regionrouter.migration.Shop.EU;
import static io.github.regionrouter.migration.Shop.US;
import static io.github.regionrouter.migration.Shop.digestOf;
import static io.github.regionrouter.migration.Shop.rowsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.testing.PostgresTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The seed's figure: 12,000 EU users moved from the US primary to the EU primary (the seed's script took about
 * 20 minutes). 8 rows per user (a user, 2 orders, 4 order items, 1 event), batches of 500, the directory's
 * default 1 s staleness (so each batch waits 1.1 s for its fence to settle). Out of the default test run (about
 * a minute here); run it with
 * {@code ./mvnw -B -ntp -pl migration -am verify -Dtest=MigrationTimedRunTest -Dsurefire.failIfNoSpecifiedTests=false -Dregionrouter.migration.timed=true}.
 * Writes {@code target/migration-timed-run.md}. With {@code -Dregionrouter.migration.timed.latencyMs=40}, the
 * target primary is reached through the harness's latency proxy (40 ms each way), as from Virginia to Frankfurt.
 */
@EnabledIfSystemProperty(named = "regionrouter.migration.timed", matches = "true")
class MigrationTimedRunTest {

  @Test
  void twelveThousandUsers_moveWithVerifiedChecksums() throws Exception {
    long oneWayMs = Long.getLong("regionrouter.migration.timed.latencyMs", 0);
    PostgresTopology.Builder spec = PostgresTopology.builder().primary(US, "us", "iad").primary(EU, "eu", "fra");
    if (oneWayMs > 0) {
      spec.latency("iad", "fra", Duration.ofMillis(oneWayMs)); // the migration runs in iad, next to the source
    }
    try (PostgresTopology topo = spec.start();
         HikariDataSource us = Shop.pool(topo, US, 4);
         HikariDataSource eu = oneWayMs > 0 ? Shop.pool(topo.jdbcUrlFrom("iad", EU), topo.user(), 4)
             : Shop.pool(topo, EU, 4)) {
      Shop.reset(topo);
      Shop.seed(topo, 24_000); // odd ids: 12,000 EU users
      String before;
      try (Connection u = us.getConnection()) {
        before = digestOf(u, "$u % 2 = 1");
      }
      StringBuilder lines = new StringBuilder();
      MigrationResult r = Migration.builder()
          .plan(Shop.plan())
          .from("us", us)
          .to("eu", eu)
          .directory(PostgresRegionDirectory.builder(us).build())
          .subjectsQuery(Shop.EU_USERS)
          .batchSize(500)
          .listener(new MigrationListener() {
            @Override
            public void progress(MigrationProgress p) {
              lines.append("- ").append(p).append('\n');
            }
          })
          .build()
          .run();
      try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
        assertThat(rowsOf(u, "$u % 2 = 1")).isZero();
        assertThat(rowsOf(e, "$u % 2 = 1")).isEqualTo(12_000L * 8);
        assertThat(digestOf(e, "$u % 2 = 1")).isEqualTo(before);
      }
      Duration settle = Duration.ofMillis(1100L * r.batches());
      String report = String.format("# Timed migration run%n%nsource to target: " + (oneWayMs > 0 ? oneWayMs
          + " ms one way through the latency proxy" : "loopback") + "%n%n12,000 users, %d rows, %d batches of 500: %.1f s "
          + "(%.0f rows/s, %.0f users/s); of which %.1f s is the fence settle (1 s staleness + 0.1 s margin) per batch. The seed's script: "
          + "~20 min (10 users/s).%n%n%s", r.rows(), r.batches(), r.elapsed().toMillis() / 1000.0, r.rowsPerSecond(),
          r.subjects() / (r.elapsed().toMillis() / 1000.0), settle.toMillis() / 1000.0, lines);
      System.out.println(report);
      Files.writeString(Path.of("target", "migration-timed-run" + (oneWayMs > 0 ? "-" + oneWayMs + "ms" : "") + ".md"),
          report, StandardCharsets.UTF_8);
    }
  }
}
