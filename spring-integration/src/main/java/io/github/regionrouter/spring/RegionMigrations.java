package io.github.regionrouter.spring;

import io.github.regionrouter.NodeStatus;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.TopologyStatus;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a schema migration once per region, each inside that region's {@link RegionContext}, so that every
 * region's primary gets the schema (Boot alone migrates one data source once: the default region at best).
 * A region without a reachable primary stops start-up with a message naming it: an application must not
 * serve a region whose schema it could not check.
 */
final class RegionMigrations {

  private static final Logger log = LoggerFactory.getLogger(RegionMigrations.class);

  private RegionMigrations() {
  }

  /**
   * Runs {@code migration} for every region of {@code dataSource}, in name order.
   *
   * @param tool      the tool's name, for messages (Flyway, Liquibase)
   * @param migration the migration of the current region's primary; gets the region
   * @throws IllegalStateException naming the region when its primary is unreachable or the migration fails
   */
  static void run(String tool, RegionRoutingDataSource dataSource, Consumer<String> migration) {
    for (String region : new TreeSet<>(dataSource.regions())) {
      TopologyStatus status = dataSource.status();
      if (!status.writeTargets().containsKey(region)) {
        throw new IllegalStateException(tool + " cannot migrate region '" + region + "': its primary is not "
            + "reachable (" + status.writeProblems().getOrDefault(region, "no write target") + "; nodes: "
            + nodes(status, region) + "). Start-up stops so that no region runs on an unchecked schema; "
            + "fix: make the primary of region '" + region + "' reachable (region-router.regions." + region
            + ".nodes), then restart");
      }
      long started = System.nanoTime();
      try (RegionContext.Scope scope = RegionContext.open(region)) {
        migration.accept(region);
      } catch (RuntimeException e) {
        throw new IllegalStateException(tool + " migration of region '" + region + "' failed on its primary '"
            + status.writeTargets().get(region) + "': " + e.getMessage(), e);
      }
      log.info("{} migrated region '{}' on its primary '{}' in {} ms", tool, region,
          status.writeTargets().get(region), (System.nanoTime() - started) / 1_000_000);
    }
  }

  private static String nodes(TopologyStatus status, String region) {
    return status.nodes().stream().filter(n -> n.region().equals(region))
        .map(RegionMigrations::describe).collect(Collectors.joining(", "));
  }

  private static String describe(NodeStatus node) {
    return node.name() + " (" + node.configuredRole().name().toLowerCase(java.util.Locale.ROOT) + ", "
        + (node.up() ? "up" : "down") + node.exclusion().map(r -> ", " + r).orElse("") + ")";
  }
}
