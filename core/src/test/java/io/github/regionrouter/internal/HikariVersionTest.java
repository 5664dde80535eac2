package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The build-time check of the HikariCP version on the class path. */
class HikariVersionTest {

  @Test
  void theHikariOnTheClassPathIsFoundAndAccepted() {
    assertThat(HikariVersion.found()).isNotBlank();
    assertThatCode(() -> HikariVersion.require(HikariVersion.found())).doesNotThrowAnyException();
  }

  @Test
  void anOlderHikariFailsTheBuild_statingTheVersionFoundAndNeeded() {
    assertThatThrownBy(() -> HikariVersion.require("4.0.3"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("region-router needs HikariCP 5.1.0 or newer, found 4.0.3 on the class path (")
        .hasMessageEndingWith("); upgrade com.zaxxer:HikariCP");
  }

  @Test
  void versionsCompareNumerically_ignoringQualifiers() {
    assertThat(HikariVersion.compare("5.1.0", "5.1.0")).isZero();
    assertThat(HikariVersion.compare("5.0.1", "5.1.0")).isNegative();
    assertThat(HikariVersion.compare("10.0.0", "5.1.0")).isPositive();
    assertThat(HikariVersion.compare("7.0.2-SNAPSHOT", "7.0.2")).isZero();
    assertThatCode(() -> HikariVersion.require(null)).doesNotThrowAnyException();
  }
}
