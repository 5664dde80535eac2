package io.github.regionrouter.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The SQL side of the faults: pausing and resuming WAL replay, promotion, and waiting for a replica to catch up.
 * Each operation uses its own short-lived connection with bounded timeouts.
 *
 * <p>Stateless and thread-safe.
 */
final class ReplicationControl {

  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STATE_CHANGE_TIMEOUT = Duration.ofSeconds(10);
  private static final int PROMOTE_WAIT_SECONDS = 30;

  private ReplicationControl() {
  }

  /**
   * Pauses replay and returns once it has really stopped: {@code pg_wal_replay_pause()} only requests the pause,
   * {@code pg_get_wal_replay_pause_state()} tells when the startup process honoured it (PostgreSQL 14+).
   */
  static void pauseReplay(PgServer replica) {
    run(replica, "pausing replay", SOCKET_TIMEOUT, connection -> {
      execute(connection, "SELECT pg_wal_replay_pause()");
      awaitTrue(connection, "SELECT pg_get_wal_replay_pause_state() = 'paused'", replica, "replay to pause");
    });
  }

  static void resumeReplay(PgServer replica) {
    run(replica, "resuming replay", SOCKET_TIMEOUT, connection -> {
      execute(connection, "SELECT pg_wal_replay_resume()");
      awaitTrue(connection, "SELECT pg_get_wal_replay_pause_state() = 'not paused'", replica, "replay to resume");
    });
  }

  /** Promotes and returns once the server accepts writes. */
  static void promote(PgServer replica) {
    run(replica, "promoting", SOCKET_TIMEOUT.plusSeconds(PROMOTE_WAIT_SECONDS), connection -> {
      boolean promoted;
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT pg_promote(true, " + PROMOTE_WAIT_SECONDS + ")")) {
        promoted = rs.next() && rs.getBoolean(1);
      }
      if (!promoted) {
        throw new TopologyException("node '" + replica.name() + "' did not finish promotion within "
            + PROMOTE_WAIT_SECONDS + " s\n--- last lines of " + replica.logFile() + " ---\n" + replica.logTail());
      }
      awaitTrue(connection, "SELECT NOT pg_is_in_recovery()", replica, "recovery to end");
    });
  }

  /**
   * Waits until the replica has replayed its primary's current WAL position (taken now), that is, every
   * transaction committed on the primary before this call is visible on the replica.
   */
  static void awaitReplayed(PgServer replica, PgServer primary, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String target = call(primary, "reading the WAL position", SOCKET_TIMEOUT, connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
        rs.next();
        return rs.getString(1);
      }
    });
    String sql = "SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, false),"
        + " pg_last_wal_replay_lsn()::text,"
        // Recovery control functions raise SQLState 55000 outside recovery, so only ask a server in recovery.
        + " CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END";
    call(replica, "waiting for replay", SOCKET_TIMEOUT, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setString(1, target);
        while (true) {
          try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
              throw new TopologyException("node '" + replica.name() + "' is not a replica any more (promoted); it"
                  + " does not replay '" + primary.name() + "'");
            }
            if (rs.getBoolean(2)) {
              return null;
            }
            if (System.nanoTime() - deadline > 0) {
              throw new TopologyException("node '" + replica.name() + "' has not replayed '" + primary.name()
                  + "' up to " + target + " within " + timeout.toMillis() + " ms (replayed up to " + rs.getString(3)
                  + ", replay " + rs.getString(4) + ")");
            }
          }
          sleep(10);
        }
      }
    });
  }

  private static void awaitTrue(Connection connection, String sql, PgServer node, String what) throws SQLException {
    long deadline = System.nanoTime() + STATE_CHANGE_TIMEOUT.toNanos();
    try (Statement statement = connection.createStatement()) {
      while (true) {
        try (ResultSet rs = statement.executeQuery(sql)) {
          if (rs.next() && rs.getBoolean(1)) {
            return;
          }
        }
        if (System.nanoTime() - deadline > 0) {
          throw new TopologyException("node '" + node.name() + "': waited " + STATE_CHANGE_TIMEOUT.toSeconds()
              + " s for " + what + " (" + sql + ")");
        }
        sleep(10);
      }
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopologyException("interrupted", e);
    }
  }

  private static <T> T call(PgServer node, String what, Duration socketTimeout, SqlWork<T> work) {
    try (Connection connection = node.connect(socketTimeout)) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new TopologyException(what + " on node '" + node.name() + "' (port " + node.port() + ") failed: "
          + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
    }
  }

  private static void run(PgServer node, String what, Duration socketTimeout, SqlAction action) {
    call(node, what, socketTimeout, connection -> {
      action.apply(connection);
      return null;
    });
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  @FunctionalInterface
  private interface SqlAction {
    void apply(Connection connection) throws SQLException;
  }
}
