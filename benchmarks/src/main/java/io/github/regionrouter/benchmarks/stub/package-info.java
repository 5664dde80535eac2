/**
 * A JDBC driver that does no I/O ({@code jdbc:stub:<name>}), so that a benchmark measures the pool and the
 * router, not a database or a socket: the same approach as HikariCP's own benchmark ({@code StubDriver},
 * {@code StubConnection}). Every connection answers the calls HikariCP makes when it opens, validates,
 * lends and resets a connection, and the router's one query ({@code SELECT pg_current_wal_insert_lsn()::text}
 * after a write) returns a fixed LSN.
 */
package io.github.regionrouter.benchmarks.stub;
