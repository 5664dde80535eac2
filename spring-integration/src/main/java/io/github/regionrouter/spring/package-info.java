/**
 * The Spring Boot 4 starter of region-router: add the dependency and {@code region-router.*} properties, and
 * the application's {@code DataSource} is a {@link io.github.regionrouter.RegionRoutingDataSource}; requests
 * get their region from Spring Security's verified JWT or from region-router's JWT filter; Flyway and
 * Liquibase migrate every region's primary; Actuator shows the health levels; {@code @Async} and Reactor keep
 * the region; a request the router refuses answers 503 with {@code Retry-After} (or 401/403 without a region)
 * instead of 500. Properties classes only bind: the core builders validate.
 */
package io.github.regionrouter.spring;
