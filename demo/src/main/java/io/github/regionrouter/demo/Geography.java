package io.github.regionrouter.demo;

import java.time.Duration;
import java.util.List;

/**
 * Where things are and how far apart: the three locations, the one-way network delay between them, and the user
 * groups with their home location and data region.
 *
 * <p>The delays are half of typical public round-trip times between the cloud regions these locations stand for
 * (inter-region latency tables such as AWS's, published by cloudping.co and WonderNetwork, 2024–2025):
 * {@code iad}–{@code fra} (us-east-1 – eu-central-1) ≈ 90 ms RTT, {@code iad}–{@code sin} (us-east-1 –
 * ap-southeast-1) ≈ 215 ms, {@code fra}–{@code sin} (eu-central-1 – ap-southeast-1) ≈ 160 ms. The last mile
 * from a user to the app instance in their own location is 10 ms each way: the seed's US users, served from
 * Virginia all along, see ≈ 25 ms at p95, i.e. ≈ 20 ms of network and a few ms of server time. Every delay is
 * multiplied by a scale so tests can run the same story in seconds.
 *
 * <p>Immutable and thread-safe.
 */
final class Geography {

  /** Locations, as node and app-instance locations are named. */
  static final String IAD = "iad";
  static final String FRA = "fra";
  static final String SIN = "sin";
  static final List<String> LOCATIONS = List.of(IAD, FRA, SIN);

  /** The user groups of the story, in report order. */
  enum Group {
    /** European users: data region {@code eu} (GDPR residency fra/ams), nearest instance in Frankfurt. */
    EU("eu", "eu", FRA),
    /** US users: data region {@code us}, nearest instance in Virginia. */
    US("us", "us", IAD),
    /** Asian users: their data is US-region data (the seed has no Asian primary), nearest instance in Singapore. */
    ASIA("asia", "us", SIN);

    final String key;
    final String region;
    final String home;

    Group(String key, String region, String home) {
      this.key = key;
      this.region = region;
      this.home = home;
    }
  }

  private static final long LAST_MILE_MS = 10;
  private static final long IAD_FRA_MS = 45;
  private static final long IAD_SIN_MS = 108;
  private static final long FRA_SIN_MS = 80;

  private final double scale;

  Geography(double scale) {
    if (!(scale > 0) || scale > 10) {
      throw new IllegalArgumentException("--scale must be in (0, 10], was " + scale);
    }
    this.scale = scale;
  }

  double scale() {
    return scale;
  }

  /** One-way delay between two locations (zero within a location), scaled. */
  Duration between(String a, String b) {
    return scaled(unscaledMillis(a, b));
  }

  /** One-way delay from a user of the group to an app instance in {@code location}: last mile plus distance. */
  Duration userTo(Group group, String location) {
    return scaled(LAST_MILE_MS + unscaledMillis(group.home, location));
  }

  /** The figures as stated in the report, unscaled. */
  static String describe() {
    return "one-way delays: iad-fra " + IAD_FRA_MS + " ms, iad-sin " + IAD_SIN_MS + " ms, fra-sin " + FRA_SIN_MS
        + " ms (half of public inter-region RTTs ~90/215/160 ms); user to the instance in their own location "
        + LAST_MILE_MS + " ms";
  }

  private Duration scaled(long millis) {
    return Duration.ofNanos(Math.round(millis * 1_000_000L * scale));
  }

  private static long unscaledMillis(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    String pair = a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a;
    return switch (pair) {
      case "fra-iad" -> IAD_FRA_MS;
      case "iad-sin" -> IAD_SIN_MS;
      case "fra-sin" -> FRA_SIN_MS;
      default -> throw new IllegalArgumentException("unknown location pair " + a + ", " + b
          + " (known locations: " + LOCATIONS + ")");
    };
  }
}
