package io.github.regionrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Command-line options and the geography they scale. */
class DemoOptionsTest {

  @Test
  void parse_acceptsBothForms_andKeepsDefaultsForTheRest() {
    DemoOptions o = DemoOptions.parse("--scale", "0.5", "--phase-seconds=10", "--out", "r");

    assertThat(o.scale()).isEqualTo(0.5);
    assertThat(o.phase()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.reportDir()).isEqualTo(Path.of("r"));
    assertThat(o.drillStep()).isEqualTo(DemoOptions.defaults().drillStep());
    assertThat(o.usersPerGroup()).isEqualTo(6);
  }

  @Test
  void parse_rejectsAnUnknownOption_withTheUsage() {
    assertThatThrownBy(() -> DemoOptions.parse("--fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown option --fast\nusage: java -jar demo/target/region-router-demo.jar");
  }

  @Test
  void parse_rejectsANonNumber_namingTheOption() {
    assertThatThrownBy(() -> DemoOptions.parse("--users-per-group", "many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("option --users-per-group needs a number, got 'many'");
  }

  @Test
  void scale_outOfRange_isRejected() {
    assertThatThrownBy(() -> DemoOptions.parse("--scale", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--scale must be in (0, 10], was 0.0");
  }

  @Test
  void geography_addsTheLastMileToTheDistance_andScalesBoth() {
    Geography g = new Geography(0.5);

    assertThat(g.userTo(Geography.Group.EU, Geography.FRA)).isEqualTo(Duration.ofMillis(5));
    assertThat(g.userTo(Geography.Group.EU, Geography.IAD)).isEqualTo(Duration.ofMillis(27).plusNanos(500_000));
    assertThat(g.between(Geography.SIN, Geography.IAD)).isEqualTo(Duration.ofMillis(54));
    assertThat(g.between(Geography.FRA, Geography.FRA)).isEqualTo(Duration.ZERO);
  }

  @Test
  void percentile_isNearestRank() {
    long[] micros = {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000};

    assertThat(Recorder.percentileMillis(micros, 50)).isEqualTo(5.0);
    assertThat(Recorder.percentileMillis(micros, 95)).isEqualTo(10.0);
    assertThat(Recorder.percentileMillis(new long[0], 95)).isNaN();
  }
}
