package io.github.regionrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.demo.Geography.Group;
import io.github.regionrouter.demo.Recorder.Kind;
import io.github.regionrouter.demo.Recorder.Outcome;
import io.github.regionrouter.demo.Recorder.Phase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo, scaled down (delays × 0.1, phases of a few seconds): the story runs end to end on real
 * PostgreSQL and keeps its promises. Latencies are not asserted (timings are noise on a shared machine); that
 * traffic flowed in every phase and group is, so the promises cannot hold vacuously.
 */
class DemoPromisesTest {

  @TempDir
  Path reportDir;

  @Test
  void scaledDownDemo_keepsEveryPromise_throughTheDrill() throws Exception {
    DemoOptions options = new DemoOptions(0.1, Duration.ofSeconds(4), Duration.ofSeconds(2), 3,
        Duration.ofMillis(100), reportDir);
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    DemoResult result = new Demo(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

    String output = console.toString(StandardCharsets.UTF_8);
    for (Phase phase : Phase.values()) {
      for (Group group : Group.values()) {
        assertThat(result.recorder().count(phase, group, Kind.READ, Outcome.OK))
            .as("successful reads of %s in %s", group, phase).isPositive();
        assertThat(result.recorder().count(phase, group, Kind.WRITE, Outcome.OK))
            .as("successful writes of %s in %s", group, phase).isPositive();
      }
    }
    assertThat(result.misplacedRows()).as("rows on a node of another region").isZero();
    assertThat(result.lostWrites()).as("acknowledged writes missing from their primary").isZero();
    assertThat(result.staleReads()).as("reads after one's own write that missed it").isZero();
    assertThat(result.readerErrors()).as("reads that failed").isZero();
    assertThat(result.splitBrainRefusal()).as("the router's refusal of a write during the split brain")
        .startsWith("region 'eu' cannot take writes").contains("split brain").contains("eu-primary, eu-replica");
    assertThat(result.rowsByPrimary().get(DemoTopology.US_PRIMARY)).doesNotContainKey("eu");
    assertThat(result.rowsByPrimary().get(DemoTopology.EU_REPLICA)).containsOnlyKeys("eu");
    assertThat(result.timeline()).extracting(Drill.Event::what)
        .anyMatch(e -> e.startsWith("app-sin: us-replica-sin down"))
        .anyMatch(e -> e.startsWith("app-fra: eu-replica lag"))
        .anyMatch(e -> e.startsWith("every instance: EU writes go to eu-replica"))
        .anyMatch(e -> e.startsWith("app-fra refused an EU write: split-brain"));
    assertThat(result.promisesKept()).isTrue();
    String summary = output.lines().filter(l -> l.startsWith("SUMMARY ")).findFirst().orElseThrow();
    assertThat(summary).contains(" misplaced_rows=0 ", " stale_reads=0 ", " reader_errors=0 ",
        " eu_read_p95_before_ms=", " asia_write_p95_after_ms=", " report=" + result.report());
    assertThat(Files.readString(result.report())).contains("## Drill timeline", "kept: no acknowledged write lost");
    assertThat(Files.readString(result.chart())).startsWith("<svg").endsWith("</svg>\n");
  }
}
