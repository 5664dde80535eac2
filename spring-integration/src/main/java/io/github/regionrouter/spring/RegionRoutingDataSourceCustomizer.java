package io.github.regionrouter.spring;

import io.github.regionrouter.RegionRoutingDataSource;

/**
 * Adjusts the core builder after the {@code region-router.*} properties were applied and before it builds
 * (the starter uses one to hand over the application's {@code MeterRegistry}). Beans of this type are
 * applied in {@link org.springframework.core.annotation.Order} order. Rarely needed by applications.
 */
@FunctionalInterface
public interface RegionRoutingDataSourceCustomizer {

  /**
   * @param builder the builder with the properties applied
   */
  void customize(RegionRoutingDataSource.Builder builder);
}
