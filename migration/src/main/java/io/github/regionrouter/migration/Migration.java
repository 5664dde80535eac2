package io.github.regionrouter.migration;

import io.github.regionrouter.migration.MigrationListener.Phase;
import io.github.regionrouter.migration.MigrationPlan.TableSpec;
import io.github.regionrouter.migration.SchemaCheck.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves subjects' rows from one region's primary to another's, batch by batch, and routes them there.
 *
 * <p>Per batch: fence the subjects in the directory and wait {@link Builder#fenceSettle(Duration)} so every
 * app instance sees it; lock the batch's rows on the source; COPY them into a target transaction; compare
 * the md5 of every row's canonical text as each server computes it; delete them in the source transaction;
 * commit the target (rows and journal together); flip the directory; commit the source. A mismatch or any
 * failure before the target commit rolls both back, lifts the fence and pauses the run with a
 * {@link PauseReport}. A crash after the target commit leaves the batch {@code copied} in the journal and its
 * subjects fenced; the next run finishes it (verify again, delete, flip) before anything else.
 *
 * <pre>{@code
 * MigrationResult result = Migration.builder()
 *     .plan(plan)
 *     .from("us", usPrimary).to("eu", euPrimary)
 *     .directory(directory)
 *     .subjectsQuery("SELECT id FROM users WHERE country IN ('DE', 'FR')")
 *     .batchSize(500)
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Runs on the calling thread; one run of a given migration name at a time. Not thread-safe.
 */
public final class Migration {

  private static final Logger LOG = LoggerFactory.getLogger(Migration.class);
  private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57014");

  private final Builder config;
  private final MigrationListener listener;

  private Migration(Builder config) {
    this.config = config;
    List<MigrationListener> listeners = new ArrayList<>();
    if (config.listener != null) {
      listeners.add(config.listener);
    }
    if (config.meterRegistry != null) {
      listeners.add(MigrationMeters.bind(config.meterRegistry, config.name()));
    }
    this.listener = new Listeners(listeners);
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs (or resumes) the migration to its end.
   *
   * @return what this run did
   * @throws SchemaMismatchException   when the planned tables differ between the regions; nothing moved
   * @throws MigrationPausedException  on a checksum mismatch or a failure; see its report
   * @throws MigrationException        when a database cannot be reached or queried outside a batch
   */
  public MigrationResult run() {
    long started = System.nanoTime();
    String name = config.name();
    try (Connection src = config.source.getConnection();
         Connection dst = config.target.getConnection();
         Connection dir = config.dryRun ? null : config.directory.connection()) {
      src.setAutoCommit(true);
      dst.setAutoCommit(true);
      Map<TableSpec, TableInfo> infos = SchemaCheck.verify(config.plan, src, config.from, dst, config.to);
      List<TableSql> sqls = new ArrayList<>();
      infos.forEach((t, info) -> sqls.add(TableSql.of(t, info, config.plan.root().column())));
      String keyType = infos.get(config.plan.root()).typeOf(config.plan.root().column());
      BatchMover mover = new BatchMover(sqls, keyType, config.lockTimeout);
      Journal journal = new Journal(name);
      Run run = new Run(name, src, dst, dir, mover, journal, started);
      if (!config.dryRun) {
        Journal.create(dst);
        config.directory.createSchema();
        run.resume();
      }
      List<String> keys = selectSubjects(src);
      run.plan(keys.size(), (keys.size() + config.batchSize - 1) / config.batchSize);
      LOG.info("migration '{}' {}: {} subjects from {} to {} in batches of {}", name,
          config.dryRun ? "dry run" : "starts", keys.size(), config.from, config.to, config.batchSize);
      for (int i = 0; i < keys.size(); i += config.batchSize) {
        run.batch(keys.subList(i, Math.min(keys.size(), i + config.batchSize)));
      }
      MigrationResult result = new MigrationResult(name, config.dryRun, run.batchesDone, run.resumed,
          run.subjectsDone, run.rows, Duration.ofNanos(System.nanoTime() - started));
      LOG.info("migration '{}' {}: {} batches ({} resumed), {} subjects, {} rows in {} ms ({} rows/s)", name,
          config.dryRun ? "dry run verified" : "finished", result.batches(), result.resumed(), result.subjects(),
          result.rows(), result.elapsed().toMillis(), Math.round(result.rowsPerSecond()));
      return result;
    } catch (SQLException e) {
      throw new MigrationException("migration '" + name + "' from " + config.from + " to " + config.to
          + " could not run (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
    }
  }

  private List<String> selectSubjects(Connection src) throws SQLException {
    List<String> keys = new ArrayList<>();
    try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery(config.subjectsQuery)) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new MigrationException("the subjects query failed on " + config.from + " (SQLState " + e.getSQLState()
          + "): " + e.getMessage() + "; it must return the root table's key values in its first column", e);
    }
    return keys;
  }

  /** One run's state and steps. */
  private final class Run {

    final String name;
    final Connection src;
    final Connection dst;
    final Connection dir;
    final BatchMover mover;
    final Journal journal;
    final long started;
    int batchesPlanned;
    long subjectsPlanned;
    int batchesDone;
    int resumed;
    long subjectsDone;
    long rows;
    int nextBatch;

    Run(String name, Connection src, Connection dst, Connection dir, BatchMover mover, Journal journal,
        long started) {
      this.name = name;
      this.src = src;
      this.dst = dst;
      this.dir = dir;
      this.mover = mover;
      this.journal = journal;
      this.started = started;
    }

    void plan(long subjects, int batches) throws SQLException {
      this.subjectsPlanned += subjects;
      this.batchesPlanned += batches;
      this.nextBatch = config.dryRun ? 1 : journal.nextBatch(dst);
    }

    /** Finishes what an interrupted run left: {@code copied} batches completed, {@code fenced} ones undone. */
    void resume() throws SQLException {
      for (Journal.Entry e : journal.unfinished(dst)) {
        if (Journal.FENCED.equals(e.state())) {
          // The run died before the target commit, so PostgreSQL rolled the target back: undo the fence only.
          config.directory.lift(dir, e.subjects(), config.from);
          config.directory.invalidate(Arrays.asList(e.subjects()));
          journal.mark(dst, e.batch(), Journal.ROLLED_BACK, 0, "interrupted before the target commit");
          LOG.info("migration '{}': batch {} was interrupted before its copy committed; fence lifted", name,
              e.batch());
        } else {
          finishCopied(e);
        }
      }
    }

    private void finishCopied(Journal.Entry e) throws SQLException {
      batchesPlanned++;
      subjectsPlanned += e.subjects().length;
      Map<String, String> subjectByKey = new LinkedHashMap<>();
      for (int i = 0; i < e.rootKeys().length; i++) {
        subjectByKey.put(e.rootKeys()[i], e.subjects()[i]);
      }
      long[] copied;
      try {
        mover.begin(src, e.rootKeys(), true);
        mover.begin(dst, e.rootKeys(), false);
        mover.lock(src);
        long[] onSource = mover.count(src);
        copied = mover.count(dst);
        if (Arrays.stream(onSource).sum() > 0) {
          BatchMover.Mismatch m = mover.compare(src, dst);
          if (m != null) {
            throw pause(e.batch(), "a resumed batch's rows differ between source and target", subjectByKey, m,
                null, false);
          }
          mover.delete(src, null);
        }
        dst.rollback(); // the target was only read
        config.directory.flip(dir, e.subjects(), config.to);
        config.directory.invalidate(Arrays.asList(e.subjects()));
        src.commit();
      } catch (SQLException | RuntimeException ex) {
        rollbackQuietly(src);
        rollbackQuietly(dst);
        throw ex;
      } finally {
        autoCommit(src);
        autoCommit(dst);
      }
      journal.mark(dst, e.batch(), Journal.DONE, Arrays.stream(copied).sum(), "resumed");
      resumed++;
      done(e.subjects().length, Arrays.stream(copied).sum());
      LOG.info("migration '{}': resumed batch {} ({} subjects) finished", name, e.batch(), e.subjects().length);
    }

    void batch(List<String> keys) throws SQLException {
      Map<String, String> subjectByKey = subjects(keys);
      if (subjectByKey.isEmpty()) {
        return; // the subjects left the source since the query ran
      }
      int batch = nextBatch++;
      for (int attempt = 1; ; attempt++) {
        try {
          long moved = config.dryRun ? dryRun(subjectByKey) : move(batch, subjectByKey);
          done(subjectByKey.size(), moved);
          return;
        } catch (SQLException e) {
          if (attempt >= config.maxAttempts || e.getSQLState() == null
              || !TRANSIENT_STATES.contains(e.getSQLState())) {
            throw pause(batch, "batch failed on attempt " + attempt + " (SQLState " + e.getSQLState() + "): "
                + e.getMessage(), subjectByKey, null, e, true);
          }
          LOG.info("migration '{}': batch {} attempt {} failed transiently ({}), retrying", name, batch, attempt,
              e.getSQLState());
          if (!config.dryRun) {
            batch = nextBatch++; // the failed attempt stays in the journal as rolled back
          }
        }
      }
    }

    private long move(int batch, Map<String, String> subjectByKey) throws SQLException {
      String[] keys = subjectByKey.keySet().toArray(new String[0]);
      String[] subjects = subjectByKey.values().toArray(new String[0]);
      journal.begin(dst, batch, config.from, config.to, keys, subjects);
      config.directory.fence(dir, subjects, config.from, config.to);
      config.directory.invalidate(subjectByKey.values());
      listener.phase(batch, Phase.FENCED);
      settle();
      boolean targetCommitted = false;
      try {
        mover.begin(src, keys, true);
        mover.begin(dst, keys, false);
        mover.lock(src);
        long[] copied = mover.copy(src, dst);
        listener.phase(batch, Phase.COPIED);
        BatchMover.Mismatch m = mover.compare(src, dst);
        if (m != null) {
          throw pause(batch, "row checksums differ between source and target", subjectByKey, m, null, true);
        }
        listener.phase(batch, Phase.VERIFIED);
        String changed = mover.delete(src, copied);
        if (changed != null) {
          throw new SQLException("rows of the batch changed in the source while it was locked (" + changed
              + "); a column-linked table was written by a statement begun before the fence. Retried", "40001");
        }
        long total = Arrays.stream(copied).sum();
        journal.mark(dst, batch, Journal.COPIED, total, null);
        dst.commit();
        targetCommitted = true;
        listener.phase(batch, Phase.TARGET_COMMITTED);
        config.directory.flip(dir, subjects, config.to);
        config.directory.invalidate(subjectByKey.values());
        listener.phase(batch, Phase.DIRECTORY_FLIPPED);
        src.commit();
        listener.phase(batch, Phase.SOURCE_DELETED);
        autoCommit(src);
        autoCommit(dst);
        journal.mark(dst, batch, Journal.DONE, total, null);
        return total;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(src);
        if (!targetCommitted) {
          rollbackQuietly(dst);
          autoCommit(src);
          autoCommit(dst);
          try {
            config.directory.lift(dir, subjects, config.from);
            config.directory.invalidate(subjectByKey.values());
            journal.mark(dst, batch, Journal.ROLLED_BACK, 0, String.valueOf(e.getMessage()));
          } catch (SQLException cleanup) {
            // The journal still says "fenced": the next run lifts the fence. Keep the first failure visible.
            e.addSuppressed(cleanup);
          }
        }
        // After the target commit the batch is in doubt: it stays "copied" and fenced, for the next run.
        throw e;
      }
    }

    private long dryRun(Map<String, String> subjectByKey) throws SQLException {
      String[] keys = subjectByKey.keySet().toArray(new String[0]);
      try {
        mover.begin(src, keys, true);
        mover.begin(dst, keys, false);
        long[] copied = mover.copy(src, dst);
        BatchMover.Mismatch m = mover.compare(src, dst);
        if (m != null) {
          throw pause(nextBatch - 1, "dry run: row checksums differ between source and target", subjectByKey, m,
              null, true);
        }
        return Arrays.stream(copied).sum();
      } finally {
        rollbackQuietly(dst);
        rollbackQuietly(src);
        autoCommit(src);
        autoCommit(dst);
      }
    }

    private Map<String, String> subjects(List<String> keys) throws SQLException {
      TableSpec root = config.plan.root();
      Map<String, String> byKey = new LinkedHashMap<>();
      try (PreparedStatement ps = src.prepareStatement("SELECT r." + MigrationPlan.quote(root.column()) + "::text, ("
          + root.subjectExpression() + ")::text FROM " + root.quoted() + " r WHERE r."
          + MigrationPlan.quote(root.column()) + " = ANY(?::text[]::" + mover.rootKeyType() + "[])")) {
        ps.setArray(1, src.createArrayOf("text", keys.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(2) == null) {
              throw new MigrationException("subject expression '" + root.subjectExpression() + "' is null for "
                  + root.name() + " key " + rs.getString(1) + " on " + config.from + "; every moved row needs a "
                  + "subject for the directory");
            }
            byKey.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return byKey;
    }

    private void settle() {
      try {
        Thread.sleep(config.fenceSettle().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MigrationException("migration '" + name + "' interrupted while its fence settled", e);
      }
    }

    private void done(long subjects, long movedRows) {
      batchesDone++;
      subjectsDone += subjects;
      rows += movedRows;
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
      long left = Math.max(0, subjectsPlanned - subjectsDone);
      Duration eta = subjectsDone == 0 ? Duration.ZERO
          : Duration.ofMillis((long) (left * seconds * 1000 / subjectsDone));
      listener.progress(new MigrationProgress(batchesDone, Math.max(batchesDone, batchesPlanned), subjectsDone,
          Math.max(subjectsDone, subjectsPlanned), rows, elapsed, rows / seconds, eta));
    }

    private MigrationPausedException pause(int batch, String reason, Map<String, String> subjectByKey,
        BatchMover.Mismatch m, Throwable cause, boolean rolledBack) {
      PauseReport report = m == null
          ? new PauseReport(name, batch, reason, null, null, null, null, null, rolledBack)
          : new PauseReport(name, batch, reason, subjectByKey.getOrDefault(m.rootKey(), "key " + m.rootKey()),
              m.table(), m.key(), m.sourceChecksum(), m.targetChecksum(), rolledBack);
      LOG.warn("{}", report.describe());
      listener.paused(report);
      return new MigrationPausedException(report, cause);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException e) {
      LOG.debug("rollback failed", e);
    }
  }

  private static void autoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.debug("setAutoCommit(true) failed", e);
    }
  }

  /** Fans events out to several listeners. */
  private record Listeners(List<MigrationListener> all) implements MigrationListener {

    @Override
    public void phase(int batch, Phase phase) {
      all.forEach(l -> l.phase(batch, phase));
    }

    @Override
    public void progress(MigrationProgress progress) {
      all.forEach(l -> l.progress(progress));
    }

    @Override
    public void paused(PauseReport report) {
      all.forEach(l -> l.paused(report));
    }
  }

  /**
   * Configures a {@link Migration}. Setters reject a bad value at once ({@link IllegalArgumentException});
   * {@link #build()} names every missing setting. Not thread-safe.
   */
  public static final class Builder {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private MigrationPlan plan;
    private String from;
    private DataSource source;
    private String to;
    private DataSource target;
    private PostgresRegionDirectory directory;
    private String subjectsQuery;
    private String name;
    private int batchSize = 500;
    private boolean dryRun;
    private MigrationListener listener;
    private Object meterRegistry;
    private Duration lockTimeout = Duration.ofSeconds(5);
    private Duration fenceSettle;
    private int maxAttempts = 3;

    private Builder() {
    }

    /** The tables to move. Required. */
    public Builder plan(MigrationPlan plan) {
      this.plan = Objects.requireNonNull(plan, "plan");
      return this;
    }

    /**
     * The source region and its primary (a plain pool of that primary, not the routing data source).
     *
     * @throws IllegalArgumentException if the region is not a valid name
     */
    public Builder from(String region, DataSource primary) {
      this.from = requireName("from", region);
      this.source = Objects.requireNonNull(primary, "source primary");
      return this;
    }

    /**
     * The target region and its primary; the journal lives there.
     *
     * @throws IllegalArgumentException if the region is not a valid name
     */
    public Builder to(String region, DataSource primary) {
      this.to = requireName("to", region);
      this.target = Objects.requireNonNull(primary, "target primary");
      return this;
    }

    /** The region directory the application routes and fences with. Required. */
    public Builder directory(PostgresRegionDirectory directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Run on the source: returns the root table's key values of the subjects to move, in its first column.
     * Subjects already moved are no longer on the source, so running again picks up where a run stopped.
     * Required.
     */
    public Builder subjectsQuery(String sql) {
      Objects.requireNonNull(sql, "subjectsQuery");
      if (sql.isBlank()) {
        throw new IllegalArgumentException("subjectsQuery is blank");
      }
      this.subjectsQuery = sql;
      return this;
    }

    /**
     * The migration's name, its key in the journal. Default {@code <from>-to-<to>}.
     *
     * @throws IllegalArgumentException if not a valid name
     */
    public Builder name(String name) {
      this.name = requireName("name", name);
      return this;
    }

    /**
     * Subjects per batch (default 500, 1 to 10,000): a batch's subjects are fenced for its duration.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder batchSize(int size) {
      if (size < 1 || size > 10_000) {
        throw new IllegalArgumentException("batchSize must be between 1 and 10000, was " + size);
      }
      this.batchSize = size;
      return this;
    }

    /** Copies and verifies every batch, then rolls it back: no fence, no journal, nothing moved. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Hears phases, progress and pauses. Optional. */
    public Builder listener(MigrationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Publishes {@code regionrouter.migration.*} meters (batches, subjects, rows, rate, ETA). Optional;
     * Micrometer need not be on the class path unless this is called.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * How long the source waits for in-flight writes to the batch's rows (default 5 s, at least 100 ms);
     * longer, and the attempt fails and is retried.
     *
     * @throws IllegalArgumentException if less than 100 ms
     */
    public Builder lockTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "lockTimeout");
      if (timeout.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException("lockTimeout cannot be less than 100ms, was " + timeout.toMillis() + "ms");
      }
      this.lockTimeout = timeout;
      return this;
    }

    /**
     * How long to wait after fencing a batch before copying it, so every app instance's directory cache has
     * seen the fence. Default: the directory's {@link PostgresRegionDirectory#maxStaleness()} plus a margin for
     * a look-up in flight (a tenth of it, at least 50 ms) — use the same staleness as the application's
     * directory.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder fenceSettle(Duration settle) {
      Objects.requireNonNull(settle, "fenceSettle");
      if (settle.isNegative()) {
        throw new IllegalArgumentException("fenceSettle cannot be negative, was " + settle);
      }
      this.fenceSettle = settle;
      return this;
    }

    /**
     * Attempts per batch on a transient failure (deadlock, lock timeout, serialization), default 3.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Builds the migration; nothing is touched until {@link Migration#run()}.
     *
     * @throws IllegalStateException naming every missing setting, or when from and to are the same region
     */
    public Migration build() {
      List<String> missing = new ArrayList<>();
      if (plan == null) {
        missing.add("plan");
      }
      if (source == null) {
        missing.add("from(region, primary)");
      }
      if (target == null) {
        missing.add("to(region, primary)");
      }
      if (directory == null) {
        missing.add("directory");
      }
      if (subjectsQuery == null) {
        missing.add("subjectsQuery");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("migration is missing: " + String.join(", ", missing));
      }
      if (from.equals(to)) {
        throw new IllegalStateException("migration from '" + from + "' to itself");
      }
      return new Migration(this);
    }

    String name() {
      return name != null ? name : from + "-to-" + to;
    }

    Duration fenceSettle() {
      if (fenceSettle != null) {
        return fenceSettle;
      }
      // An app instance may have loaded the entry just before the fence committed and cache it for the whole
      // staleness bound after its look-up returned: allow for that look-up's own latency too.
      Duration staleness = directory.maxStaleness();
      return staleness.plus(Duration.ofMillis(Math.max(50, staleness.toMillis() / 10)));
    }

    private static String requireName(String what, String value) {
      Objects.requireNonNull(value, what);
      if (!NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(what + " '" + value + "' is not a valid name (letters, digits, '.', "
            + "'_', '-'; at most 63 characters)");
      }
      return value;
    }
  }
}
