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
   * The third column is what pins resolve to (see {@link PrimaryPositions}): the <em>insert</em> position,
   * because with {@code synchronous_commit = off} a commit returns before its record is written, so the
   * write position ({@code pg_current_wal_lsn()}) may still be behind it; the insert position never is.
   * Lag keeps using the write position: the insert position of an idle primary can sit past a page header
   * that no replica ever reports as replayed, which would show as lag that never ends.
   */
  static final String POLL_SQL = "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() "
      + "THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text, "
      + "CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_insert_lsn() END::text";
  /** XLOG_BLCKSZ, PostgreSQL's WAL page size (a compile-time constant, 8 kB in every packaged build). */
  private static final long WAL_PAGE = 8192;
  /** SizeOfXLogShortPHD and SizeOfXLogLongPHD: the headers at the start of a WAL page and of a segment. */
  private static final long SHORT_PAGE_HEADER = 24;
  private static final long LONG_PAGE_HEADER = 40;
  private static final String SYSTEM_ID_SQL = "SELECT system_identifier FROM pg_control_system()";

  private final Node node;
  private final int timeoutMillis;
  private final long connectTimeoutMillis;
  private final com.github.benmanes.caffeine.cache.Ticker ticker;
  private volatile Connection connection;
  /** The poll in flight began without a connection: it opens one first (several round trips). */
  private volatile boolean connecting;
  private long systemId;
  private boolean systemIdWarned;

  NodeProbe(Node node, int timeoutMillis, long connectTimeoutMillis,
      com.github.benmanes.caffeine.cache.Ticker ticker) {
    this.node = node;
    this.timeoutMillis = timeoutMillis;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.ticker = ticker;
  }

  /** Whether the poll in flight is opening the monitor's connection (it may take the connect timeout). */
  boolean connecting() {
    return connecting;
  }

  Sample poll() {
    long start = System.nanoTime();
    boolean opening = false;
    try {
      Connection c = connection;
      if (c == null) {
        connecting = true;
        opening = true;
        c = node.probe.open();
        opening = false;
        c.setNetworkTimeout(Runnable::run, timeoutMillis);
        c.setAutoCommit(true);
        connection = c;
        systemId = readSystemId(c);
        start = System.nanoTime();
      }
      // Stamped as late as possible before the statement goes out: a pin may only resolve to a poll whose
      // statement certainly reached the primary after the commit.
      long startedAt = ticker.read();
      long startedAtMillis = System.currentTimeMillis();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(POLL_SQL)) {
        rs.next();
        boolean inRecovery = rs.getBoolean(1);
        String lsn = rs.getString(2);
        String insert = rs.getString(3);
        long now = System.nanoTime();
        node.configProblem = null;
        return Sample.answered(inRecovery, lsn == null ? 0 : WritePosition.parseLsn(lsn),
            now - start, systemId, now, insert == null ? 0 : recordEnd(WritePosition.parseLsn(insert)),
            startedAt, startedAtMillis);
      }
    } catch (SQLException | RuntimeException e) {
      abort();
      node.configProblem = e instanceof SQLException se && ConfigProblems.classify(se) != null ? se : null;
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      // the driver's login timeout ("Connection attempt timed out."): say what it means, as a stuck poll does
      String why = opening && elapsedMillis >= connectTimeoutMillis
          && node.configProblem == null ? "no answer within " + connectTimeoutMillis + "ms (connecting)"
          : Causes.describe(e);
      return Sample.failed(isRefused(e), why, System.nanoTime());
    } finally {
      connecting = false;
    }
  }

  /**
   * The end of the last inserted record. PostgreSQL reports the insert position of an empty page as just
   * past the page's header, where no record ends: a replica that replayed everything reports the page's
   * start. Any record ending after the page's start ends at or past the insert position, so the page start
   * is an exact pin (the server's own XLogBytePosToEndRecPtr makes the same correction).
   */
  static long recordEnd(long insertLsn) {
    long offset = insertLsn % WAL_PAGE;
    return offset == SHORT_PAGE_HEADER || offset == LONG_PAGE_HEADER ? insertLsn - offset : insertLsn;
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
