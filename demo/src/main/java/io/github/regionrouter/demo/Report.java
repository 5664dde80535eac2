package io.github.regionrouter.demo;

import io.github.regionrouter.demo.Geography.Group;
import io.github.regionrouter.demo.Recorder.Kind;
import io.github.regionrouter.demo.Recorder.Outcome;
import io.github.regionrouter.demo.Recorder.Phase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run into what people read: tables on the console, {@code REPORT.md} and {@code latency.svg} in the
 * report directory, and the final {@code SUMMARY} line.
 *
 * <p>Not thread-safe; used once, after the run.
 */
final class Report {

  private final DemoOptions options;
  private final Geography geo;
  private final Recorder rec;
  private final List<Drill.Event> timeline;
  private final Map<String, Map<String, Long>> rows;
  private final long misplaced;
  private final long lost;
  private final long retries;
  private final String splitBrainRefusal;
  private final Map<String, Long> singleRows;

  Report(DemoOptions options, Geography geo, Recorder rec, List<Drill.Event> timeline,
      Map<String, Map<String, Long>> rows, long misplaced, long lost, long retries, String splitBrainRefusal,
      Map<String, Long> singleRows) {
    this.options = options;
    this.geo = geo;
    this.rec = rec;
    this.timeline = timeline;
    this.rows = rows;
    this.misplaced = misplaced;
    this.lost = lost;
    this.retries = retries;
    this.splitBrainRefusal = splitBrainRefusal;
    this.singleRows = singleRows;
  }

  DemoResult write(PrintStream out) throws IOException {
    Files.createDirectories(options.reportDir());
    Path md = options.reportDir().resolve("REPORT.md").toAbsolutePath();
    Path svg = options.reportDir().resolve("latency.svg").toAbsolutePath();
    DemoResult result = new DemoResult(rec, timeline, rows, misplaced, lost, retries, splitBrainRefusal, singleRows,
        md, svg);
    String body = body(result);
    out.println();
    out.println(body);
    Files.writeString(svg, new Chart(rec, timeline).svg(), StandardCharsets.UTF_8);
    Files.writeString(md, "# region-router demo report\n\n" + "Run " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + ", scale " + geo.scale() + ", " + options.usersPerGroup() + " users per group, phases of "
        + options.phase().toSeconds() + " s, drill steps of " + options.drillStep().toSeconds() + " s. "
        + Geography.describe() + ".\n\n![latency](latency.svg)\n\n" + body + "\n```\n" + summary(result)
        + "\n```\n", StandardCharsets.UTF_8);
    out.println("[demo] report: " + md + " (chart: " + svg + ")");
    out.println(summary(result));
    return result;
  }

  /** The machine-readable last line. */
  String summary(DemoResult r) {
    StringBuilder s = new StringBuilder("SUMMARY");
    for (Group g : Group.values()) {
      s.append(' ').append(g.key).append("_p95_before_ms=").append(ms(p95(Phase.SINGLE, g, null)));
      s.append(' ').append(g.key).append("_p95_after_ms=").append(ms(p95(Phase.ROUTER, g, null)));
    }
    for (Group g : Group.values()) {
      for (Kind k : Kind.values()) {
        String key = g.key + "_" + k.name().toLowerCase(Locale.ROOT);
        s.append(' ').append(key).append("_p95_before_ms=").append(ms(p95(Phase.SINGLE, g, k)));
        s.append(' ').append(key).append("_p95_after_ms=").append(ms(p95(Phase.ROUTER, g, k)));
      }
    }
    s.append(" reader_errors=").append(r.readerErrors());
    s.append(" misplaced_rows=").append(misplaced);
    s.append(" stale_reads=").append(r.staleReads());
    s.append(" lost_writes=").append(lost);
    s.append(" drill_writes_refused=").append(rec.count(Phase.DRILL, null, Kind.WRITE, Outcome.REFUSED));
    s.append(" drill_reads_refused=").append(rec.count(Phase.DRILL, null, Kind.READ, Outcome.REFUSED));
    s.append(" read_retries=").append(retries);
    s.append(" split_brain_refused=").append(splitBrainRefusal != null);
    s.append(" report=").append(r.report());
    return s.toString();
  }

  private String body(DemoResult r) {
    StringBuilder b = new StringBuilder();
    b.append("## Latency per user group (ms, successful requests; before = single region, after = region-router)\n\n");
    b.append("| group | kind | before n | p50 | p95 | p99 | after n | p50 | p95 | p99 | p95 after/before |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Group g : Group.values()) {
      for (int row = 0; row < 5; row++) {
        Kind k = row == 0 ? null : row == 4 ? Kind.WRITE : Kind.READ;
        long[] before = row < 2 || row == 4 ? rec.latencies(Phase.SINGLE, g, k)
            : rec.readLatencies(Phase.SINGLE, g, row == 3);
        long[] after = row < 2 || row == 4 ? rec.latencies(Phase.ROUTER, g, k)
            : rec.readLatencies(Phase.ROUTER, g, row == 3);
        String label = switch (row) {
          case 0 -> "all";
          case 1 -> "read";
          case 2 -> "… read, other";
          case 3 -> "… read of own new write";
          default -> "write";
        };
        double ratio = Recorder.percentileMillis(after, 95) / Recorder.percentileMillis(before, 95);
        b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %d | %s | %s | %s | %s |%n", g.key,
            label, before.length,
            ms(Recorder.percentileMillis(before, 50)), ms(Recorder.percentileMillis(before, 95)),
            ms(Recorder.percentileMillis(before, 99)), after.length, ms(Recorder.percentileMillis(after, 50)),
            ms(Recorder.percentileMillis(after, 95)), ms(Recorder.percentileMillis(after, 99)),
            Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio)));
      }
    }
    b.append("\n## Outcomes per phase and group (requests)\n\n");
    b.append("| phase | group | ok | errors (read / write) | refused (read / write) | stale reads |\n");
    b.append("|---|---|---:|---:|---:|---:|\n");
    for (Phase p : Phase.values()) {
      for (Group g : Group.values()) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d / %d | %d / %d | %d |%n", p.title, g.key,
            rec.count(p, g, null, Outcome.OK), rec.count(p, g, Kind.READ, Outcome.ERROR),
            rec.count(p, g, Kind.WRITE, Outcome.ERROR), rec.count(p, g, Kind.READ, Outcome.REFUSED),
            rec.count(p, g, Kind.WRITE, Outcome.REFUSED), rec.count(p, g, Kind.READ, Outcome.STALE)));
      }
    }
    b.append("\nRefused by the router's fail-closed rules (HTTP 503 with the router's reason), by phase, kind and"
        + " reason: ").append(rec.refusals().isEmpty() ? "none" : rec.refusals().toString()).append(".\n");
    b.append("\nDuring the drill, p95 of successful requests: ");
    for (Group g : Group.values()) {
      b.append(g.key).append(' ').append(ms(p95(Phase.DRILL, g, null))).append(" ms  ");
    }
    b.append("\nRead retries by the app after a connection failure (SQLState 08: the node died under the read;"
        + " at most 2 per request): ")
        .append(retries).append(".\n");
    b.append("\n## Rows per node by data region (region-router phases; residency: eu only in fra/ams)\n\n");
    b.append("| node | its region | eu rows | us rows |\n|---|---|---:|---:|\n");
    for (Map.Entry<String, Map<String, Long>> node : rows.entrySet()) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d |%n", node.getKey(), regionOf(node.getKey()),
          node.getValue().getOrDefault("eu", 0L), node.getValue().getOrDefault("us", 0L)));
    }
    b.append("\nMisplaced rows (held by a node of another region): ").append(misplaced)
        .append(". Acknowledged writes missing from their region's primary: ").append(lost)
        .append(". (The old eu-primary is fenced at the end; everything it acknowledged is on eu-replica.)\n");
    b.append("Before, in the single-region phase, every row lived in iad: ").append(singleRows)
        .append(" — EU users' data outside the EU, the residency problem the seed started from.\n");
    b.append("\n## Drill timeline (seconds since the run started)\n\n");
    for (Drill.Event e : timeline) {
      b.append(String.format(Locale.ROOT, "- %6.1f s  %s%n", e.atMillis() / 1000.0, e.what()));
    }
    b.append("\n## Promises\n\n");
    b.append(line("no row of a region on another region's node", misplaced == 0, misplaced + " misplaced"));
    b.append(line("no acknowledged write lost", lost == 0, lost + " lost"));
    b.append(line("no user reads stale data after their own write", r.staleReads() == 0, r.staleReads() + " stale"));
    b.append(line("readers see no errors, through the drill too", r.readerErrors() == 0,
        r.readerErrors() + " reader errors"));
    b.append(line("a split brain is refused, not written to", splitBrainRefusal != null,
        splitBrainRefusal == null ? "no refusal seen" : "refused"));
    return b.toString();
  }

  private static String line(String promise, boolean kept, String detail) {
    return "- " + (kept ? "kept" : "BROKEN") + ": " + promise + " (" + detail + ")\n";
  }

  private String regionOf(String node) {
    return node.startsWith("eu") ? "eu" : "us";
  }

  private double p95(Phase p, Group g, Kind k) {
    return Recorder.percentileMillis(rec.latencies(p, g, k), 95);
  }

  static String ms(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.1f", v);
  }
}
