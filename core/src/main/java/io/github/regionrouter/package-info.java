/**
 * region-router's public API: {@link io.github.regionrouter.RegionRoutingDataSource}, a drop-in
 * {@link javax.sql.DataSource} that sends each connection to the right PostgreSQL node of the caller's
 * region, and {@link io.github.regionrouter.RegionContext}, which says who is asking and for which region.
 *
 * <p>Writes go to the region's primary and nowhere else; reads go to the nearest healthy, caught-up replica
 * of that region (else its primary); a subject that just wrote reads what it wrote.
 * {@link io.github.regionrouter.RegionRoutingDataSource#health(HealthLevel)} answers the deploy gates
 * ({@link io.github.regionrouter.HealthLevel}) from the monitor's snapshot. Everything else in this
 * module lives in {@code io.github.regionrouter.internal} and is not API.
 */
package io.github.regionrouter;
