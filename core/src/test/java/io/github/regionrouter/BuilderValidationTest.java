package io.github.regionrouter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder says exactly what is wrong, and builds nothing when anything is. */
class BuilderValidationTest {

  private static HikariConfig pool(String db) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/" + db);
    return c;
  }

  @Test
  void duplicateNodeName_isRejectedAtOnce() {
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder().primary("eu-primary", "eu", "fra", pool("a"));
    assertThatThrownBy(() -> b.replica("eu-primary", "eu", "fra", pool("b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a node named 'eu-primary' is already configured: primary 'eu-primary' (region eu, location fra, "
            + "jdbc:postgresql://127.0.0.1:1/a)");
  }

  @Test
  void regionWithoutPrimary_andTwoPrimaries_andResidency_areAllListed() {
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder()
        .primary("eu-primary", "eu", "fra", pool("a"))
        .primary("eu-primary-2", "eu", "ams", pool("b"))
        .replica("eu-replica", "eu", "iad", pool("c"))
        .replica("us-replica", "us", "iad", pool("d"))
        .residency("eu", "fra", "ams");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node 'eu-replica' location 'iad' is not allowed for region 'eu' (allowed: ams, fra)")
        .hasMessageContaining("region 'eu' has 2 configured primaries [eu-primary, eu-primary-2]")
        .hasMessageContaining("region 'us' has no primary: add primary(name, \"us\", location, config)");
  }

  @Test
  void badDurations_nameTheSettingAndItsLimit() {
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder();
    assertThatThrownBy(() -> b.maxReplicaLag(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxReplicaLag cannot be less than 1ms, was 0ms");
    assertThatThrownBy(() -> b.readYourWritesWindow(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("readYourWritesWindow cannot be less than 1ms, was -1000ms");
    assertThatThrownBy(() -> b.replicaBorrowTimeout(Duration.ofMillis(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replicaBorrowTimeout cannot be less than 250ms, was 100ms");
    assertThatThrownBy(() -> b.monitorInterval(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("monitorInterval cannot be less than 10ms, was 5ms");
  }

  @Test
  void repeatedSettings_areConflicts() {
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder().localLocation("fra").residency("eu", "fra");
    assertThatThrownBy(() -> b.localLocation("iad")).isInstanceOf(IllegalStateException.class)
        .hasMessage("localLocation was already set to 'fra' (now 'iad')");
    assertThatThrownBy(() -> b.residency("eu", "ams")).isInstanceOf(IllegalStateException.class)
        .hasMessage("residency of region 'eu' was already set to [fra]");
  }

  @Test
  void invalidNames_andMissingJdbcUrl_areRejected() {
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder();
    assertThatThrownBy(() -> b.primary("eu primary", "eu", "fra", pool("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("node name 'eu primary' is not a valid name");
    assertThatThrownBy(() -> b.primary("eu-primary", "eu", "fra", new HikariConfig()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("node 'eu-primary': HikariConfig needs a jdbcUrl");
  }

  @Test
  void unknownDefaultRegion_isATopologyError() {
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder()
        .primary("eu-primary", "eu", "fra", pool("a")).defaultRegion("us");
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("defaultRegion 'us' has no node (known regions: eu)");
  }
}
