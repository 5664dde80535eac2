package io.github.regionrouter.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The one operation every connection benchmark measures, so that all of them — baseline included — do the
 * same JDBC calls: {@code getConnection} → ({@code setReadOnly(true)} for a read) →
 * {@code createStatement()} → {@code executeUpdate} for a write, {@code executeQuery} (its result set closed)
 * for a read → {@code close()} → {@code close}.
 *
 * <p>Why an executed statement and not just get-and-close: the router binds a connection to a node lazily, at
 * its first real use (rule 6), so a routed get-and-close borrows nothing from any pool and would look faster
 * than the pool it sits on. Creating one statement makes every variant pay one pool borrow and one pool
 * return, which is what an application pays per unit of work; executing it puts what the router does per
 * execution in the measurement too (a write recorded at its commit; a read's first execution watched so a
 * frozen replica's can be aborted and retried), as a real unit of work does.
 */
final class Cycles {

  private Cycles() {
  }

  /** A write-shaped unit of work: the connection stays read-write. */
  static void write(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      // executed, not only created: the router records a write when it commits (an auto-commit execution
      // returned), so a statement created and closed unexecuted is no write (issue 10)
      st.executeUpdate("UPDATE items SET n = n + 1 WHERE id = 1");
    }
  }

  /**
   * A read-shaped unit of work: read-only before first use, as Spring's {@code readOnly} transactions do, then
   * one query (the stub answers one row without I/O).
   */
  static void read(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT n FROM items WHERE id = 1")) {
        rs.next();
      }
    }
  }
}
