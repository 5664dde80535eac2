/**
 * Micrometer metrics of the router. Loaded only when a {@code MeterRegistry} is given to the builder, so
 * Micrometer is an optional dependency of {@code region-router-core}.
 */
package io.github.regionrouter.micrometer;
