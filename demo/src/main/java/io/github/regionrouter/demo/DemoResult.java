package io.github.regionrouter.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one run measured and whether the promises held.
 *
 * @param recorder          every request, per phase, group and kind
 * @param timeline          the drill's events
 * @param rowsByPrimary     per primary (name), per data region of the rows, how many rows it holds
 * @param misplacedRows     rows held by a primary of another region than theirs (must be 0)
 * @param lostWrites        acknowledged writes of the region-router phases missing from their region's primary
 * @param readRetries       retries of reads after a connection-class failure (all instances)
 * @param splitBrainRefusal the router's message when it refused a write during the split brain, or null
 * @param singleRegionRows  rows the single-region phase wrote, per data region (all in iad: the problem)
 * @param report            the Markdown report's path
 * @param chart             the SVG chart's path
 */
record DemoResult(Recorder recorder, List<Drill.Event> timeline, Map<String, Map<String, Long>> rowsByPrimary,
    long misplacedRows, long lostWrites, long readRetries, String splitBrainRefusal,
    Map<String, Long> singleRegionRows, Path report, Path chart) {

  /** Reads that failed unexpectedly, in every phase; refusals by the router's fail-closed rules are counted apart. */
  long readerErrors() {
    return recorder.count(null, null, Recorder.Kind.READ, Recorder.Outcome.ERROR);
  }

  /** Reads of one's own write that did not see it, in every phase. */
  long staleReads() {
    return recorder.count(null, null, Recorder.Kind.READ, Recorder.Outcome.STALE);
  }

  /** Whether every promise held: nothing misplaced or lost, nothing stale, no reader error, split brain refused. */
  boolean promisesKept() {
    return misplacedRows == 0 && lostWrites == 0 && staleReads() == 0 && readerErrors() == 0
        && splitBrainRefusal != null;
  }
}
