package io.github.regionrouter.migration;

import io.github.regionrouter.migration.MigrationPlan.TableSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads each planned table's shape from the catalog of both servers and compares them before any row moves:
 * binary COPY and the per-row checksums both need the same columns with the same types on each side.
 */
final class SchemaCheck {

  /** One column as the catalog describes it. */
  record Column(String name, String type, boolean notNull) {
  }

  /** A table's columns (by name) and primary key columns (in key order); null columns when missing. */
  record TableInfo(List<Column> columns, List<String> primaryKey) {

    String typeOf(String column) {
      for (Column c : columns) {
        if (c.name().equals(column)) {
          return c.type();
        }
      }
      return null;
    }
  }

  private SchemaCheck() {
  }

  /**
   * Compares the plan's tables on both sides.
   *
   * @return the source side's description of every table, root first
   * @throws SchemaMismatchException listing every difference, when there is one
   */
  static Map<TableSpec, TableInfo> verify(MigrationPlan plan, Connection source, String from, Connection target,
      String to) throws SQLException {
    List<String> problems = new ArrayList<>();
    Map<TableSpec, TableInfo> result = new LinkedHashMap<>();
    for (TableSpec t : plan.tables()) {
      TableInfo s = read(source, t.name());
      TableInfo d = read(target, t.name());
      if (s == null || d == null) {
        problems.add("table " + t.name() + " is missing on " + (s == null ? from + " (source)" : "")
            + (s == null && d == null ? " and " : "") + (d == null ? to + " (target)" : ""));
        continue;
      }
      compareColumns(t.name(), s, d, from, to, problems);
      if (s.primaryKey().isEmpty()) {
        problems.add("table " + t.name() + " has no primary key on " + from + ": rows are compared by it");
      } else if (!s.primaryKey().equals(d.primaryKey())) {
        problems.add("table " + t.name() + " primary key " + s.primaryKey() + " on " + from + " but "
            + d.primaryKey() + " on " + to);
      }
      if (s.typeOf(t.column()) == null) {
        problems.add("table " + t.name() + " has no column '" + t.column() + "' (declared in the plan)");
      }
      if (!t.isRoot()) {
        TableInfo parent = result.get(t.parent());
        if (parent != null && parent.typeOf(t.parentColumn()) == null) {
          problems.add("table " + t.parent().name() + " has no column '" + t.parentColumn() + "' (referenced by "
              + t.name() + "." + t.column() + ")");
        } else if (parent != null && !isUnique(source, t.parent().name(), t.parentColumn())) {
          problems.add("column " + t.parent().name() + "." + t.parentColumn() + " (referenced by " + t.name() + "."
              + t.column() + ") is not unique on " + from + ": a child row would be copied once per match");
        }
      }
      result.put(t, s);
    }
    if (!problems.isEmpty()) {
      throw new SchemaMismatchException(from, to, problems);
    }
    return result;
  }

  private static void compareColumns(String table, TableInfo s, TableInfo d, String from, String to,
      List<String> problems) {
    Map<String, Column> target = new LinkedHashMap<>();
    d.columns().forEach(c -> target.put(c.name(), c));
    for (Column c : s.columns()) {
      Column other = target.remove(c.name());
      if (other == null) {
        problems.add("table " + table + " column '" + c.name() + "' " + c.type() + " exists on " + from
            + " but not on " + to);
      } else if (!c.type().equals(other.type())) {
        problems.add("table " + table + " column '" + c.name() + "' is " + c.type() + " on " + from + " but "
            + other.type() + " on " + to);
      } else if (c.notNull() != other.notNull()) {
        problems.add("table " + table + " column '" + c.name() + "' is " + (c.notNull() ? "NOT NULL" : "nullable")
            + " on " + from + " but " + (other.notNull() ? "NOT NULL" : "nullable") + " on " + to);
      }
    }
    for (Column c : target.values()) {
      problems.add("table " + table + " column '" + c.name() + "' " + c.type() + " exists on " + to + " but not on "
          + from);
    }
  }

  static TableInfo read(Connection c, String table) throws SQLException {
    String regclass = MigrationPlan.quoteQualified(table);
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
        + "a.attnotnull FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 "
        + "AND NOT a.attisdropped ORDER BY a.attname")) {
      ps.setString(1, regclass);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(new Column(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
        }
      }
    }
    if (columns.isEmpty()) {
      return null;
    }
    List<String> pk = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
        + "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) "
        + "AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
      ps.setString(1, regclass);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pk.add(rs.getString(1));
        }
      }
    }
    return new TableInfo(List.copyOf(columns), List.copyOf(pk));
  }

  private static boolean isUnique(Connection c, String table, String column) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a "
        + "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?) "
        + "AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND a.attname = ?)")) {
      ps.setString(1, MigrationPlan.quoteQualified(table));
      ps.setString(2, Objects.requireNonNull(column));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
