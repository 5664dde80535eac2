package io.github.regionrouter.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The physical connections of one node's HikariCP pool, opened through the JDBC driver like HikariCP's own
 * {@code DriverDataSource}, but remembered, so that when the node is found frozen or dead every one of
 * them — in use included — can be aborted at once. A query stuck on a SIGSTOPped server then fails with a
 * class 08 error (rule 7) instead of hanging until TCP gives up; nothing is added to the per-borrow path,
 * because only connection creation (rare) touches this class. Thread-safe.
 */
final class LiveConnections implements DataSource {

  private final String url;
  private final Properties properties;
  private final String driverClassName;
  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private volatile Driver driver;
  private volatile int loginTimeoutSeconds = 5;

  LiveConnections(String url, Properties properties, String driverClassName) {
    this.url = url;
    this.properties = properties;
    this.driverClassName = driverClassName;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return open(properties);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    if (username != null) {
      p.setProperty("user", username);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return open(p);
  }

  private Connection open(Properties p) throws SQLException {
    Connection c = driver().connect(url, p);
    if (c == null) {
      throw new SQLException(ConfigProblems.NO_DRIVER + JdbcUrls.redact(url), "08001");
    }
    live.removeIf(LiveConnections::isClosed);
    live.add(c);
    return c;
  }

  private Driver driver() throws SQLException {
    Driver d = driver;
    if (d == null) {
      d = driverClassName == null ? DriverManager.getDriver(url) : JdbcProbe.load(driverClassName);
      driver = d;
    }
    return d;
  }

  /** Aborts every open connection: their sockets close, blocked statements fail at once. */
  int abortAll() {
    int aborted = 0;
    for (Connection c : live) {
      live.remove(c);
      if (!isClosed(c)) {
        try {
          c.abort(Runnable::run);
          aborted++;
        } catch (SQLException | RuntimeException e) {
          // already broken: nothing to release
        }
      }
    }
    return aborted;
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
  }

  /**
   * HikariCP sets this to its connectionTimeout (in seconds, at least 1). The driver keeps its own setting; the
   * value matters at {@code close()}: HikariCP waits this long for a connection being added to finish, and
   * with 0 it did not wait at all and logged "Timed-out waiting for add connection executor to shutdown" for
   * every pool closed while it was still filling up to minimumIdle (a freshly started data source).
   */
  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
