package io.github.regionrouter.internal;

import io.github.regionrouter.HealthReport;
import io.github.regionrouter.NodeStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link HealthReport} as compact JSON, by hand: core depends on no JSON library. Every string goes
 * through {@link Causes#redact}, so a driver message that quotes a URL or a password cannot leak. Stateless.
 */
final class HealthJson {

  private HealthJson() {
  }

  static String write(HealthReport report, String[] regions) {
    StringBuilder sb = new StringBuilder(256 + 200 * report.nodes().size());
    sb.append("{\"status\":\"").append(report.isUp() ? "UP" : "DOWN").append("\",\"level\":\"")
        .append(report.level().path()).append("\",\"problems\":[");
    for (int i = 0; i < report.problems().size(); i++) {
      sb.append(i == 0 ? "" : ",");
      string(sb, report.problems().get(i));
    }
    sb.append("],\"failingNodes\":").append(report.failingNodes()).append(",\"writeTargets\":{");
    Map<String, String> targets = report.writeTargets();
    for (int r = 0; r < regions.length; r++) {
      sb.append(r == 0 ? "" : ",");
      string(sb, regions[r]);
      sb.append(':');
      string(sb, targets.get(regions[r]));
    }
    sb.append("},\"nodes\":[");
    boolean first = true;
    for (NodeStatus n : report.nodes()) {
      sb.append(first ? "{" : ",{");
      first = false;
      sb.append("\"name\":");
      string(sb, n.name());
      sb.append(",\"region\":");
      string(sb, n.region());
      sb.append(",\"location\":");
      string(sb, n.location());
      sb.append(",\"role\":\"").append(n.observedRole().name().toLowerCase(Locale.ROOT))
          .append("\",\"configuredRole\":\"").append(n.configuredRole().name().toLowerCase(Locale.ROOT))
          .append("\",\"up\":").append(n.up())
          .append(",\"writeTarget\":").append(n.writeTarget())
          .append(",\"readEligible\":").append(n.readEligible())
          .append(",\"lagMs\":").append(n.lagTime() == null ? "null" : Long.toString(n.lagTime().toMillis()))
          .append(",\"lagBytes\":").append(n.lagBytes() < 0 ? "null" : Long.toString(n.lagBytes()))
          .append(",\"rttMs\":").append(millis(n.rtt()))
          .append(",\"excluded\":");
      string(sb, n.excludedReason());
      sb.append('}');
    }
    return sb.append("]}").toString();
  }

  /** Milliseconds with up to three decimals (a loopback RTT is well under 1 ms). */
  static String millis(Duration d) {
    if (d == null) {
      return "null";
    }
    long micros = d.toNanos() / 1_000;
    if (micros % 1000 == 0) {
      return Long.toString(micros / 1000);
    }
    String fraction = Long.toString(1000 + micros % 1000).substring(1); // three digits, leading zeros kept
    int end = fraction.length();
    while (fraction.charAt(end - 1) == '0') {
      end--;
    }
    return micros / 1000 + "." + fraction.substring(0, end);
  }

  private static void string(StringBuilder sb, String value) {
    if (value == null) {
      sb.append("null");
      return;
    }
    String s = Causes.redact(value);
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
