package io.github.regionrouter.migration;

import java.time.Duration;

/**
 * What a finished run did.
 *
 * @param migration the migration's name (its journal key)
 * @param dryRun    whether nothing was committed
 * @param batches   batches finished in this run, resumed ones included
 * @param resumed   batches an earlier, interrupted run had left unfinished and this run completed
 * @param subjects  subjects moved (or verified)
 * @param rows      rows moved (or verified)
 * @param elapsed   wall-clock time of the run
 */
public record MigrationResult(String migration, boolean dryRun, int batches, int resumed, long subjects, long rows,
    Duration elapsed) {

  /** Rows per second over the whole run. */
  public double rowsPerSecond() {
    return elapsed.isZero() ? 0 : rows / (elapsed.toNanos() / 1e9);
  }
}
