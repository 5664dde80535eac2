package io.github.regionrouter.migration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes a run's progress to Micrometer; the only class of this module that touches Micrometer, loaded only
 * when a registry is given. Meter names are part of the API: {@value #BATCHES}, {@value #SUBJECTS},
 * {@value #ROWS} (counters), {@value #RATE} (rows per second), {@value #ETA} (seconds) and
 * {@value #REMAINING} (subjects) (gauges), all tagged {@code migration}; batches also {@code outcome}
 * ({@code done}, {@code paused}).
 */
final class MigrationMeters implements MigrationListener {

  static final String BATCHES = "regionrouter.migration.batches";
  static final String SUBJECTS = "regionrouter.migration.subjects";
  static final String ROWS = "regionrouter.migration.rows";
  static final String RATE = "regionrouter.migration.rate";
  static final String ETA = "regionrouter.migration.eta";
  static final String REMAINING = "regionrouter.migration.remaining";

  private final Counter done;
  private final Counter paused;
  private final Counter subjects;
  private final Counter rows;
  private final AtomicLong rate = new AtomicLong();
  private final AtomicLong etaSeconds = new AtomicLong();
  private final AtomicLong remaining = new AtomicLong();
  private long lastSubjects;
  private long lastRows;

  private MigrationMeters(MeterRegistry registry, String migration) {
    this.done = Counter.builder(BATCHES).tag("migration", migration).tag("outcome", "done")
        .description("batches moved and verified").register(registry);
    this.paused = Counter.builder(BATCHES).tag("migration", migration).tag("outcome", "paused")
        .description("batches that paused the run").register(registry);
    this.subjects = Counter.builder(SUBJECTS).tag("migration", migration).register(registry);
    this.rows = Counter.builder(ROWS).tag("migration", migration).register(registry);
    // Strong references: Micrometer holds a gauge's object weakly, and these live in a listener that is garbage
    // once the run returns, so the gauges read NaN after a GC instead of the run's last figures.
    Gauge.builder(RATE, rate, AtomicLong::get).tag("migration", migration).baseUnit("rows/s")
        .strongReference(true).register(registry);
    Gauge.builder(ETA, etaSeconds, AtomicLong::get).tag("migration", migration).baseUnit("seconds")
        .strongReference(true).register(registry);
    Gauge.builder(REMAINING, remaining, AtomicLong::get).tag("migration", migration)
        .strongReference(true).register(registry);
  }

  static MigrationListener bind(Object registry, String migration) {
    return new MigrationMeters((MeterRegistry) registry, migration);
  }

  @Override
  public void progress(MigrationProgress p) {
    done.increment();
    subjects.increment(p.subjectsDone() - lastSubjects);
    rows.increment(p.rows() - lastRows);
    lastSubjects = p.subjectsDone();
    lastRows = p.rows();
    rate.set(Math.round(p.rowsPerSecond()));
    etaSeconds.set(p.eta().toSeconds());
    remaining.set(p.subjectsPlanned() - p.subjectsDone());
  }

  @Override
  public void paused(PauseReport report) {
    paused.increment();
  }
}
