package io.github.regionrouter.spring;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.RegionRoutingDataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hands the bound {@link RegionRouterProperties} over to {@link RegionRoutingDataSource#builder()}, the
 * single validator, and attributes every rejection to the property it came from
 * ({@link RegionRouterPropertyException}). No rule of the router is decided here.
 */
final class RegionRoutingDataSourceFactory {

  private static final String P = "region-router.";
  private static final Pattern NODE_LOCATION = Pattern.compile(
      "node '([^']+)' location '([^']+)' is not allowed for region '([^']+)' \\(allowed: ([^)]*)\\)");
  private static final Pattern REGION = Pattern.compile("region '([^']+)'");

  private RegionRoutingDataSourceFactory() {
  }

  /**
   * Applies the properties and the customizers, then builds.
   *
   * @throws RegionRouterPropertyException naming the property, when the builder rejects a value
   */
  static RegionRoutingDataSource build(RegionRouterProperties props,
      List<RegionRoutingDataSourceCustomizer> customizers) {
    RegionRoutingDataSource.Builder builder = configure(props);
    customizers.forEach(c -> c.customize(builder));
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw attribute(props, e);
    }
  }

  /** Applies the properties to a new builder (no pool is started yet). */
  static RegionRoutingDataSource.Builder configure(RegionRouterProperties props) {
    if (props.getRegions().isEmpty()) {
      throw new RegionRouterPropertyException(P + "regions", "(unset)",
          "at least one region with exactly one node of role primary",
          "add region-router.regions.<region>.nodes.<node> with role, location and url for every node", null);
    }
    RegionRoutingDataSource.Builder b = RegionRoutingDataSource.builder();
    set("local-location", props.getLocalLocation(), b::localLocation,
        "a name of letters, digits, '.', '_', '-' (e.g. fra)", "set it to where this instance runs, e.g. fra");
    set("default-region", props.getDefaultRegion(), b::defaultRegion,
        "unset (refuse requests without a region) or one of the configured regions " + props.getRegions().keySet(),
        "name a configured region or remove the property");
    setDuration("max-replica-lag", props.getMaxReplicaLag(), b::maxReplicaLag, "at least 1ms");
    setDuration("read-your-writes-window", props.getReadYourWritesWindow(), b::readYourWritesWindow,
        "at least 1ms");
    setDuration("read-your-writes-wait", props.getReadYourWritesWait(), b::readYourWritesWait,
        "0ms (off) or more");
    setDuration("monitor-interval", props.getMonitorInterval(), b::monitorInterval, "at least 10ms");
    setDuration("latency-window", props.getLatencyWindow(), b::latencyWindow, "0ms or more");
    setDuration("replica-borrow-timeout", props.getReplicaBorrowTimeout(), b::replicaBorrowTimeout,
        "at least 250ms");
    b.validateReplicasOnBorrow(props.isValidateReplicasOnBorrow());
    setDuration("health.lag-grace", props.getHealth().getLagGrace(), b::lagGrace, "0ms or more");
    set("health.full-max-failing", props.getHealth().getFullMaxFailing(), b::fullMaxFailing, "0 or more",
        "set the number of failing nodes the full level tolerates, e.g. 2");
    props.getRegions().forEach((region, r) -> {
      r.getNodes().forEach((name, node) -> addNode(b, props.getPool(), region, name, node));
      if (!r.getResidency().isEmpty()) {
        set("regions." + region + ".residency", r.getResidency(),
            v -> b.residency(region, v.toArray(String[]::new)),
            "a list of location names, e.g. [fra, ams]", "list the locations where region " + region
                + "'s data may live");
      }
    });
    return b;
  }

  private static void addNode(RegionRoutingDataSource.Builder b, PoolSettings pool, String region, String name,
      RegionRouterProperties.Node node) {
    String at = P + "regions." + region + ".nodes." + name + ".";
    if (node.getRole() == null) {
      throw new RegionRouterPropertyException(at + "role", "(unset)", "primary, replica",
          "set role: primary for the region's writable node, role: replica for its standbys", null);
    }
    if (node.getLocation() == null) {
      throw new RegionRouterPropertyException(at + "location", "(unset)", "a location name, e.g. fra",
          "set where node " + name + " runs", null);
    }
    if (node.getUrl() == null || node.getUrl().isBlank()) {
      throw new RegionRouterPropertyException(at + "url", "(unset)", "a JDBC URL, jdbc:postgresql://host:port/db",
          "set the JDBC URL of node " + name, null);
    }
    HikariConfig config = hikariConfig(pool, node, at.substring(0, at.length() - 1));
    try {
      switch (node.getRole()) {
        case PRIMARY -> b.primary(name, region, node.getLocation(), config);
        case REPLICA -> b.replica(name, region, node.getLocation(), config);
        default -> throw new IllegalStateException("unreachable: " + node.getRole());
      }
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String property = message.startsWith("location") ? at + "location"
          : message.startsWith("region") ? P + "regions." + region : at.substring(0, at.length() - 1);
      throw new RegionRouterPropertyException(property, "'" + (property.endsWith("location") ? node.getLocation()
          : property.endsWith(region) ? region : name) + "'", message, "use letters, digits, '.', '_', '-'", e);
    }
  }

  /**
   * The node's pool configuration: {@code region-router.pool.*}, then the node's own settings over it.
   *
   * @param nodeProperty the node's property prefix, for messages
   */
  static HikariConfig hikariConfig(PoolSettings pool, RegionRouterProperties.Node node, String nodeProperty) {
    HikariConfig config = new HikariConfig();
    pool.applyTo(config, P + "pool");
    node.applyTo(config, nodeProperty);
    config.setJdbcUrl(node.getUrl());
    return config;
  }

  private static <T> void set(String property, T value, Consumer<T> setter, String allowed, String fix) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new RegionRouterPropertyException(P + property, String.valueOf(value), allowed + " (" + e.getMessage()
          + ")", fix, e);
    }
  }

  private static void setDuration(String property, Duration value, Consumer<Duration> setter, String allowed) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new RegionRouterPropertyException(P + property, value.toMillis() + "ms", allowed,
          "set " + P + property + " to " + allowed + " (e.g. " + example(property) + ") or remove it for the default",
          e);
    }
  }

  private static String example(String property) {
    return switch (property) {
      case "max-replica-lag" -> "500ms";
      case "read-your-writes-window" -> "5s";
      case "read-your-writes-wait" -> "100ms";
      case "monitor-interval" -> "250ms";
      case "latency-window" -> "10ms";
      case "health.lag-grace" -> "60s";
      default -> "1s";
    };
  }

  /** Attributes the first problem of {@code build()}'s list to the property it is about. */
  private static RegionRouterPropertyException attribute(RegionRouterProperties props, IllegalStateException e) {
    String message = e.getMessage();
    String problems = message.replace("Invalid region-router configuration:\n  - ", "").replace("\n  - ", "; ");
    Matcher location = NODE_LOCATION.matcher(message);
    if (location.find()) {
      String region = location.group(3);
      return new RegionRouterPropertyException(P + "regions." + region + ".nodes." + location.group(1)
          + ".location", "'" + location.group(2) + "'", "the residency of region " + region + ": "
          + location.group(4) + " (all problems: " + problems + ")",
          "move the node to an allowed location, or add the location to " + P + "regions." + region
              + ".residency if the region's data may live there", e);
    }
    if (message.contains("defaultRegion")) {
      return new RegionRouterPropertyException(P + "default-region", "'" + props.getDefaultRegion() + "'",
          "one of the configured regions " + props.getRegions().keySet() + " (all problems: " + problems + ")",
          "name a configured region or remove " + P + "default-region", e);
    }
    Matcher region = REGION.matcher(message);
    if (region.find() && props.getRegions().containsKey(region.group(1))) {
      return new RegionRouterPropertyException(P + "regions." + region.group(1) + ".nodes",
          describeNodes(props.getRegions().get(region.group(1)).getNodes()),
          "exactly one node of role primary per region (all problems: " + problems + ")",
          "give region " + region.group(1) + " exactly one node with role: primary", e);
    }
    return new RegionRouterPropertyException(P + "regions", describeRegions(props), problems,
        "correct the regions and nodes as the problems say", e);
  }

  private static String describeNodes(Map<String, RegionRouterProperties.Node> nodes) {
    StringBuilder text = new StringBuilder("{");
    nodes.forEach((name, n) -> text.append(text.length() > 1 ? ", " : "").append(name).append(": ")
        .append(n.getRole() == null ? "?" : n.getRole().name().toLowerCase(java.util.Locale.ROOT)));
    return text.append('}').toString();
  }

  private static String describeRegions(RegionRouterProperties props) {
    StringBuilder text = new StringBuilder("{");
    props.getRegions().forEach((name, r) -> text.append(text.length() > 1 ? ", " : "").append(name).append(": ")
        .append(describeNodes(r.getNodes())));
    return text.append('}').toString();
  }
}
