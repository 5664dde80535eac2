package io.github.regionrouter.demo;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionUnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The demo's API, what a small team's service does per request: plain JDBC on whatever {@link DataSource} the
 * instance was given, in the region and subject the {@code RegionRoutingFilter} put in the {@link RegionContext}.
 *
 * <ul>
 *   <li>{@code POST /api/notes} (body: text) → 201, body = the new note's id (a write: auto-commit INSERT).</li>
 *   <li>{@code POST /api/notes/form} → 303 to {@code /api/notes/<id>}: the browser's post-redirect-get.</li>
 *   <li>{@code GET /api/notes/<id>} → 200 with the text, 404 if this user has no such note (a read).</li>
 *   <li>{@code GET /api/notes} → 200 with the number of notes of this user (a read).</li>
 * </ul>
 *
 * <p>A read that fails with a connection-class error (SQLState 08: its node died under it) is retried, at most
 * twice, as an idempotent GET may be; every retry is counted and reported, so nothing is hidden. A refusal of
 * the router is not retried (it is the answer), and writes are never retried. A refusal of the router
 * ({@code RegionUnavailableException}) and other class 08 failures answer 503 with the router's message, anything
 * else 500.
 *
 * <p>Thread-safe: stateless apart from the retry counter.
 */
final class ApiServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** Retries of a read after a connection-class failure; each one is counted. */
  static final int READ_RETRIES = 2;
  private static final long RETRY_PAUSE_MILLIS = 250;

  private final transient DataSource dataSource;
  private final String table;
  private final transient LongAdder readRetries;

  ApiServlet(DataSource dataSource, String table, LongAdder readRetries) {
    this.dataSource = dataSource;
    this.table = table;
    this.readRetries = readRetries;
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    RegionContext context = RegionContext.currentOrNull();
    if (context == null || context.subjectOrNull() == null) {
      send(resp, 401, "no verified subject for " + req.getRequestURI());
      return;
    }
    String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    long id;
    try (Connection c = dataSource.getConnection();
         PreparedStatement st = c.prepareStatement("INSERT INTO " + table
             + " (subject, region, body) VALUES (?, ?, ?) RETURNING id")) {
      st.setString(1, context.subjectOrNull());
      st.setString(2, context.region());
      st.setString(3, body);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    } catch (SQLException e) {
      fail(resp, "write", e);
      return;
    }
    if (path.equals("/form")) {
      resp.setStatus(303);
      resp.setHeader("Location", req.getContextPath() + req.getServletPath() + "/" + id);
      resp.setContentLength(0);
    } else if (path.isEmpty()) {
      resp.setStatus(201);
      send(resp, 201, Long.toString(id));
    } else {
      send(resp, 404, "no such resource: " + req.getRequestURI());
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    RegionContext context = RegionContext.currentOrNull();
    if (context == null || context.subjectOrNull() == null) {
      send(resp, 401, "no verified subject for " + req.getRequestURI());
      return;
    }
    long id = -1;
    if (!path.isEmpty()) {
      try {
        id = Long.parseLong(path.substring(1));
      } catch (NumberFormatException e) {
        send(resp, 404, "no such resource: " + req.getRequestURI());
        return;
      }
    }
    try {
      String answer = readWithRetries(context.subjectOrNull(), id);
      if (answer == null) {
        send(resp, 404, "no note " + id + " for this user");
      } else {
        send(resp, 200, answer);
      }
    } catch (SQLException e) {
      fail(resp, "read", e);
    }
  }

  /**
   * Runs the read, and again (at most {@value #READ_RETRIES} times) when it failed with a connection-class error:
   * a pooled connection to a node that has just died fails at its first statement, and so may the next one
   * from the same pool until the router has taken the node out (after the first failure, or within a monitor
   * interval); the second retry therefore waits one interval.
   */
  private String readWithRetries(String subject, long id) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try {
        return read(subject, id);
      } catch (SQLException e) {
        if (!isConnectionClass(e) || e instanceof RegionUnavailableException || attempt == READ_RETRIES) {
          throw e;
        }
        readRetries.increment();
        if (attempt > 0) {
          try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }
  }

  /** The note's text ({@code id >= 0}) or the number of notes, on a read-only connection; null if none. */
  private String read(String subject, long id) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      if (id >= 0) {
        try (PreparedStatement st = c.prepareStatement("SELECT body FROM " + table
            + " WHERE id = ? AND subject = ?")) {
          st.setLong(1, id);
          st.setString(2, subject);
          try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
          }
        }
      }
      try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE subject = ?")) {
        st.setString(1, subject);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return Long.toString(rs.getLong(1));
        }
      }
    }
  }

  private static boolean isConnectionClass(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("08");
  }

  private static void fail(HttpServletResponse resp, String what, SQLException e) throws IOException {
    // The router's messages name region, reason and nodes but never a URL or credential, so they may be shown.
    String message = e instanceof RegionUnavailableException refused
        ? what + " refused (" + refused.reason().tag() + "): " + e.getMessage()
        : what + " failed: " + e.getClass().getSimpleName() + " [" + e.getSQLState() + "] " + e.getMessage();
    send(resp, isConnectionClass(e) ? 503 : 500, message.replace('\n', ' '));
  }

  private static void send(HttpServletResponse resp, int status, String text) throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    resp.setStatus(status);
    resp.setContentType("text/plain;charset=UTF-8");
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }
}
