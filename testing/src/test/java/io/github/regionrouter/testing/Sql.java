package io.github.regionrouter.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One-line JDBC for tests. */
final class Sql {

  private Sql() {
  }

  static void execute(PostgresTopology topology, String node, String sql) throws SQLException {
    try (Connection connection = topology.connect(node); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  static String queryString(PostgresTopology topology, String node, String sql) throws SQLException {
    try (Connection connection = topology.connect(node)) {
      return queryString(connection, sql);
    }
  }

  static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      if (!rs.next()) {
        throw new AssertionError("no row from " + sql);
      }
      return rs.getString(1);
    }
  }

  static long queryLong(PostgresTopology topology, String node, String sql) throws SQLException {
    return Long.parseLong(queryString(topology, node, sql));
  }
}
