package io.github.regionrouter.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes {@code REPORT.md} from the JMH JSON results of {@code benchmarks/run.sh}: every score, the ratios
 * the performance budget is stated in (DESIGN.md), and PASS or MISS for each. A result that is missing
 * (benchmark not run, or failed) is reported as such, never silently left out.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.github.regionrouter.benchmarks.report.ReportWriter \
 *     benchmarks/results benchmarks/results/REPORT.md}</pre>
 */
public final class ReportWriter {

  /** Routed over raw HikariCP, per thread count and operation. */
  static final double ROUTED_OVER_RAW = 1.10;
  /** One routing decision, in ns. */
  static final double DECISION_NS = 25;
  /** "~0 B/op": JMH's allocation figure for an allocation-free method is noise far below one byte. */
  static final double DECISION_BYTES = 1;
  /** A verified-token cache hit over a nimbus HS256 verification. */
  static final double CACHE_OVER_HS256 = 1.0 / 20;
  /** Metrics on over metrics off. */
  static final double METRICS_ON_OVER_OFF = 1.05;

  private static final String CYCLE = "ConnectionCycleBenchmark.";
  private static final String DECISION = "RoutingDecisionBenchmark.";
  private static final String JWT = "JwtResolveBenchmark.";
  private static final String METRICS = "MetricsOverheadBenchmark.";
  private static final int[] THREADS = {1, 2};

  private final List<JmhResult> results;
  private final StringBuilder out = new StringBuilder();
  private final List<String> budget = new ArrayList<>();
  private int misses;

  ReportWriter(List<JmhResult> results) {
    this.results = results;
  }

  /**
   * Reads every {@code *.json} in {@code args[0]} and writes the report to {@code args[1]}.
   *
   * @throws IOException if a result cannot be read or the report cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ReportWriter <results-dir> <report.md>");
      System.exit(2);
    }
    List<JmhResult> results = new ArrayList<>();
    // The run's date is when JMH wrote its results, so that rewriting the report keeps it.
    Instant ran = Instant.EPOCH;
    try (Stream<Path> files = Files.list(Path.of(args[0]))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        results.addAll(JmhResult.read(file));
        Instant written = Files.getLastModifiedTime(file).toInstant();
        ran = written.isAfter(ran) ? written : ran;
      }
    }
    if (results.isEmpty()) {
      System.err.println("no JMH results (*.json) in " + args[0] + ": run benchmarks/run.sh");
      System.exit(1);
    }
    ReportWriter writer = new ReportWriter(results);
    String report = writer.render(ran.atZone(ZoneOffset.UTC));
    Files.writeString(Path.of(args[1]), report);
    System.out.println(report);
    System.out.println(writer.misses == 0 ? "All budget checks PASS." : writer.misses + " budget check(s) MISS.");
  }

  String render(ZonedDateTime when) {
    cycleSection();
    decisionSection();
    jwtSection();
    metricsSection();
    String body = out.toString();
    out.setLength(0);
    header(when);
    out.append("## Budget (DESIGN.md, \"Performance budget\")\n\n");
    out.append("| check | measured | budget | verdict |\n|---|---|---|---|\n");
    budget.forEach(row -> out.append(row).append('\n'));
    out.append('\n').append(misses == 0 ? "All checks PASS." : misses + " check(s) MISS.")
        .append("\n\n");
    out.append(body);
    return out.toString();
  }

  private void header(ZonedDateTime when) {
    String jdk = results.isEmpty() ? System.getProperty("java.version") : results.get(0).jdk();
    // Which settings ran what, e.g. "-f 3 ... (ConnectionCycleBenchmark at 2 threads)".
    String settings = results.stream().map(JmhResult::settings).distinct()
        .map(setting -> setting + " (" + results.stream().filter(r -> r.settings().equals(setting))
            .map(r -> r.benchmark().substring(0, r.benchmark().indexOf('.')) + " at " + r.threads() + " thread"
                + (r.threads() > 1 ? "s" : ""))
            .distinct().collect(Collectors.joining(", ")) + ")")
        .collect(Collectors.joining("; "));
    out.append("# region-router benchmarks\n\n");
    out.append("| | |\n|---|---|\n");
    out.append("| date | ").append(when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append(" |\n");
    out.append("| JDK | ").append(jdk).append(" |\n");
    out.append("| machine | ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(cpuModel().map(m -> m + ", ").orElse("")).append(System.getProperty("os.name")).append(' ')
        .append(System.getProperty("os.arch")).append(" |\n");
    out.append("| JMH | ").append(settings.isEmpty() ? "no results" : settings).append(", `-prof gc` |\n");
    out.append("| command | `benchmarks/run.sh` |\n\n");
    out.append("Scores are the average time per operation (lower is better) ± JMH's 99.9 % confidence "
        + "half-width; B/op is `gc.alloc.rate.norm`. A ratio's ± combines both scores' relative errors.\n\n");
  }

  // ---------------------------------------------------------------- sections

  private void cycleSection() {
    out.append("## Connection cycle\n\n");
    out.append("One op = `getConnection` → (`setReadOnly(true)` for reads) → `createStatement()` → one "
        + "`executeUpdate` (writes) or one `executeQuery` and its row (reads) → `close` → `close`, over six HikariCP pools on a stub driver (no I/O). `rawHikari` is the region's primary "
        + "pool used directly; `rawHikariReadOnly` a replica pool with `setReadOnly(true)`: the same JDBC "
        + "calls as the routed read, so the budget compares writes with `rawHikari` and reads with "
        + "`rawHikariReadOnly` (like for like); the ratio to `rawHikari` is shown too. A routed write also "
        + "records its commit (clock reads and a CAS: it pins the subject, no I/O): that is part of its cost. "
        + "`wrapperFloor` / `wrapperFloorReadOnly` are the same pools behind a connection and a statement wrapper that "
        + "only delegate (no routing): what wrapping alone costs, the floor under any router that must see the "
        + "caller's statements.\n\n");
    out.append("| benchmark | threads | ns/op | B/op | / rawHikari | / like-for-like raw |\n"
        + "|---|---|---|---|---|---|\n");
    String[][] rows = {
        {"rawHikari", "rawHikari"}, {"rawHikariReadOnly", "rawHikariReadOnly"},
        {"wrapperFloor", "rawHikari"}, {"wrapperFloorReadOnly", "rawHikariReadOnly"},
        {"springRouting", "rawHikari"}, {"springRoutingRead", "rawHikariReadOnly"},
        {"routedWrite", "rawHikari"}, {"routedRead", "rawHikariReadOnly"},
        {"routedPinnedRead", "rawHikariReadOnly"}};
    for (int threads : THREADS) {
      for (String[] row : rows) {
        Optional<JmhResult> r = find(CYCLE + row[0], threads);
        Optional<JmhResult> raw = find(CYCLE + "rawHikari", threads);
        Optional<JmhResult> like = find(CYCLE + row[1], threads);
        out.append("| ").append(row[0]).append(" | ").append(threads).append(" | ")
            .append(r.map(ReportWriter::score).orElse("not run")).append(" | ")
            .append(r.map(x -> bytes(x.allocBytes())).orElse("")).append(" | ")
            .append(ratioText(r, raw)).append(" | ").append(ratioText(r, like)).append(" |\n");
      }
    }
    out.append('\n');
    for (int threads : THREADS) {
      check("routed write / rawHikari, " + threads + " thread" + (threads > 1 ? "s" : ""),
          find(CYCLE + "routedWrite", threads), find(CYCLE + "rawHikari", threads), ROUTED_OVER_RAW);
      check("routed read / rawHikariReadOnly, " + threads + " thread" + (threads > 1 ? "s" : ""),
          find(CYCLE + "routedRead", threads), find(CYCLE + "rawHikariReadOnly", threads), ROUTED_OVER_RAW);
      check("routed pinned read / rawHikariReadOnly, " + threads + " thread" + (threads > 1 ? "s" : ""),
          find(CYCLE + "routedPinnedRead", threads), find(CYCLE + "rawHikariReadOnly", threads),
          ROUTED_OVER_RAW);
    }
  }

  private void decisionSection() {
    out.append("## Routing decision\n\n");
    out.append("`Router.choose` alone on the router's snapshot (six nodes, two regions), spreading equally near "
        + "replicas by power of two choices on their published in-use counts; `readRefreshing` is the decision "
        + "of 1 read in 8, which first refreshes those counts from the shared counters; `pinLookup` is the read-your-writes pin look-up a read "
        + "does before deciding (not part of the decision budget).\n\n");
    out.append("| benchmark | ns/op | B/op |\n|---|---|---|\n");
    for (String name : new String[] {"write", "read", "pinnedRead", "readRefreshing", "pinLookup"}) {
      Optional<JmhResult> r = find(DECISION + name, 1);
      out.append("| ").append(name).append(" | ").append(r.map(ReportWriter::score).orElse("not run"))
          .append(" | ").append(r.map(x -> bytes(x.allocBytes())).orElse("")).append(" |\n");
      if (!name.equals("pinLookup") && !name.equals("readRefreshing")) {
        decisionCheck(name, r);
      }
    }
    out.append('\n');
  }

  private void jwtSection() {
    out.append("## Region from a JWT\n\n");
    out.append("Full nimbus verification (`DefaultJWTProcessor`: parse, signature, claims) against "
        + "`JwtRegionResolver.resolve` answering from its verified-token cache (`resolverCacheHit`); "
        + "`resolverHs256` is the resolver with its cache off (a token seen for the first time). Each op "
        + "starts from the `Authorization` header (a new token string, so the cache hashes it as in "
        + "production); `headerOnly` is that common part alone.\n\n");
    out.append("| benchmark | ns/op | B/op | / nimbusHs256 |\n|---|---|---|---|\n");
    Optional<JmhResult> hs256 = find(JWT + "nimbusHs256", 1);
    for (String name : new String[] {"headerOnly", "resolverCacheHit", "resolverHs256", "nimbusHs256", "nimbusRs256",
        "nimbusEs256"}) {
      Optional<JmhResult> r = find(JWT + name, 1);
      out.append("| ").append(name).append(" | ").append(r.map(ReportWriter::score).orElse("not run"))
          .append(" | ").append(r.map(x -> bytes(x.allocBytes())).orElse("")).append(" | ")
          .append(ratioText(r, hs256)).append(" |\n");
    }
    out.append('\n');
    Optional<JmhResult> hit = find(JWT + "resolverCacheHit", 1);
    String row;
    if (hit.isPresent() && hs256.isPresent()) {
      double ratio = hit.get().score() / hs256.get().score();
      boolean pass = ratio <= CACHE_OVER_HS256;
      row = "| cache hit / nimbus HS256 | " + fmt(ratio, 4) + " (1/" + Math.round(1 / ratio) + ") | ≤ 0.05 (1/20) | "
          + verdict(pass) + " |";
    } else {
      row = "| cache hit / nimbus HS256 | not run | ≤ 0.05 (1/20) | " + verdict(false) + " |";
    }
    budget.add(row);
  }

  private void metricsSection() {
    out.append("## Metrics on and off\n\n");
    out.append("The routed op with no meter registry and with a `SimpleMeterRegistry` "
        + "(`regionrouter.connections` counts every bind).\n\n");
    out.append("| benchmark | threads | off ns/op | on ns/op | on B/op | on / off |\n|---|---|---|---|---|---|\n");
    List<Integer> threadCounts = results.stream().filter(r -> r.benchmark().startsWith(METRICS))
        .map(JmhResult::threads).distinct().sorted().toList();
    for (int threads : threadCounts.isEmpty() ? List.of(1) : threadCounts) {
      for (String name : new String[] {"routedWrite", "routedRead", "routedPinnedRead"}) {
        Optional<JmhResult> off = find(METRICS + name, threads, "metrics=off");
        Optional<JmhResult> on = find(METRICS + name, threads, "metrics=on");
        out.append("| ").append(name).append(" | ").append(threads).append(" | ")
            .append(off.map(ReportWriter::score).orElse("not run")).append(" | ")
            .append(on.map(ReportWriter::score).orElse("not run")).append(" | ")
            .append(on.map(x -> bytes(x.allocBytes())).orElse("")).append(" | ")
            .append(ratioText(on, off)).append(" |\n");
        check("metrics on / off, " + name + ", " + threads + " thread" + (threads > 1 ? "s" : ""), on, off,
            METRICS_ON_OVER_OFF);
      }
    }
    out.append('\n');
  }

  // ---------------------------------------------------------------- checks

  private void check(String what, Optional<JmhResult> a, Optional<JmhResult> b, double limit) {
    if (a.isEmpty() || b.isEmpty()) {
      budget.add("| " + what + " | not run | ≤ " + fmt(limit, 2) + " | " + verdict(false) + " |");
      return;
    }
    double ratio = a.get().score() / b.get().score();
    budget.add("| " + what + " | " + ratioText(a, b) + " | ≤ " + fmt(limit, 2) + " | " + verdict(ratio <= limit)
        + " |");
  }

  private void decisionCheck(String name, Optional<JmhResult> r) {
    String what = "routing decision, " + name;
    String limit = "≤ " + fmt(DECISION_NS, 0) + " ns, ~0 B/op";
    if (r.isEmpty()) {
      budget.add("| " + what + " | not run | " + limit + " | " + verdict(false) + " |");
      return;
    }
    JmhResult x = r.get();
    boolean pass = x.score() <= DECISION_NS && !(x.allocBytes() >= DECISION_BYTES); // NaN: no profiler
    budget.add("| " + what + " | " + score(x) + ", " + bytes(x.allocBytes()) + " B/op | " + limit + " | "
        + verdict(pass && !Double.isNaN(x.allocBytes())) + " |");
  }

  private String verdict(boolean pass) {
    if (!pass) {
      misses++;
    }
    return pass ? "PASS" : "**MISS**";
  }

  // ---------------------------------------------------------------- formatting

  private Optional<JmhResult> find(String benchmark, int threads, String... params) {
    return results.stream().filter(r -> r.is(benchmark, threads, params)).findFirst();
  }

  private static String score(JmhResult r) {
    int digits = r.score() < 100 ? 2 : r.score() < 10_000 ? 1 : 0;
    return fmt(r.score(), digits) + (Double.isNaN(r.error()) ? "" : " ± " + fmt(r.error(), digits));
  }

  private static String bytes(double allocBytes) {
    return Double.isNaN(allocBytes) ? "n/a" : fmt(allocBytes, allocBytes < 10 ? 3 : 0);
  }

  /** {@code a / b ± error}, the error from both relative errors (NaN errors count as 0). */
  static String ratioText(Optional<JmhResult> a, Optional<JmhResult> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return "";
    }
    double ratio = a.get().score() / b.get().score();
    double ra = relative(a.get());
    double rb = relative(b.get());
    double err = ratio * Math.sqrt(ra * ra + rb * rb);
    int digits = ratio < 0.1 ? 4 : 2;
    return fmt(ratio, digits) + (err > 0 ? " ± " + fmt(err, digits) : "");
  }

  private static double relative(JmhResult r) {
    return Double.isNaN(r.error()) ? 0 : r.error() / r.score();
  }

  private static String fmt(double value, int digits) {
    return String.format(Locale.ROOT, "%,." + digits + "f", value);
  }

  private static Optional<String> cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim());
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not Linux: cores and arch still say enough
    }
  }
}
