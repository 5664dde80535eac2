package io.github.regionrouter.migration;

import java.time.Duration;

/**
 * Where a run stands after a batch.
 *
 * @param batchesDone     batches finished in this run (resumed ones included)
 * @param batchesPlanned  batches this run set out to do
 * @param subjectsDone    subjects moved (or verified, in a dry run) in this run
 * @param subjectsPlanned subjects selected by the subjects query at the start of this run
 * @param rows            rows moved (or verified) in this run
 * @param elapsed         since the run started
 * @param rowsPerSecond   rows / elapsed
 * @param eta             the remaining subjects at the rate so far
 */
public record MigrationProgress(int batchesDone, int batchesPlanned, long subjectsDone, long subjectsPlanned,
    long rows, Duration elapsed, double rowsPerSecond, Duration eta) {

  @Override
  public String toString() {
    return String.format("batch %d/%d, subjects %d/%d, rows %d, %.0f rows/s, elapsed %ds, eta %ds", batchesDone,
        batchesPlanned, subjectsDone, subjectsPlanned, rows, rowsPerSecond, elapsed.toSeconds(), eta.toSeconds());
  }
}
