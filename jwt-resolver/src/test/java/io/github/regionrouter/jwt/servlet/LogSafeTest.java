package io.github.regionrouter.jwt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

  @Test
  void aClaimValueIsQuoted_escaped_andCutAt64Characters() {
    assertThat(LogSafe.bounded("eu-west")).isEqualTo("\"eu-west\"");
    assertThat(LogSafe.bounded("a\"b\\c\r\nd\u00e9\u202e")).isEqualTo("\"a\\u0022b\\u005cc\\u000d\\u000ad\\u00e9\\u202e\"");
    String exactly64 = "x".repeat(64);
    assertThat(LogSafe.bounded(exactly64)).isEqualTo("\"" + exactly64 + "\"");
    assertThat(LogSafe.bounded(exactly64 + "TAIL")).isEqualTo("\"" + exactly64 + "\"... (68 characters)");
    assertThat(LogSafe.bounded("y".repeat(1_000_000))).hasSizeLessThan(100);
    assertThat(LogSafe.bounded(null)).isEqualTo("(none)");
  }
}
