package io.github.regionrouter.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * Rule 2, "fail fast" and "fenced", at the moment a pool hands a connection to a writer.
 *
 * <ul>
 *   <li><b>Fenced.</b> A connection borrowed for a route to the region's write target is handed over only if, in
 *   the snapshot current <em>after</em> the pool answered, its node is still the region's unique write target.
 *   A writer that waited in the pool of a primary which died, was replaced by a promoted replica and came back
 *   writable gets no connection from it: the monitor had marked it down (or, once it answers again, sees two
 *   writable nodes), so the check fails and the writer is routed again. The check is one volatile read and one
 *   array compare: no round trip. A server-side check ({@code pg_is_in_recovery()}) would not add safety: the
 *   restarted old primary says it is writable, and only the monitor knows a replica was promoted.</li>
 *   <li><b>Fail fast.</b> The wait is cut into slices of at most one monitor interval (50–250 ms). Between slices
 *   the writer re-reads the snapshot: when the monitor or another borrower has marked the node down, it stops
 *   waiting; when the pool's last attempt to connect failed because of the configuration, waiting cannot help
 *   and the timeout goes to the caller. Any other failure of the pool's is not trusted on its own: HikariCP
 *   keeps the last one even after the node is back (and backs off before its next attempt), so trusting it
 *   would take a recovered primary down. Only a pool that is exhausted or recovering on a primary the monitor
 *   sees up keeps a writer waiting, up to the user's {@code connectionTimeout}.</li>
 * </ul>
 *
 * <p>The steady state (an idle connection in the pool) costs exactly what HikariCP's own
 * {@code getConnection()} costs plus the fence check: no clock read, no allocation. Each expired slice
 * counts in HikariCP's {@code hikaricp.connections.timeout} meter. Thread-safe (immutable after construction).
 */
final class WriteFence {

  /** Shortest and longest slice of a wait on a primary's pool. */
  static final long MIN_SLICE_MILLIS = 50;
  static final long MAX_SLICE_MILLIS = 250;

  private final TopologySource topology;
  private final long sliceMillis;
  /** Per node index: the HikariCP pool to borrow from in slices; null for another kind of data source. */
  private final HikariPool[] pools;
  /** Per node index: the user's connectionTimeout, the whole budget of a wait on an exhausted pool. */
  private final long[] budgetMillis;

  WriteFence(Node[] nodes, TopologySource topology, Duration monitorInterval) {
    this.topology = topology;
    this.sliceMillis = slice(monitorInterval);
    this.pools = new HikariPool[nodes.length];
    this.budgetMillis = new long[nodes.length];
    for (Node node : nodes) {
      // a pool built from the node's HikariConfig, or a ready HikariDataSource the caller passed in
      if (node.pool instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() instanceof HikariPool p) {
        pools[node.index] = p;
        budgetMillis[node.index] = hikari.getConnectionTimeout();
      }
    }
  }

  /** One monitor interval, clamped to 50–250 ms: short enough to notice a marked-down node within one. */
  static long slice(Duration monitorInterval) {
    return Math.max(MIN_SLICE_MILLIS, Math.min(MAX_SLICE_MILLIS, monitorInterval.toMillis()));
  }

  /** Whether a route of this reason goes to the region's write target (and must be fenced). */
  static boolean fenced(int reason) {
    return reason == Router.WRITE || reason == Router.PRIMARY_PINNED || reason == Router.PRIMARY_NO_REPLICA;
  }

  /** Whether {@code node} is the unique write target of {@code region} in {@code s}. */
  static boolean admits(TopologySnapshot s, int region, Node node) {
    return s.writeTarget[region] == node.index;
  }

  /**
   * Borrows a connection from the pool of {@code node}, the write target of {@code region} when it was chosen.
   *
   * @throws SQLException the pool's own timeout when the node is misconfigured or the budget is spent; a
   *     {@link SQLTransientConnectionException} without cause when the node stopped being the write target
   *     while the caller waited (route again; the node is not to be marked down for it)
   */
  Connection borrow(Node node, int region) throws SQLException {
    HikariPool pool = pools[node.index];
    if (pool == null) {
      return handOver(node, region, node.pool.getConnection(), 0);
    }
    long budget = budgetMillis[node.index];
    long slice = Math.min(sliceMillis, budget);
    long start = 0;
    while (true) {
      Connection c;
      try {
        c = pool.getConnection(slice);
      } catch (SQLTransientConnectionException timeout) { // HikariCP's "request timed out"
        long now = System.nanoTime();
        if (start == 0) {
          start = now - slice * 1_000_000;
        }
        if (ConfigProblems.classify(timeout.getCause()) != null) {
          throw timeout; // wrong user, database, host or URL: waiting cannot help
        }
        long waited = (now - start) / 1_000_000;
        if (!admits(topology.snapshot(), region, node)) {
          throw notTarget(node, region, waited);
        }
        long left = budget - waited;
        if (left <= 0) {
          throw timeout;
        }
        slice = Math.min(sliceMillis, left);
        continue;
      }
      return handOver(node, region, c, start == 0 ? 0 : (System.nanoTime() - start) / 1_000_000);
    }
  }

  private Connection handOver(Node node, int region, Connection c, long waitedMillis) throws SQLException {
    if (admits(topology.snapshot(), region, node)) {
      return c;
    }
    // The topology changed while the pool was getting this connection: never use it blindly (rule 2).
    HikariPool pool = pools[node.index];
    try {
      if (pool != null) {
        pool.evictConnection(c);
      } else {
        c.close();
      }
    } catch (SQLException | RuntimeException e) {
      // the connection is not used either way
    }
    throw notTarget(node, region, waitedMillis);
  }

  private SQLException notTarget(Node node, int region, long waitedMillis) {
    TopologySnapshot s = topology.snapshot();
    int target = s.writeTarget[region];
    String now = target >= 0 ? "writes now go to '" + s.nodes[target].name + "'"
        : s.writeProblem[region].tag() + ": " + s.writeProblemDetail[region];
    return new SQLTransientConnectionException("node '" + node.name + "' stopped being the write target of region '"
        + node.region + "' while the caller waited " + waitedMillis + "ms for its pool (" + now + "); its connection "
        + "was not handed over", "08001");
  }
}
