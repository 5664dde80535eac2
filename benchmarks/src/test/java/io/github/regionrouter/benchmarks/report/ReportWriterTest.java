package io.github.regionrouter.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  private static final String JMH_JSON = """
      [
        {
          "jmhVersion" : "1.37",
          "benchmark" : "io.github.regionrouter.benchmarks.ConnectionCycleBenchmark.rawHikari",
          "mode" : "avgt", "threads" : 1, "forks" : 2, "jdkVersion" : "17.0.15",
          "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "17.0.15+6",
          "warmupIterations" : 4, "warmupTime" : "1 s", "measurementIterations" : 6, "measurementTime" : "1 s",
          "primaryMetric" : { "score" : 100.0, "scoreError" : 2.0, "scoreUnit" : "ns/op",
            "rawData" : [ [ 99.0, 101.0 ] ] },
          "secondaryMetrics" : { "gc.alloc.rate.norm" : { "score" : 80.0, "scoreError" : "NaN",
            "scoreUnit" : "B/op" } }
        },
        {
          "jmhVersion" : "1.37",
          "benchmark" : "io.github.regionrouter.benchmarks.ConnectionCycleBenchmark.routedWrite",
          "mode" : "avgt", "threads" : 1, "forks" : 2, "jdkVersion" : "17.0.15",
          "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "17.0.15+6",
          "warmupIterations" : 4, "warmupTime" : "1 s", "measurementIterations" : 6, "measurementTime" : "1 s",
          "params" : { },
          "primaryMetric" : { "score" : 125.0, "scoreError" : "NaN", "scoreUnit" : "ns/op" },
          "secondaryMetrics" : { }
        },
        {
          "jmhVersion" : "1.37",
          "benchmark" : "io.github.regionrouter.benchmarks.MetricsOverheadBenchmark.routedRead",
          "mode" : "avgt", "threads" : 1, "forks" : 2, "jdkVersion" : "17.0.15",
          "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "17.0.15+6",
          "warmupIterations" : 4, "warmupTime" : "1 s", "measurementIterations" : 6, "measurementTime" : "1 s",
          "params" : { "metrics" : "on" },
          "primaryMetric" : { "score" : 1.5e2, "scoreError" : 1, "scoreUnit" : "ns/op" },
          "secondaryMetrics" : { }
        }
      ]
      """;

  @Test
  void readsJmhJson_withNaNErrorsAndParams(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("result.json"), JMH_JSON);

    List<JmhResult> results = JmhResult.read(file);

    assertThat(results).hasSize(3);
    JmhResult raw = results.get(0);
    assertThat(raw.benchmark()).isEqualTo("ConnectionCycleBenchmark.rawHikari");
    assertThat(raw.score()).isEqualTo(100.0);
    assertThat(raw.error()).isEqualTo(2.0);
    assertThat(raw.allocBytes()).isEqualTo(80.0);
    assertThat(raw.settings()).isEqualTo("-f 2 -wi 4 -w 1 s -i 6 -r 1 s");
    assertThat(results.get(1).error()).isNaN();
    assertThat(results.get(1).allocBytes()).isNaN();
    assertThat(results.get(2).params()).isEqualTo(Map.of("metrics", "on"));
    assertThat(results.get(2).is("MetricsOverheadBenchmark.routedRead", 1, "metrics=on")).isTrue();
    assertThat(results.get(2).score()).isEqualTo(150.0);
  }

  @Test
  void report_flagsAMissedRatio_andReportsWhatDidNotRun(@TempDir Path dir) throws IOException {
    List<JmhResult> results = JmhResult.read(Files.writeString(dir.resolve("result.json"), JMH_JSON));

    String report = new ReportWriter(results).render(ZonedDateTime.of(2026, 1, 2, 3, 4, 0, 0, ZoneOffset.UTC));

    assertThat(report)
        .contains("| date | 2026-01-02 03:04 UTC |")
        .contains("| JDK | 17.0.15 (OpenJDK 64-Bit Server VM 17.0.15+6) |")
        .contains("| routed write / rawHikari, 1 thread | 1.25 ± 0.03 | ≤ 1.10 | **MISS** |")
        .contains("| routed read / rawHikariReadOnly, 1 thread | not run | ≤ 1.10 | **MISS** |")
        .contains("| routedWrite | 1 | 125.0 | n/a | 1.25 ± 0.03 | 1.25 ± 0.03 |");
  }

  @Test
  void json_rejectsMalformedInput_withTheOffset() {
    assertThatThrownBy(() -> Json.parse("[1, 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("JMH result is not valid JSON: unexpected end at offset 5");
    assertThat(Json.parse("{\"a\" : [true, null, \"x\\\"y\\u0041\"]}"))
        .isEqualTo(Map.of("a", java.util.Arrays.asList(true, null, "x\"yA")));
  }
}
