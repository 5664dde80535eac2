package io.github.regionrouter.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a JMH JSON result: a benchmark method at one thread count and one set of parameters.
 *
 * @param benchmark  {@code Class.method}, without the package
 * @param params     the {@code @Param} values, e.g. {@code metrics=on}; empty when none
 * @param threads    the thread count ({@code -t})
 * @param score      the primary score
 * @param error      its 99.9 % half-width; NaN when JMH had too few samples
 * @param unit       the primary score's unit, e.g. {@code ns/op}
 * @param allocBytes bytes allocated per operation ({@code gc.alloc.rate.norm} of {@code -prof gc}); NaN
 *                   without the profiler
 * @param jdk        JDK version and VM, as JMH recorded them
 * @param settings   forks, warm-up and measurement settings, as JMH recorded them
 */
record JmhResult(String benchmark, Map<String, String> params, int threads, double score, double error,
    String unit, double allocBytes, String jdk, String settings) {

  /** Reads every result of one JMH {@code -rf json} file. */
  @SuppressWarnings("unchecked")
  static List<JmhResult> read(Path file) throws IOException {
    Object document;
    try {
      document = Json.parse(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    List<JmhResult> results = new ArrayList<>();
    for (Object item : (List<Object>) document) {
      Map<String, Object> row = (Map<String, Object>) item;
      Map<String, Object> primary = (Map<String, Object>) row.get("primaryMetric");
      Map<String, Object> secondary = (Map<String, Object>) row.getOrDefault("secondaryMetrics", Map.of());
      Map<String, Object> alloc = (Map<String, Object>) secondary.get("gc.alloc.rate.norm");
      Map<String, String> params = new TreeMap<>();
      ((Map<String, Object>) row.getOrDefault("params", Map.of()))
          .forEach((k, v) -> params.put(k, String.valueOf(v)));
      String name = (String) row.get("benchmark");
      String[] parts = name.split("\\.");
      String shortName = parts[parts.length - 2] + "." + parts[parts.length - 1];
      String settings = String.format("-f %s -wi %s -w %s -i %s -r %s", integer(row.get("forks")),
          integer(row.get("warmupIterations")), row.get("warmupTime"), integer(row.get("measurementIterations")),
          row.get("measurementTime"));
      results.add(new JmhResult(shortName, params, (int) Json.number(row.get("threads")),
          Json.number(primary.get("score")), Json.number(primary.get("scoreError")),
          (String) primary.get("scoreUnit"), alloc == null ? Double.NaN : Json.number(alloc.get("score")),
          row.get("jdkVersion") + " (" + row.get("vmName") + " " + row.get("vmVersion") + ")", settings));
    }
    return results;
  }

  private static String integer(Object number) {
    return number == null ? "?" : String.valueOf((long) Json.number(number));
  }

  /** Whether this row is {@code benchmark} at {@code threads} with every given parameter value. */
  boolean is(String benchmark, int threads, String... paramPairs) {
    if (!this.benchmark.equals(benchmark) || this.threads != threads) {
      return false;
    }
    for (String pair : paramPairs) {
      String[] kv = pair.split("=", 2);
      if (!kv[1].equals(params.get(kv[0]))) {
        return false;
      }
    }
    return true;
  }
}
