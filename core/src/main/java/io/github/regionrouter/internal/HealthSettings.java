package io.github.regionrouter.internal;

import java.time.Duration;

/**
 * The health levels' settings, apart from {@link RouterConfig} because routing never reads them. Immutable.
 *
 * @param lagGrace       how long a replica may stay over {@code maxReplicaLag} before {@code db} is DOWN
 * @param fullMaxFailing how many failing nodes {@code full} tolerates
 */
public record HealthSettings(Duration lagGrace, int fullMaxFailing) {

  /** The seed's "lag above the bound for more than 60 s". */
  public static final Duration DEFAULT_LAG_GRACE = Duration.ofSeconds(60);
  /** The seed's "roll back if more than 2 fail". */
  public static final int DEFAULT_FULL_MAX_FAILING = 2;
  /** The defaults. */
  public static final HealthSettings DEFAULTS = new HealthSettings(DEFAULT_LAG_GRACE, DEFAULT_FULL_MAX_FAILING);
}
