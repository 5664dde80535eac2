package io.github.regionrouter.internal;

import com.zaxxer.hikari.HikariConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Checks at build time that the HikariCP on the class path is one the router works with, so an old one fails
 * with the versions in the message rather than with a {@code NoSuchMethodError} deep inside a pool. Stateless.
 */
final class HikariVersion {

  /** The oldest HikariCP tested: 5.1.0, what Spring Boot 3 manages. */
  static final String MINIMUM = "5.1.0";

  private HikariVersion() {
  }

  /** The version of the HikariCP on the class path, or null when it does not say. */
  static String found() {
    try (InputStream in = HikariConfig.class.getResourceAsStream(
        "/META-INF/maven/com.zaxxer/HikariCP/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall back to the manifest
    }
    return HikariConfig.class.getPackage().getImplementationVersion();
  }

  /**
   * @throws IllegalStateException when {@code version} is older than {@link #MINIMUM}; an unknown version
   *                               (a repackaged jar) is let through
   */
  static void require(String version) {
    if (version != null && compare(version, MINIMUM) < 0) {
      throw new IllegalStateException("region-router needs HikariCP " + MINIMUM + " or newer, found " + version
          + " on the class path (" + where() + "); upgrade com.zaxxer:HikariCP");
    }
  }

  private static String where() {
    try {
      return String.valueOf(HikariConfig.class.getProtectionDomain().getCodeSource().getLocation());
    } catch (RuntimeException e) {
      return "location unknown";
    }
  }

  /** Compares dotted numeric versions ({@code 5.1.0}, {@code 7.0.2}); a qualifier after '-' is ignored. */
  static int compare(String a, String b) {
    String[] x = a.split("-", 2)[0].split("\\.");
    String[] y = b.split("-", 2)[0].split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c = Integer.compare(part(x, i), part(y, i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int part(String[] parts, int i) {
    if (i >= parts.length) {
      return 0;
    }
    try {
      return Integer.parseInt(parts[i].replaceAll("\\D.*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
