package io.github.regionrouter;

import io.github.regionrouter.internal.UserText;
import java.sql.SQLNonTransientConnectionException;
import java.util.Set;
import java.util.TreeSet;

/**
 * No connection can be given because the region is missing or not configured (routing rule 1). No pool
 * was touched. SQLState {@code 08001} (the client could not establish a connection); retrying does not
 * help: open a {@link RegionContext} with a configured region, or configure a default region.
 */
public final class UnknownRegionException extends SQLNonTransientConnectionException {

  private static final long serialVersionUID = 1L;

  private final String region;
  private final Set<String> knownRegions;

  /**
   * @param region       the unknown region, or {@code null} when none was given
   * @param knownRegions the configured regions
   */
  public UnknownRegionException(String region, Set<String> knownRegions) {
    super(message(region, knownRegions), "08001");
    this.region = region;
    this.knownRegions = Set.copyOf(knownRegions);
  }

  private static String message(String region, Set<String> known) {
    String knownList = String.join(", ", new TreeSet<>(known));
    if (region == null) {
      return "No region for this connection: no RegionContext is open on this thread and no default region "
          + "is configured (known regions: " + knownList + "). Open RegionContext.open(region, subject) "
          + "around the work, or set defaultRegion on the builder.";
    }
    return "Unknown region " + UserText.quote(region) + " (known regions: " + knownList + "). Check the caller's region "
        + "claim or the RegionContext; no connection was borrowed.";
  }

  /** The region asked for, or {@code null} when none was given. */
  public String region() {
    return region;
  }

  /** The configured regions. */
  public Set<String> knownRegions() {
    return knownRegions;
  }
}
