/**
 * The independent acceptance suite of the starter: a Boot application written only from DESIGN.md's
 * "Spring Boot starter" section and the README's quick start, configured by their YAML alone (no region-router
 * {@code @Bean}), checked over HTTP against the real topology.
 */
package io.github.regionrouter.spring.acceptance;
