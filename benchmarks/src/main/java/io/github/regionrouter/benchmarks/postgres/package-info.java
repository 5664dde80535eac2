/**
 * The router on real PostgreSQL: an interleaved harness that runs each operation through a raw HikariCP pool
 * and through the router to the same node, op by op, over the test topology's latency proxy, and reports
 * routed/raw ratios and round trips per operation.
 */
package io.github.regionrouter.benchmarks.postgres;
