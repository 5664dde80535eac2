package io.github.regionrouter.migration;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The migration's journal, on the target primary: one row per batch with its root keys, subjects and state.
 * The state that matters for a crash, {@code copied}, is written in the same transaction as the batch's rows,
 * so "the rows are on the target" and "the journal says so" can never disagree.
 *
 * <p>States: {@code fenced} (fence set, nothing committed on the target), {@code copied} (rows committed on
 * the target; the source may still hold them), {@code done}, {@code rolled-back} (a failed batch, undone).
 */
final class Journal {

  static final String TABLE = "region_router.migration_journal";
  static final String FENCED = "fenced";
  static final String COPIED = "copied";
  static final String DONE = "done";
  static final String ROLLED_BACK = "rolled-back";

  /** A batch the journal says is unfinished. */
  record Entry(int batch, String state, String[] rootKeys, String[] subjects) {
  }

  private final String migration;

  Journal(String migration) {
    this.migration = migration;
  }

  static void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS region_router");
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (migration text NOT NULL, batch int NOT NULL, "
          + "state text NOT NULL, from_region text NOT NULL, to_region text NOT NULL, root_keys text[] NOT NULL, "
          + "subjects text[] NOT NULL, rows bigint NOT NULL DEFAULT 0, detail text, "
          + "updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (migration, batch))");
    }
  }

  static boolean exists(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT to_regclass('" + TABLE + "')")) {
      rs.next();
      return rs.getString(1) != null;
    }
  }

  int nextBatch(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(batch), 0) + 1 FROM " + TABLE
        + " WHERE migration = ?")) {
      ps.setString(1, migration);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** The batches left {@code fenced} or {@code copied} by an earlier run, oldest first. */
  List<Entry> unfinished(Connection c) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT batch, state, root_keys, subjects FROM " + TABLE
        + " WHERE migration = ? AND state IN ('" + FENCED + "', '" + COPIED + "') ORDER BY batch")) {
      ps.setString(1, migration);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          entries.add(new Entry(rs.getInt(1), rs.getString(2), strings(rs.getArray(3)), strings(rs.getArray(4))));
        }
      }
    }
    return entries;
  }

  void begin(Connection c, int batch, String from, String to, String[] rootKeys, String[] subjects)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (migration, batch, state, "
        + "from_region, to_region, root_keys, subjects) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, migration);
      ps.setInt(2, batch);
      ps.setString(3, FENCED);
      ps.setString(4, from);
      ps.setString(5, to);
      ps.setArray(6, c.createArrayOf("text", rootKeys));
      ps.setArray(7, c.createArrayOf("text", subjects));
      ps.executeUpdate();
    }
  }

  void mark(Connection c, int batch, String state, long rows, String detail) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET state = ?, rows = greatest(rows, ?), "
        + "detail = ?, updated_at = now() WHERE migration = ? AND batch = ?")) {
      ps.setString(1, state);
      ps.setLong(2, rows);
      ps.setString(3, detail);
      ps.setString(4, migration);
      ps.setInt(5, batch);
      ps.executeUpdate();
    }
  }

  private static String[] strings(Array array) throws SQLException {
    return (String[]) array.getArray();
  }
}
