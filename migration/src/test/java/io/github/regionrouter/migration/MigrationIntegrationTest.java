package io.github.regionrouter.migration;

import static io.github.regionrouter.migration.Shop.EU;
import static io.github.regionrouter.migration.Shop.EU_USERS;
import static io.github.regionrouter.migration.Shop.US;
import static io.github.regionrouter.migration.Shop.count;
import static io.github.regionrouter.migration.Shop.digestOf;
import static io.github.regionrouter.migration.Shop.exec;
import static io.github.regionrouter.migration.Shop.rowsOf;
import static io.github.regionrouter.migration.Shop.subject;
import static io.github.regionrouter.migration.Shop.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.SubjectFencedException;
import io.github.regionrouter.migration.MigrationListener.Phase;
import io.github.regionrouter.testing.PostgresTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Region migration on a real two-region topology (us-primary in iad, eu-primary in fra), with the routing
 * data source fenced by the region directory, as an application instance would use it.
 */
class MigrationIntegrationTest {

  private static final Duration STALENESS = Duration.ofMillis(100);

  private static PostgresTopology topo;
  private static HikariDataSource us;
  private static HikariDataSource eu;
  private static int euPort;

  /** The application's own directory instance (another process in real life): it only reads. */
  private HikariDataSource appDirectoryPool;
  private PostgresRegionDirectory appDirectory;
  private RegionRoutingDataSource router;

  @BeforeAll
  static void start() {
    topo = PostgresTopology.builder()
        .primary(US, "us", "iad")
        .primary(EU, "eu", "fra")
        .start();
    us = Shop.pool(topo, US, 4);
    eu = Shop.pool(topo, EU, 4);
    euPort = topo.node(EU).port();
  }

  @AfterAll
  static void stop() {
    us.close();
    eu.close();
    topo.close();
  }

  @BeforeEach
  void setUp() throws SQLException {
    Shop.reset(topo);
    appDirectoryPool = Shop.pool(topo, US, 2);
    appDirectory = PostgresRegionDirectory.builder(appDirectoryPool).maxStaleness(STALENESS).build();
    appDirectory.createSchema(); // as the application does at start-up
    router = RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary(US, "us", "iad", Shop.config(topo, US))
        .primary(EU, "eu", "fra", Shop.config(topo, EU))
        .residency("eu", "fra")
        .subjectFence(appDirectory)
        .build();
  }

  @AfterEach
  void tearDown() {
    router.close();
    appDirectoryPool.close();
  }

  private Migration.Builder migration() {
    return Migration.builder()
        .plan(Shop.plan())
        .from("us", us)
        .to("eu", eu)
        .directory(PostgresRegionDirectory.builder(us).maxStaleness(STALENESS).build())
        .subjectsQuery(EU_USERS);
  }

  @Test
  void movesEveryRowExactlyOnce_whileTheAppKeepsWriting_andRoutesMovedUsersToTheTarget() throws Exception {
    Shop.seed(topo, 400); // 200 EU users to move, 8 rows each
    String digestBefore;
    try (Connection c = us.getConnection()) {
      digestBefore = digestOf(c, "$u % 2 = 1", false); // the app renames users: compare the other tables
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<MigrationProgress> progress = new ArrayList<>();
    AppWriter app = new AppWriter();
    Thread writer = new Thread(app, "app-writer");
    writer.start();
    MigrationResult result;
    try {
      Shop.await("the app has written before the migration starts", Duration.ofSeconds(10),
          () -> app.ackedOrders.size() >= 20);
      result = migration().batchSize(40).meterRegistry(registry)
          .listener(new MigrationListener() {
            @Override
            public void progress(MigrationProgress p) {
              progress.add(p);
            }
          })
          .build().run();
      long ackedAtEnd = app.ackedOrders.size();
      Shop.await("the app has written after the migration", Duration.ofSeconds(10),
          () -> app.ackedOrders.size() >= ackedAtEnd + 20);
    } finally {
      app.stop.set(true);
      writer.join(10_000);
    }
    if (app.failure != null) {
      throw new AssertionError("the app thread failed", app.failure);
    }
    assertThat(result.batches()).isEqualTo(5);
    assertThat(result.subjects()).isEqualTo(200);
    assertThat(progress).hasSize(5);
    assertThat(progress.get(4).subjectsDone()).isEqualTo(200);
    assertThat(progress.get(4).eta()).isZero();

    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      // 0 rows of a moved subject left in (or written to) the source, in any table.
      assertThat(rowsOf(u, "$u % 2 = 1")).as("rows of moved users left in us").isZero();
      // Seeded rows arrived with the same content; the staying users were not touched.
      assertThat(digestOf(e, "$u % 2 = 1", false)).isEqualTo(digestBefore);
      assertThat(rowsOf(u, "$u % 2 = 0")).isEqualTo(200 * 8);
      assertThat(rowsOf(e, "$u % 2 = 0")).isZero();
      // Every acknowledged write exists exactly once, and (every moved user ending in eu) in eu: 0 lost,
      // 0 duplicated. Nothing else exists: no unacknowledged write landed either.
      String orders = ids(app.ackedOrders.keySet());
      String events = ids(app.ackedEvents.keySet());
      assertThat(count(e, "SELECT count(*) FROM orders WHERE id IN (" + orders + ")"))
          .isEqualTo(app.ackedOrders.size());
      assertThat(count(e, "SELECT count(*) FROM events WHERE id IN (" + events + ")"))
          .isEqualTo(app.ackedEvents.size());
      assertThat(count(u, "SELECT count(*) FROM orders WHERE id >= " + Shop.APP_IDS)
          + count(u, "SELECT count(*) FROM events WHERE id >= " + Shop.APP_IDS)).isZero();
      assertThat(rowsOf(e, "$u % 2 = 1"))
          .isEqualTo(200 * 8 + app.ackedOrders.size() + app.ackedEvents.size());
      // Every acknowledged update survived: each user's name is the last one the app saw committed.
      assertThat(app.updatesMissed.get()).as("updates that found no row").isZero();
      for (Map.Entry<Long, String> last : app.lastName.entrySet()) {
        assertThat(text(e, "SELECT name FROM users WHERE id = " + last.getKey())).isEqualTo(last.getValue());
      }
    }
    System.out.printf("app writes during the migration: %d transactions acknowledged, %d refused by the fence "
        + "(SubjectFencedException), %d other errors %s%n", app.ackedOrders.size(), app.fenced.get(),
        app.otherErrors.get(), app.otherStates);

    // Each moved user's next write and read are served by the target region.
    for (long id = 1; id <= 39; id += 2) {
      String subject = subject(id);
      Shop.await("the app's directory routes " + subject + " to eu", Duration.ofSeconds(5),
          () -> appDirectory.regionOf(subject).orElse("us").equals("eu"));
      try (RegionContext.Scope s = RegionContext.open(appDirectory.regionOf(subject).orElseThrow(), subject)) {
        try (Connection c = router.getConnection()) {
          exec(c, "UPDATE users SET name = 'moved' WHERE id = " + id);
          assertThat(Integer.parseInt(text(c, "SELECT current_setting('port')"))).isEqualTo(euPort);
        }
        try (Connection c = router.getConnection()) {
          c.setReadOnly(true);
          assertThat(text(c, "SELECT name FROM users WHERE id = " + id)).isEqualTo("moved");
          assertThat(Integer.parseInt(text(c, "SELECT current_setting('port')"))).isEqualTo(euPort);
        }
      }
    }
    // A token issued before the move still names us: the write is refused, nothing lands in us.
    try (RegionContext.Scope s = RegionContext.open("us", subject(1)); Connection c = router.getConnection()) {
      assertThatThrownBy(() -> exec(c, "INSERT INTO events VALUES (99999999, 1, null)"))
          .isInstanceOf(SubjectFencedException.class)
          .hasMessage("subject '" + subject(1) + "' lives in region 'eu' (region directory), not 'us'; the write "
              + "was not run. Retry: a new request is routed to 'eu'");
    }
    assertThat(registry.get(MigrationMeters.BATCHES).tag("outcome", "done").counter().count()).isEqualTo(5);
    assertThat(registry.get(MigrationMeters.SUBJECTS).counter().count()).isEqualTo(200);
    assertThat(registry.get(MigrationMeters.REMAINING).gauge().value()).isZero();
  }

  @Test
  void corruptedRowOnTheTarget_isDetected_batchRolledBack_andRunPaused() throws Exception {
    Shop.seed(topo, 200); // 100 EU users, batches of 25: user 61 is in batch 2
    try (Connection e = eu.getConnection()) {
      // A real fault on the target server: the row written there differs from the row read on the source.
      exec(e, "CREATE FUNCTION corrupt_amount() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          + "IF NEW.id = 611 THEN NEW.amount := NEW.amount + 0.01; END IF; RETURN NEW; END $$");
      exec(e, "CREATE TRIGGER corrupt BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION corrupt_amount()");
    }
    String sourceMd5;
    try (Connection u = us.getConnection()) {
      exec(u, "SET TimeZone = 'UTC'");
      sourceMd5 = text(u, "SELECT md5(ROW(amount, id, note, placed_at, user_id)::text) FROM orders WHERE id = 611");
      exec(u, "RESET TimeZone");
    }
    List<PauseReport> heard = new ArrayList<>();
    Migration first = migration().batchSize(25).listener(new MigrationListener() {
      @Override
      public void paused(PauseReport report) {
        heard.add(report);
      }
    }).build();

    assertThatThrownBy(first::run)
        .isInstanceOf(MigrationPausedException.class)
        .hasMessageStartingWith("migration 'us-to-eu' paused at batch 2: row checksums differ between source and "
            + "target [subject '" + subject(61) + "', table orders, key 611, source md5 " + sourceMd5
            + ", target md5 ")
        .hasMessageEndingWith("]. The batch was rolled back on the target, its fence lifted, nothing deleted from "
            + "the source. Fix the cause and run again: finished batches are skipped")
        .satisfies(t -> {
          PauseReport r = ((MigrationPausedException) t).report();
          assertThat(r).isEqualTo(heard.get(0));
          assertThat(r.targetChecksum()).isNotNull().isNotEqualTo(r.sourceChecksum());
          assertThat(r.rolledBack()).isTrue();
        });

    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(e, "$u % 2 = 1")).as("batch 1 only on eu").isEqualTo(25 * 8);
      assertThat(rowsOf(e, "$u BETWEEN 51 AND 99")).as("batch 2 rolled back on eu").isZero();
      assertThat(rowsOf(u, "$u % 2 = 1")).as("batches 2-4 still on us").isEqualTo(75 * 8);
    }
    // The fence is lifted: user 61 still lives in us and writes there.
    Shop.await("the app sees user 61 unfenced", Duration.ofSeconds(5), () -> {
      try (RegionContext.Scope s = RegionContext.open("us", subject(61)); Connection c = router.getConnection()) {
        exec(c, "INSERT INTO events VALUES (" + Shop.APP_IDS + ", 61, null)");
        return true;
      } catch (SQLException e) {
        return false;
      }
    });

    try (Connection e = eu.getConnection()) {
      exec(e, "DROP TRIGGER corrupt ON orders");
    }
    MigrationResult second = migration().batchSize(25).build().run();
    assertThat(second.subjects()).isEqualTo(75);
    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(u, "$u % 2 = 1")).isZero();
      assertThat(rowsOf(e, "$u % 2 = 1")).isEqualTo(100 * 8 + 1);
    }
  }

  @Test
  void runKilledBetweenCopyAndDelete_resumesToACorrectEndState() throws Exception {
    Shop.seed(topo, 200);
    String digestBefore;
    try (Connection u = us.getConnection()) {
      digestBefore = digestOf(u, "$u % 2 = 1");
    }
    // A real process death: a child JVM halts right after batch 2's target commit.
    Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), KillAfterTargetCommit.class.getName(), topo.jdbcUrl(US),
        topo.jdbcUrl(EU), topo.user())
        .redirectErrorStream(true)
        .redirectOutput(java.nio.file.Path.of("target", "kill-after-target-commit.log").toFile())
        .start();
    assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("child finished").isTrue();
    assertThat(child.exitValue()).as("child was killed").isEqualTo(KillAfterTargetCommit.KILLED);

    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(e, "$u BETWEEN 51 AND 99")).as("batch 2 committed on eu").isEqualTo(25 * 8);
      // the source transaction died with its connection: nothing was deleted
      Shop.await("the killed backend's transaction is gone", Duration.ofSeconds(10), () -> {
        try {
          return rowsOf(u, "$u BETWEEN 51 AND 99 AND $u % 2 = 1") == 25 * 8;
        } catch (SQLException ex) {
          return false;
        }
      });
      assertThat(text(e, "SELECT state FROM " + Journal.TABLE + " WHERE batch = 2")).isEqualTo("copied");
    }
    // In doubt, the batch's subjects stay fenced: no write lands in either copy.
    try (RegionContext.Scope s = RegionContext.open("us", subject(51)); Connection c = router.getConnection()) {
      assertThatThrownBy(() -> exec(c, "INSERT INTO events VALUES (" + Shop.APP_IDS + ", 51, null)"))
          .isInstanceOf(SubjectFencedException.class)
          .hasMessage("subject '" + subject(51) + "' is being moved from region 'us' to 'eu' by a migration; the "
              + "write to region 'us' was not run. Retry shortly: one batch takes seconds, then the subject is "
              + "served by 'eu'")
          .extracting(t -> ((SQLException) t).getSQLState()).isEqualTo("55P03");
    }

    MigrationResult resumed = migration().batchSize(25).build().run();
    assertThat(resumed.resumed()).isEqualTo(1);
    assertThat(resumed.subjects()).isEqualTo(75); // batch 2 (resumed), then batches 3 and 4
    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(u, "$u % 2 = 1")).isZero();
      assertThat(rowsOf(e, "$u % 2 = 1")).isEqualTo(100 * 8);
      assertThat(digestOf(e, "$u % 2 = 1")).isEqualTo(digestBefore);
      assertThat(count(e, "SELECT count(*) FROM " + Journal.TABLE + " WHERE state <> 'done'")).isZero();
    }
    Shop.await("the app routes user 51 to eu", Duration.ofSeconds(5),
        () -> appDirectory.regionOf(subject(51)).orElse("").equals("eu"));
  }

  @Test
  void failureAfterTheTargetCommit_leavesTheBatchFencedInDoubt_andTheNextRunFinishesIt() throws Exception {
    Shop.seed(topo, 100);
    Migration failing = migration().batchSize(25).listener(new MigrationListener() {
      @Override
      public void phase(int batch, Phase phase) {
        if (batch == 1 && phase == Phase.DIRECTORY_FLIPPED) {
          throw new Killed();
        }
      }
    }).build();
    assertThatThrownBy(failing::run).isInstanceOf(Killed.class)
        .hasMessage("killed between the target commit and the source delete");
    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(e, "$u % 2 = 1")).isEqualTo(25 * 8);
      assertThat(rowsOf(u, "$u % 2 = 1")).as("the source delete was rolled back").isEqualTo(50 * 8);
      assertThat(text(e, "SELECT state FROM " + Journal.TABLE + " WHERE batch = 1")).isEqualTo("copied");
    }
    MigrationResult resumed = migration().batchSize(25).build().run();
    assertThat(resumed.resumed()).isEqualTo(1);
    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(u, "$u % 2 = 1")).isZero();
      assertThat(rowsOf(e, "$u % 2 = 1")).isEqualTo(50 * 8);
    }
  }

  @Test
  void schemaMismatch_isRefusedBeforeAnyRowMoves() throws Exception {
    Shop.seed(topo, 20);
    try (Connection e = eu.getConnection()) {
      exec(e, "ALTER TABLE order_items ADD COLUMN discount numeric");
      exec(e, "ALTER TABLE events ALTER COLUMN payload TYPE text");
      exec(e, "ALTER TABLE users ALTER COLUMN name DROP NOT NULL");
    }
    assertThatThrownBy(() -> migration().build().run())
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage("schemas of the planned tables differ between us (source) and eu (target); no row was moved. "
            + "Make them match and run again:\n"
            + "  - table users column 'name' is NOT NULL on us but nullable on eu\n"
            + "  - table order_items column 'discount' numeric exists on eu but not on us\n"
            + "  - table events column 'payload' is jsonb on us but text on eu");
    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(e, "true")).isZero();
      assertThat(rowsOf(u, "true")).isEqualTo(20 * 8);
      assertThat(text(u, "SELECT count(*) FROM region_router.subject_region")).isEqualTo("0");
      assertThat(text(e, "SELECT to_regclass('" + Journal.TABLE + "')")).isNull();
    }
  }

  @Test
  void dryRun_copiesAndVerifiesEveryBatch_butMovesNothing() throws Exception {
    Shop.seed(topo, 100);
    MigrationResult result = migration().batchSize(20).dryRun(true).build().run();
    assertThat(result.dryRun()).isTrue();
    assertThat(result.batches()).isEqualTo(3);
    assertThat(result.rows()).isEqualTo(50 * 8);
    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(e, "true")).isZero();
      assertThat(rowsOf(u, "true")).isEqualTo(100 * 8);
      assertThat(text(u, "SELECT count(*) FROM region_router.subject_region")).isEqualTo("0");
      assertThat(text(e, "SELECT to_regclass('" + Journal.TABLE + "')")).isNull();
    }
  }

  @Test
  void commandLine_movesTheSubjects_andReportsTheRate() throws Exception {
    Shop.seed(topo, 60);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    String usUrl = topo.jdbcUrl(US) + (topo.jdbcUrl(US).contains("?") ? "&" : "?") + "user=" + topo.user();
    String euUrl = topo.jdbcUrl(EU) + (topo.jdbcUrl(EU).contains("?") ? "&" : "?") + "user=" + topo.user();
    int code = MigrationCli.run(new String[] {"migrate", "--from", "us", "--from-url", usUrl, "--to", "eu",
        "--to-url", euUrl, "--directory-url", usUrl, "--root", "users:id", "--subject-expr", Shop.SUBJECT_EXPR,
        "--child", "orders:user_id", "--child", "order_items:order_id:orders:id", "--child", "events:user_id",
        "--subjects-query", EU_USERS, "--batch-size", "10", "--staleness", "100ms"},
        new java.io.PrintStream(out, true, "UTF-8"), new java.io.PrintStream(err, true, "UTF-8"));
    assertThat(err.toString("UTF-8")).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString("UTF-8")).contains("batch 3/3, subjects 30/30, rows 240")
        .containsPattern("done: 3 batches \\(0 resumed\\), 30 subjects, 240 rows in [0-9.]+ s \\([0-9]+ rows/s\\)")
        .doesNotContain(topo.jdbcUrl(US));
    try (Connection u = us.getConnection(); Connection e = eu.getConnection()) {
      assertThat(rowsOf(u, "$u % 2 = 1")).isZero();
      assertThat(rowsOf(e, "$u % 2 = 1")).isEqualTo(30 * 8);
    }
  }

  /** Stands for the process dying at a chosen point. */
  private static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Killed() {
      super("killed between the target commit and the source delete");
    }
  }

  private static String ids(java.util.Set<Long> ids) {
    return ids.isEmpty() ? "-1" : String.join(",", ids.stream().map(String::valueOf).toList());
  }

  /**
   * The application: one thread writing an order and an event for random moving users, each in a transaction
   * routed by the app's own directory instance, as the JWT filter would route it. Bounded in count and time.
   */
  private final class AppWriter implements Runnable {

    final Map<Long, Long> ackedOrders = new ConcurrentHashMap<>();
    final Map<Long, Long> ackedEvents = new ConcurrentHashMap<>();
    final Map<Long, String> lastName = new ConcurrentHashMap<>();
    final AtomicLong updatesMissed = new AtomicLong();
    final AtomicLong fenced = new AtomicLong();
    final AtomicLong otherErrors = new AtomicLong();
    final Map<String, Integer> otherStates = new ConcurrentHashMap<>();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile Throwable failure;
    private long nextId = Shop.APP_IDS;

    @Override
    public void run() {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      for (int i = 0; i < 200_000 && !stop.get() && System.nanoTime() < deadline; i++) {
        long user = 2L * ThreadLocalRandom.current().nextInt(200) + 1;
        String subject = subject(user);
        long orderId = nextId++;
        long eventId = nextId++;
        try (RegionContext.Scope s = RegionContext.open(appDirectory.regionOf(subject).orElse("us"), subject);
             Connection c = router.getConnection()) {
          c.setAutoCommit(false);
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, user_id, amount, note) "
              + "VALUES (?, ?, 1.50, 'app')")) {
            ps.setLong(1, orderId);
            ps.setLong(2, user);
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, user_id, payload) "
              + "VALUES (?, ?, '{\"app\": true}')")) {
            ps.setLong(1, eventId);
            ps.setLong(2, user);
            ps.executeUpdate();
          }
          int updated;
          try (PreparedStatement ps = c.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
            ps.setString(1, "w" + orderId);
            ps.setLong(2, user);
            updated = ps.executeUpdate();
          }
          c.commit();
          ackedOrders.put(orderId, user);
          ackedEvents.put(eventId, user);
          if (updated == 1) {
            lastName.put(user, "w" + orderId);
          } else {
            updatesMissed.incrementAndGet();
          }
        } catch (SubjectFencedException e) {
          fenced.incrementAndGet();
        } catch (SQLException e) {
          otherErrors.incrementAndGet();
          otherStates.merge(e.getSQLState() + " " + e.getMessage().lines().findFirst().orElse(""), 1,
              Integer::sum);
        } catch (Throwable t) {
          failure = t;
          return;
        }
      }
    }
  }
}
