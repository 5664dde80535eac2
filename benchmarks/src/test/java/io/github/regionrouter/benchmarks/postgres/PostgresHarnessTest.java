package io.github.regionrouter.benchmarks.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.benchmarks.postgres.PostgresHarness.Result;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness runs end to end on a real topology with tiny counts; its figures are not judged here. */
class PostgresHarnessTest {

  @Test
  void theHarnessMeasuresEveryOperationInBothArms_andCountsTheirRoundTrips() throws Exception {
    List<Result> results = PostgresHarness.run(2, 5, List.of(PostgresHarness.NEAR));

    assertThat(results).extracting(Result::op).containsExactly("read", "read, validateReplicasOnBorrow on",
        "write (context + subject)", "read-after-write (same subject)");
    assertThat(results).allSatisfy(r -> {
      assertThat(r.rawMedianMs()).as(r.op()).isPositive();
      assertThat(r.routedMedianMs()).as(r.op()).isPositive();
    });
    // A raw read or write is one statement: exactly one round trip through the proxy.
    assertThat(results.get(0).rawRoundTrips()).isEqualTo(1.0);
    assertThat(results.get(2).rawRoundTrips()).isEqualTo(1.0);
    assertThat(results.get(3).rawRoundTrips()).isEqualTo(2.0);
    // The router adds none to a write (its position comes from the monitor) or to a read; isValid adds one.
    assertThat(results.get(0).routedRoundTrips()).isEqualTo(1.0);
    assertThat(results.get(1).routedRoundTrips()).isEqualTo(2.0);
    assertThat(results.get(2).routedRoundTrips()).isEqualTo(1.0);
    assertThat(results.get(3).routedRoundTrips()).isEqualTo(2.0);
    String report = PostgresHarness.report(results, 5, 0.5, 0.5, Duration.ofSeconds(1));
    assertThat(report).contains("| near | write (context + subject) |").contains("JDK: ");
  }

  @Test
  void countsMustBePositive() {
    assertThatThrownBy(() -> PostgresHarness.run(0, 0, List.of(PostgresHarness.NEAR)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("warmup must be >= 0 and ops > 0, were 0 and 0");
  }
}
