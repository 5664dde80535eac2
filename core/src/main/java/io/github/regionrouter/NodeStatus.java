package io.github.regionrouter;

import java.time.Duration;
import java.util.Optional;

/**
 * What the router knows of one node at one moment. Part of {@link TopologyStatus}; immutable.
 *
 * @param name             the node's configured name
 * @param region           the region whose data it holds
 * @param location         where it runs
 * @param configuredRole   the role it was configured with
 * @param observedRole     the role the monitor last saw ({@link NodeRole#UNKNOWN} if none)
 * @param up               whether the node is answering
 * @param lagTime          replication lag in time (replicas), {@code null} when unknown; zero for primaries
 * @param lagBytes         replication lag in WAL bytes (replicas), -1 when unknown; zero for primaries
 * @param rtt              moving average of the monitor's round trip, {@code null} before the first answer
 * @param walPosition      the newest WAL position seen: current position of a primary, replay position of a
 *                         replica; {@link WritePosition#UNKNOWN_LSN} when unknown
 * @param readEligible     whether reads may go to it now (replicas only; a primary serves reads only as
 *                         the fallback)
 * @param writeTarget      whether it is its region's write target now
 * @param inUse            connections the router has bound to it and not yet closed
 * @param excludedReason   why it is not serving (down, lagging, quarantined, …), or {@code null}
 */
public record NodeStatus(
    String name,
    String region,
    String location,
    NodeRole configuredRole,
    NodeRole observedRole,
    boolean up,
    Duration lagTime,
    long lagBytes,
    Duration rtt,
    long walPosition,
    boolean readEligible,
    boolean writeTarget,
    int inUse,
    String excludedReason) {

  /** The reason the node is excluded, if it is. */
  public Optional<String> exclusion() {
    return Optional.ofNullable(excludedReason);
  }
}
