package io.github.regionrouter.migration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The SQL steps of one batch on an open source and target transaction: select the batch, lock, copy, compare
 * checksums, delete. No policy here: {@link Migration} decides the order and what a failure means.
 */
final class BatchMover {

  /** A row whose checksums differ, or that is on one side only. */
  record Mismatch(String table, String rootKey, String key, String sourceChecksum, String targetChecksum) {
  }

  private record Sum(String rootKey, String md5) {
  }

  private final List<TableSql> tables;
  private final String rootKeyType;
  private final Duration lockTimeout;

  BatchMover(List<TableSql> tables, String rootKeyType, Duration lockTimeout) {
    this.tables = tables;
    this.rootKeyType = rootKeyType;
    this.lockTimeout = lockTimeout;
  }

  List<TableSql> tables() {
    return tables;
  }

  /** The root key's SQL type, e.g. {@code bigint}. */
  String rootKeyType() {
    return rootKeyType;
  }

  /**
   * Starts a transaction on {@code c} with the batch's keys in a temporary table and the output settings the
   * canonical row text depends on (time zone, date and interval styles, float digits, bytea format) fixed, so
   * both servers print the same value the same way.
   */
  void begin(Connection c, String[] rootKeys, boolean source) throws SQLException {
    c.setAutoCommit(false);
    // One round trip (pgjdbc sends the statements together): it counts when the target is an ocean away.
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; "
          + "SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = 'hex'; "
          + (source ? "SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'; " : "")
          + "CREATE TEMP TABLE " + TableSql.BATCH + " (k " + rootKeyType + " PRIMARY KEY) ON COMMIT DROP");
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TableSql.BATCH + " SELECT DISTINCT "
        + "unnest(?::text[])::" + rootKeyType)) {
      ps.setArray(1, c.createArrayOf("text", rootKeys));
      ps.executeUpdate();
    }
  }

  /**
   * Locks every row of the batch on the source, root first: in-flight writes to them finish first, later ones
   * (including new child rows whose foreign key points at a locked root row) wait for this transaction.
   */
  void lock(Connection source) throws SQLException {
    try (Statement s = source.createStatement()) {
      for (TableSql t : tables) {
        s.execute(t.lock());
      }
    }
  }

  /** COPY (binary) of each table from the source into the target transaction; rows copied per table. */
  long[] copy(Connection source, Connection target) throws SQLException {
    CopyManager out = source.unwrap(PGConnection.class).getCopyAPI();
    CopyManager in = target.unwrap(PGConnection.class).getCopyAPI();
    long[] rows = new long[tables.size()];
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
    try {
      for (int i = 0; i < tables.size(); i++) {
        buffer.reset();
        long copied = out.copyOut(tables.get(i).copyOut(), buffer);
        long loaded = in.copyIn(tables.get(i).copyIn(), new ByteArrayInputStream(buffer.toByteArray()));
        if (copied != loaded) {
          throw new SQLException("COPY of " + tables.get(i).table().name() + ": " + copied + " rows out of the "
              + "source but " + loaded + " into the target", "XX000");
        }
        rows[i] = copied;
      }
    } catch (IOException e) {
      throw new SQLException("COPY stream failed: " + e.getMessage(), "08006", e);
    }
    return rows;
  }

  /** Compares the per-row checksums both servers compute; the first difference, or null when all match. */
  Mismatch compare(Connection source, Connection target) throws SQLException {
    for (TableSql t : tables) {
      Map<String, Sum> s = sums(source, t);
      Map<String, Sum> d = sums(target, t);
      for (Map.Entry<String, Sum> e : s.entrySet()) {
        Sum other = d.remove(e.getKey());
        if (other == null || !other.md5().equals(e.getValue().md5())) {
          return new Mismatch(t.table().name(), e.getValue().rootKey(), e.getKey(), e.getValue().md5(),
              other == null ? null : other.md5());
        }
      }
      if (!d.isEmpty()) {
        Map.Entry<String, Sum> extra = d.entrySet().iterator().next();
        return new Mismatch(t.table().name(), extra.getValue().rootKey(), extra.getKey(), null,
            extra.getValue().md5());
      }
    }
    return null;
  }

  /** Row counts of the batch per table, on one side. */
  long[] count(Connection c) throws SQLException {
    long[] rows = new long[tables.size()];
    for (int i = 0; i < tables.size(); i++) {
      rows[i] = sums(c, tables.get(i)).size();
    }
    return rows;
  }

  /**
   * Deletes the batch from the source, children first; returns the table whose deleted count differs from
   * {@code copied} (a row changed under the locks: a column-linked child without a foreign key), or null.
   */
  String delete(Connection source, long[] copied) throws SQLException {
    try (Statement s = source.createStatement()) {
      for (int i = tables.size() - 1; i >= 0; i--) {
        int deleted = s.executeUpdate(tables.get(i).delete());
        if (copied != null && deleted != copied[i]) {
          return tables.get(i).table().name() + ": " + copied[i] + " rows copied but " + deleted
              + " deleted from the source";
        }
      }
    }
    return null;
  }

  private static Map<String, Sum> sums(Connection c, TableSql t) throws SQLException {
    Map<String, Sum> sums = new LinkedHashMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(t.checksums())) {
      while (rs.next()) {
        sums.put(rs.getString(2), new Sum(rs.getString(1), rs.getString(3)));
      }
    }
    return sums;
  }
}
