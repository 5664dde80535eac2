package io.github.regionrouter.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Declaration errors are reported before any server starts, naming the offending value. */
class PostgresTopologyBuilderTest {

  @Test
  void secondPrimaryOfARegion_isRejected() {
    PostgresTopology.Builder builder = PostgresTopology.builder().primary("eu-primary", "eu", "fra");

    assertThatThrownBy(() -> builder.primary("eu-primary-2", "eu", "ams"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("region 'eu' has a primary already: 'eu-primary' (one primary per region)");
  }

  @Test
  void duplicateNodeName_isRejected() {
    PostgresTopology.Builder builder = PostgresTopology.builder().primary("eu-primary", "eu", "fra");

    assertThatThrownBy(() -> builder.replica("eu-primary", "eu-primary", "fra"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("node 'eu-primary' is already declared");
  }

  @Test
  void replicaOfAnUndeclaredPrimary_isRejectedAtStart_namingThePrimaries() {
    PostgresTopology.Builder builder = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .replica("us-replica", "us-primary", "iad");

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("replica 'us-replica' follows 'us-primary', which is not a declared primary (primaries:"
            + " eu-primary)");
  }

  @Test
  void replicaOfAReplica_isRejectedAtStart() {
    PostgresTopology.Builder builder = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .replica("eu-cascade", "eu-replica", "ams");

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("replica 'eu-cascade' follows 'eu-replica', which is not a declared primary");
  }

  @Test
  void topologyWithoutPrimary_isRejectedAtStart() {
    assertThatThrownBy(() -> PostgresTopology.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a topology needs at least one primary; declared: []");
  }

  @Test
  void malformedNames_areRejected() {
    assertThatThrownBy(() -> PostgresTopology.builder().primary("eu primary", "eu", "fra"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node name 'eu primary' must be a non-empty token of letters, digits, '_', '.' and '-'");
    assertThatThrownBy(() -> PostgresTopology.builder().replica("r", "p", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("location '' must be a non-empty token of letters, digits, '_', '.' and '-'");
  }

  @Test
  void latency_rejectsNegativeAndRepeatedPresets() {
    PostgresTopology.Builder builder = PostgresTopology.builder().latency("fra", "sin", Duration.ofMillis(80));

    assertThatThrownBy(() -> builder.latency("sin", "fra", Duration.ofMillis(40)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("latency sin<->fra was already set to 80 ms");
    assertThatThrownBy(() -> builder.latency("fra", "iad", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latency fra<->iad must not be negative, was -1 ms");
  }

  @Test
  void serverSetting_rejectsSettingsTheTopologyManages() {
    assertThatThrownBy(() -> PostgresTopology.builder().serverSetting("port", "5432"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("server setting 'port' is managed by the topology (managed: ");
    assertThatThrownBy(() -> PostgresTopology.builder().serverSetting("work_mem; DROP", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("server setting name 'work_mem; DROP' is not a PostgreSQL setting name");
  }
}
