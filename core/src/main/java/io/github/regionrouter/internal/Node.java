package io.github.regionrouter.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.NodeRole;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * One PostgreSQL node as the router holds it: identity, its pool, and the count of connections bound to it.
 * Immutable but for {@link #inUse}.
 */
final class Node {

  final int index;
  final String name;
  final String region;
  final int regionIndex;
  final String location;
  final NodeRole configuredRole;
  /** Where application connections come from. */
  final DataSource pool;
  /** Non-null when this data source created the pool and must close it. */
  final AutoCloseable ownedPool;
  /** How the monitor opens its own probe connection. */
  final ProbeConnector probe;
  /** The physical connections of a pool this data source built; null for a caller's data source. */
  final LiveConnections live;
  /**
   * Connections bound to this node and not yet closed; spreads reads among equally near replicas (power of two
   * choices on a published copy, see {@link InUse} for why not on the live count).
   */
  final InUse inUse = new InUse();
  /**
   * Connections running a read's first statement here: a failure of theirs is retried on another node, so
   * they can be aborted as soon as the node is merely suspected (a poll failed), without waiting for it to be
   * declared down (issue 13: a frozen replica costs a reader one poll timeout, not two).
   */
  final Set<Connection> firstReads = ConcurrentHashMap.newKeySet();
  /**
   * The last failure to reach this node that a configuration change must fix (wrong password, unknown database
   * or host, no driver for the URL), from the monitor's probe or a borrow; null once the node answers again.
   */
  volatile SQLException configProblem;

  Node(int index, NodeConfig config, int regionIndex, DataSource pool, AutoCloseable ownedPool,
      ProbeConnector probe) {
    this(index, config, regionIndex, pool, ownedPool, probe, null);
  }

  Node(int index, NodeConfig config, int regionIndex, DataSource pool, AutoCloseable ownedPool,
      ProbeConnector probe, LiveConnections live) {
    this.live = live;
    this.index = index;
    this.name = config.name();
    this.region = config.region();
    this.regionIndex = regionIndex;
    this.location = config.location();
    this.configuredRole = config.role();
    this.pool = pool;
    this.ownedPool = ownedPool;
    this.probe = probe;
  }

  /** The node was found down: abort its physical connections so no caller hangs on a frozen server. */
  int abortConnections() {
    if (ownedPool instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
      // idle connections to a dead node must not be handed out (HikariCP skips validation within 500 ms of use)
      hikari.getHikariPoolMXBean().softEvictConnections();
    }
    return live == null ? 0 : live.abortAll();
  }

  /** A poll of this node failed: abort the reads whose first statement would be retried elsewhere anyway. */
  int abortFirstReads() {
    int aborted = 0;
    for (Connection c : firstReads) {
      try {
        c.abort(Runnable::run);
        aborted++;
      } catch (SQLException | RuntimeException e) {
        // already closed or aborted: nothing waits on it
      }
    }
    return aborted;
  }

  @Override
  public String toString() {
    return name;
  }
}
