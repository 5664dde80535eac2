package io.github.regionrouter;

import java.util.Optional;

/**
 * Where a subject's data lives now, when that may differ from the region named in their token: a user whose
 * rows were migrated to another region after their token was issued is routed to the new region at once.
 * The JWT filter and the Spring Boot starter consult it <em>after</em> the token was verified; it never
 * stands in for verification. The {@code region-router-migration} module provides one stored in PostgreSQL.
 *
 * <p>Implementations must be thread-safe and fast (they run once per request): cache, with a bounded
 * staleness.
 */
@FunctionalInterface
public interface RegionDirectory {

  /**
   * Returns the region that holds {@code subject}'s data when the directory knows it, or empty to keep the
   * region of the verified claim.
   *
   * @param subject the subject as the router sees it ({@code iss|sub} for JWT callers); never null
   * @return the region, or empty when the directory has no entry for the subject
   */
  Optional<String> regionOf(String subject);
}
