package io.github.regionrouter.jwt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.HealthLevel;
import org.junit.jupiter.api.Test;

/** Which level a request path names, wherever the servlet is mounted. */
class HealthLevelPathTest {

  @Test
  void theLevelIsTheLastPathSegment() {
    assertThat(RegionRouterHealthServlet.level("/db")).isEqualTo(HealthLevel.DB);
    assertThat(RegionRouterHealthServlet.level("/health/full/")).isEqualTo(HealthLevel.FULL);
    assertThat(RegionRouterHealthServlet.level("/basic")).isEqualTo(HealthLevel.BASIC);
    assertThat(RegionRouterHealthServlet.level("/DB")).isNull();
    assertThat(RegionRouterHealthServlet.level("/")).isNull();
    assertThat(RegionRouterHealthServlet.level(null)).isNull();
  }
}
