/**
 * Moving subjects' data to another region, and routing them there at once.
 *
 * <p>{@link io.github.regionrouter.migration.PostgresRegionDirectory} keeps subject → region in PostgreSQL
 * (cached, bounded staleness) and is both the {@link io.github.regionrouter.RegionDirectory} the JWT filter
 * and the starter consult and the {@link io.github.regionrouter.SubjectFence} the routing data source checks.
 * {@link io.github.regionrouter.migration.Migration} moves the rows of a {@link
 * io.github.regionrouter.migration.MigrationPlan} batch by batch: fence, copy, per-row checksums computed by
 * each server, commit on the target, flip the directory, delete from the source; resumable from a journal
 * on the target. {@link io.github.regionrouter.migration.MigrationCli} is the command-line entry point.
 */
package io.github.regionrouter.migration;
