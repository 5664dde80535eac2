/**
 * The runnable multi-region simulation behind the README's first command: three locations ({@code iad},
 * {@code fra}, {@code sin}) joined by latency proxies, real PostgreSQL streaming replication, one app instance per
 * location (a Spring Boot app configured by {@code region-router.*} properties only, through the starter),
 * simulated EU, US and Asian users with signed JWTs, the single-region baseline, region-router, and a failure
 * drill. Not published.
 *
 * <p>{@link io.github.regionrouter.demo.DemoMain} is the entry point; {@code Demo} runs the story and returns a
 * {@code DemoResult}; {@link io.github.regionrouter.demo.DemoApp} is the application each instance runs.
 */
package io.github.regionrouter.demo;
