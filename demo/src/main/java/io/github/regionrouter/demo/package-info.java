/**
 * The runnable multi-region simulation behind the README's first command: three locations ({@code iad},
 * {@code fra}, {@code sin}) joined by latency proxies, real PostgreSQL streaming replication, one app instance per
 * location (embedded Tomcat, {@code RegionRoutingFilter}, {@code RegionRoutingDataSource}), simulated EU, US and
 * Asian users with signed JWTs, the single-region baseline, region-router, and a failure drill. Not published.
 *
 * <p>{@link io.github.regionrouter.demo.DemoMain} is the entry point; {@link io.github.regionrouter.demo.Demo}
 * runs the story and returns a {@link io.github.regionrouter.demo.DemoResult}.
 */
package io.github.regionrouter.demo;
