package io.github.regionrouter.benchmarks.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.benchmarks.postgres.PostgresHarness.Result;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness runs end to end on a real topology with small counts; only its round-trip counts are judged. */
class PostgresHarnessTest {

  private static final org.assertj.core.data.Offset<Double> TRIP = org.assertj.core.data.Offset.offset(0.2);

  @Test
  void theHarnessMeasuresEveryOperationInBothArms_andCountsTheirRoundTrips() throws Exception {
    List<Result> results = PostgresHarness.run(2, 40, List.of(PostgresHarness.NEAR));

    assertThat(results).extracting(Result::op).containsExactly("read", "read, validateReplicasOnBorrow on",
        "write (context + subject)", "read-after-write (same subject)",
        "pinned read 10 ms after own write (read timed)");
    assertThat(results).allSatisfy(r -> {
      assertThat(r.rawMedianMs()).as(r.op()).isPositive();
      assertThat(r.routedMedianMs()).as(r.op()).isPositive();
    });
    // A pool may log a connection in (a few round trips) or alive-check one during the 40 counted ops; an extra
    // round trip per op would be +1.0.
    // A raw read or write is one statement: exactly one round trip through the proxy.
    assertThat(results.get(0).rawRoundTrips()).isCloseTo(1.0, TRIP);
    assertThat(results.get(2).rawRoundTrips()).isCloseTo(1.0, TRIP);
    assertThat(results.get(3).rawRoundTrips()).isCloseTo(2.0, TRIP);
    // The router adds none to a write (its position comes from the monitor) or to a read; isValid adds one.
    assertThat(results.get(0).routedRoundTrips()).isCloseTo(1.0, TRIP);
    assertThat(results.get(1).routedRoundTrips()).isCloseTo(2.0, TRIP);
    assertThat(results.get(2).routedRoundTrips()).isCloseTo(1.0, TRIP);
    assertThat(results.get(3).routedRoundTrips()).isCloseTo(2.0, TRIP);
    String report = PostgresHarness.report(results, 40, 0.5, 0.5, Duration.ofSeconds(1));
    assertThat(report).contains("| near | write (context + subject) |").contains("JDK: ")
        .contains("| near | pinned read 10 ms after own write (read timed) |").contains("| not counted | not counted |");
  }

  @Test
  void countsMustBePositive() {
    assertThatThrownBy(() -> PostgresHarness.run(0, 0, List.of(PostgresHarness.NEAR)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("warmup must be >= 0 and ops > 0, were 0 and 0");
  }
}
