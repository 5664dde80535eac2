package io.github.regionrouter.internal;

import io.github.regionrouter.WritePosition;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one node on the monitor's own connection, on the node's own thread, so that a slow or frozen node
 * delays nobody else. One round trip per poll. Thread-safety: {@link #poll()} runs on one thread at a time;
 * {@link #abort()} may be called from any thread.
 */
final class NodeProbe {

  private static final Logger LOG = LoggerFactory.getLogger(NodeProbe.class);

  /**
   * pg_current_wal_lsn() raises an error during recovery, hence the CASE; one statement, one round trip.
   */
  static final String POLL_SQL = "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() "
      + "THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text";
  private static final String SYSTEM_ID_SQL = "SELECT system_identifier FROM pg_control_system()";

  private final Node node;
  private final int timeoutMillis;
  private volatile Connection connection;
  private long systemId;
  private boolean systemIdWarned;

  NodeProbe(Node node, int timeoutMillis) {
    this.node = node;
    this.timeoutMillis = timeoutMillis;
  }

  Sample poll() {
    long start = System.nanoTime();
    try {
      Connection c = connection;
      if (c == null) {
        c = node.probe.open();
        c.setNetworkTimeout(Runnable::run, timeoutMillis);
        c.setAutoCommit(true);
        connection = c;
        systemId = readSystemId(c);
        start = System.nanoTime();
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(POLL_SQL)) {
        rs.next();
        boolean inRecovery = rs.getBoolean(1);
        String lsn = rs.getString(2);
        long now = System.nanoTime();
        node.configProblem = null;
        return Sample.answered(inRecovery, lsn == null ? 0 : WritePosition.parseLsn(lsn),
            now - start, systemId, now);
      }
    } catch (SQLException | RuntimeException e) {
      abort();
      node.configProblem = e instanceof SQLException se && ConfigProblems.classify(se) != null ? se : null;
      return Sample.failed(isRefused(e), Causes.describe(e), System.nanoTime());
    }
  }

  private long readSystemId(Connection c) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SYSTEM_ID_SQL)) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      if (!systemIdWarned) {
        systemIdWarned = true;
        LOG.info("region-router: node '{}' does not let the monitor read its system identifier ({}); its "
            + "identity is checked by role only", node.name, RoutingDataSource.firstLine(e));
      }
      return 0;
    }
  }

  private static boolean isRefused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** Drops the connection at once (closing the socket unblocks a poll stuck on a frozen node). */
  void abort() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        LOG.debug("region-router: aborting the monitor connection of '{}'", node.name, e);
      }
    }
  }
}
