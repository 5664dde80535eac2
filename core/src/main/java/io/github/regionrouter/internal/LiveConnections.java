package io.github.regionrouter.internal;

import java.io.PrintWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The physical connections of one node's HikariCP pool, opened through the JDBC driver like HikariCP's own
 * {@code DriverDataSource}, but remembered, so that when the node is found frozen or dead every one of
 * them — in use included — can be aborted at once. A query stuck on a SIGSTOPped server then fails with a
 * class 08 error (rule 7) instead of hanging until TCP gives up; nothing is added to the per-borrow path,
 * because only connection creation (rare) touches this class.
 *
 * <p>It also keeps what the monitor knows of the node, so that HikariCP's alive check of an idle connection
 * can be answered without a round trip while the monitor vouches for the node (see {@link VouchedConnection},
 * which is what HikariCP gets): until when the node's polls vouch for it, and when the last trouble
 * (a failed poll, the node taken down, its connections aborted) was seen. Thread-safe.
 */
final class LiveConnections implements DataSource {

  /**
   * How long after a connection was last active the monitor's word may stand for a check of it: 20 s, below
   * the idle timeouts of NATs and load balancers (minutes) and below HikariCP's shortest keepalive (30 s less
   * its 10 % jitter), so a keepalive still reaches the server.
   */
  static final long VOUCH_MAX_AGE_NANOS = 20_000_000_000L;
  /** HikariCP's transaction isolation "not known" (its {@code PoolBase.UNINITIALIZED}); no JDBC level. */
  static final int UNKNOWN_ISOLATION = -1;
  private static final MethodHandle NONE = null;

  private final String url;
  private final Properties properties;
  private final String driverClassName;
  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private volatile Driver driver;
  private volatile int loginTimeoutSeconds = 5;
  /** Until when (System.nanoTime) the monitor vouches for the node; 0 when it does not. */
  private volatile long vouchedUntilNanos;
  /** When the monitor last harvested an answered poll of the node: a clock connections read for free. */
  private volatile long lastPollNanos = System.nanoTime();
  /** When the monitor last saw trouble with the node; connections last active before it get a real check. */
  private volatile long troubleNanos = System.nanoTime();
  /** pgjdbc's {@code PGConnection.getNotifications()} for the driver's connections, or null for another driver. */
  private volatile MethodHandle pending;
  private volatile boolean pendingResolved;
  private final LongAdder vouched = new LongAdder();
  /** The node's default transaction isolation, read from its first connection; -1 until then. */
  private volatile int defaultIsolation = UNKNOWN_ISOLATION;

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
    long opened = System.nanoTime();
    live.removeIf(LiveConnections::isClosed);
    live.add(c); // before the read below: a node found frozen meanwhile aborts it too
    if (defaultIsolation == UNKNOWN_ISOLATION) {
      learnDefaultIsolation(c);
    }
    if (!pendingResolved) {
      pending = notificationsOf(c);
      pendingResolved = true;
    }
    return new VouchedConnection(c, this, opened);
  }

  /**
   * Reads the node's default isolation on a fresh connection, before HikariCP sees it (one round trip, until it
   * has succeeded once), so that {@link VouchedConnection#setTransactionIsolation} can stand in for the level
   * HikariCP failed to learn: no connection is handed over before it is known. One that fails this read with
   * class 08 is closed and its creation fails (HikariCP retries later). Another failure (a driver without the
   * method) leaves the connection to HikariCP, which judges it as it always did.
   */
  private void learnDefaultIsolation(Connection c) throws SQLException {
    try {
      defaultIsolation = c.getTransactionIsolation();
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        try {
          c.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
    }
  }

  /** The node's default transaction isolation, or {@link #UNKNOWN_ISOLATION} before a connection told it. */
  int defaultIsolation() {
    return defaultIsolation;
  }

  /**
   * The monitor's poll of the node answered: it vouches for the node until {@code untilNanos}, by when its
   * next poll will have answered or been counted as failed.
   */
  void vouchUntil(long nowNanos, long untilNanos) {
    lastPollNanos = nowNanos;
    vouchedUntilNanos = untilNanos;
  }

  /** When the monitor last found the node answering (a coarse clock: earlier than now by up to an interval). */
  long lastPollNanos() {
    return lastPollNanos;
  }

  /** A poll failed, or the node was taken down: no connection last active before now is vouched for. */
  void trouble() {
    vouchedUntilNanos = 0;
    troubleNanos = System.nanoTime();
  }

  /**
   * Whether the monitor's word stands for a connection last active at {@code activeNanos}: it vouches for the node
   * now, saw no trouble since, and that was less than {@link #VOUCH_MAX_AGE_NANOS} ago.
   */
  boolean vouchesFor(long activeNanos, long nowNanos) {
    return vouchedUntilNanos - nowNanos > 0 && troubleNanos - activeNanos < 0
        && nowNanos - activeNanos < VOUCH_MAX_AGE_NANOS;
  }

  /**
   * Whether the server sent nothing on an idle connection of pgjdbc: {@code getNotifications()} reads what
   * the socket already holds — a FATAL message (the backend was terminated, timed out or shut down) throws —
   * and returns at once when nothing is there (pgjdbc peeks the socket for at most 1 ms, at most once a
   * second per connection); a notice it read (an immediate shutdown's) shows as a warning. False for another driver: its connections always get the real check.
   * A {@code NOTIFY} for a {@code LISTEN} left on a pooled connection is consumed here, as a check by query
   * would also have consumed it into the driver's queue; such a connection gets a real check.
   */
  boolean nothingPending(Connection c) {
    MethodHandle h = pending;
    if (h == NONE) {
      return false;
    }
    try {
      Object notifications = h.invoke(c);
      // An immediate shutdown or a crash sends no FATAL, only a notice ("terminating connection due to immediate
      // shutdown command") before the socket closes; pgjdbc files a notice as a warning on the connection.
      // HikariCP clears warnings when a connection is returned, so any warning here came while it sat idle.
      return (notifications == null || Array.getLength(notifications) == 0) && c.getWarnings() == null;
    } catch (Throwable e) { // an SQLException from the FATAL message, or the connection already broken
      return false;
    }
  }

  /** Counts an alive check answered without a round trip. */
  void vouched() {
    vouched.increment();
  }

  /** Alive checks answered without a round trip so far (tests, diagnostics). */
  long vouchedChecks() {
    return vouched.sum();
  }

  /**
   * pgjdbc's public {@code PGConnection.getNotifications()}, found by name once per node because core does not
   * compile against pgjdbc (any driver may sit behind a node); null when the connection is not pgjdbc's.
   */
  private static MethodHandle notificationsOf(Connection c) {
    try {
      Class<?> pg = Class.forName("org.postgresql.PGConnection", false, c.getClass().getClassLoader());
      if (!c.isWrapperFor(pg)) {
        return NONE;
      }
      MethodHandle getNotifications = MethodHandles.publicLookup().unreflect(pg.getMethod("getNotifications"));
      return pg.isInstance(c) ? getNotifications : NONE;
    } catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError e) {
      return NONE;
    }
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
    trouble();
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
