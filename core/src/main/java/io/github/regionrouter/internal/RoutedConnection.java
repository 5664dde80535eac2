package io.github.regionrouter.internal;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.ReplicaWriteException;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection that binds to a node at its first real use (rule 6), so that {@code setReadOnly} — from
 * plain JDBC or from Spring's transaction managers — decides whether a replica may serve it, and that
 * <em>re-binds</em> at a transaction boundary when the read-only mode changes (open-session-in-view, JPA's
 * {@code EntityManager} per request). The decisions live in {@link BindingState}; this class borrows, applies
 * settings and delegates. It extends {@link BindingState} rather than holding one: one object less per
 * connection (JMH, issue 13), while the state machine keeps its own class and unit tests.
 *
 * <p>Settings (auto-commit, isolation, catalog, schema, holdability, client info, network timeout) are
 * remembered and applied to every physical connection it binds. What cannot follow a re-bind — open
 * statements, session {@code SET}s, temporary tables, session advisory locks, {@code LISTEN},
 * {@code PREPARE}, cursors {@code WITH HOLD}, an unwrapped driver connection — keeps the connection where it
 * is (see {@link BindingState}).
 *
 * <p>A connection with no region (rule 9) answers metadata from an up node of the local location and
 * refuses every statement with {@code UnknownRegionException}.
 *
 * <p>Statements are {@link RoutedStatement} wrappers: an execution that may write on a writable primary is
 * reported to the data source when it commits ({@link RoutingDataSource#committed}), and a read's first
 * execution that fails with a connection error is run again on the next candidate (rule 7).
 * Not thread-safe, like any JDBC connection.
 */
final class RoutedConnection extends BindingState implements Connection {

  private static final Logger LOG = LoggerFactory.getLogger(RoutedConnection.class);
  /** How each statement shape is created anew on another node for a retry: non-capturing, so shared. */
  private static final RoutedStatement.Creator CREATE = (c, sql) -> c.createStatement();
  private static final RoutedStatement.Creator PREPARE = Connection::prepareStatement;
  private static final RoutedStatement.Creator CALL = Connection::prepareCall;

  private final RoutingDataSource ds;
  /** The region index, or -1: no region (rule 9), metadata only. */
  private final int region;
  private final RegionContext context;

  // settings, applied to every physical connection bound
  private boolean autoCommitSet;
  private boolean readOnlySet;
  /**
   * The settings few callers make (isolation, catalog, schema, holdability, client info, network timeout), created
   * at the first of them: kept inline they made every connection 24 bytes bigger (JMH, issue 13).
   */
  private Settings settings;

  // the binding
  private Connection physical;
  private Node node;
  /** The read-only mode last applied to {@link #physical}. */
  private boolean physicalReadOnly;
  private boolean closed;

  RoutedConnection(RoutingDataSource ds, int region, RegionContext context) {
    this.ds = ds;
    this.region = region;
    this.context = context;
  }

  // ---------------------------------------------------------------- binding

  /** The bound connection for a use that is not a statement (metadata, savepoint release…): binds if needed. */
  private Connection bind() throws SQLException {
    Connection c = physical;
    if (c != null) {
      return c;
    }
    checkOpen();
    return region < 0 ? bindWithoutRegion() : bindTo(0L);
  }

  /** The bound connection for a statement: binds, re-binds at a boundary, or refuses (rules 1, 6, 9). */
  private Connection forStatement() throws SQLException {
    checkOpen();
    if (region < 0) {
      throw ds.noRegion();
    }
    switch (next()) {
      case BIND:
        return bindTo(0L);
      case REBIND:
        release();
        return bindTo(0L);
      case REFUSE:
        String held = pinnedBy();
        throw new ReplicaWriteException("connection is bound to replica '" + node.name + "' of region '"
            + node.region + "' and was then asked to write (setReadOnly(false)) "
            + (held == null ? "inside an open transaction" : "while it holds " + held)
            + "; call setReadOnly(false) before the first statement, or use a new connection for the write");
      default:
        if (physicalReadOnly != readOnly()) {
          physical.setReadOnly(readOnly());
          physicalReadOnly = readOnly();
        }
        return physical;
    }
  }

  /** Chooses a node for the current mode, skipping the nodes in {@code excluded}, and binds to it. */
  private Connection bindTo(long excluded) throws SQLException {
    boolean readOnly = readOnly();
    long pin = readOnly ? ds.pinFor(region, context) : Router.NO_PIN;
    List<SQLException> failures = null;
    while (true) {
      TopologySnapshot s = ds.snapshot();
      // the random draw spreads reads among replicas; a write has one target and needs none (JMH, issue 13: the
      // thread-local random was ~8 % of a routed write's CPU samples)
      int route = Router.choose(s, region, readOnly, pin, excluded, ds.latencyWindowNanos,
          readOnly ? spreadHint() : 0);
      route = ds.awaitReplica(s, region, route, pin, excluded, context); // rule 4's bounded wait
      if (route < 0) {
        throw ds.unavailable(s, region, readOnly, failures == null ? List.of() : failures);
      }
      Node candidate = s.nodes[Router.node(route)];
      Connection c;
      try {
        c = borrow(candidate, route);
      } catch (SQLException e) {
        // Rule 7: at bind time a failing node costs the caller nothing but the wait; try the next one.
        ds.borrowFailed(candidate, e);
        excluded |= 1L << candidate.index;
        if (failures == null) {
          failures = new ArrayList<>(2);
        }
        failures.add(e);
        continue;
      }
      attach(c, candidate, Router.reason(route));
      return c;
    }
  }

  /**
   * Borrows a physical connection from the pool of the chosen node: the one place where a connection is
   * handed over to this routed connection (the write fence of rule 2 belongs here).
   */
  private Connection borrow(Node candidate, int route) throws SQLException {
    Connection c = ds.borrow(candidate, region, Router.reason(route)); // fenced for the write target (rule 2)
    if (ds.validateReplicas && isReplicaRoute(Router.reason(route))) {
      ds.validate(candidate, c);
    }
    return c;
  }

  /** Rule 9: no region, so only what reads no user data, from an up node near this instance. */
  private Connection bindWithoutRegion() throws SQLException {
    Node n = ds.metadataNode();
    Connection c = n.pool.getConnection();
    attach(c, n, Router.PRIMARY_NO_REPLICA);
    return c;
  }

  private void attach(Connection c, Node candidate, int routeReason) throws SQLException {
    try {
      applySettings(c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    candidate.inUse.increment();
    physical = c;
    node = candidate;
    physicalReadOnly = readOnly();
    bound(isReplicaRoute(routeReason));
    ds.metrics.connection(candidate.index, routeReason);
  }

  /** Gives the physical connection back to its pool (at a boundary: nothing of a transaction is lost). */
  private void release() throws SQLException {
    Connection c = physical;
    physical = null;
    unbound();
    node.inUse.decrement();
    c.close();
  }

  /**
   * The random number {@link Router#choose} draws its two choices with (rule 3's spread among equally near
   * replicas): the thread's own {@link ThreadLocalRandom}, so drawing shares nothing between threads and
   * allocates nothing.
   */
  private static int spreadHint() {
    return ThreadLocalRandom.current().nextInt();
  }

  private void applySettings(Connection c) throws SQLException {
    if (autoCommitSet && c.getAutoCommit() != autoCommit()) {
      c.setAutoCommit(autoCommit());
    }
    if (readOnlySet) {
      c.setReadOnly(readOnly());
    }
    if (settings != null) {
      settings.applyTo(c);
    }
  }

  /** The rarely made settings, created at the first. */
  private Settings settings() {
    Settings s = settings;
    if (s == null) {
      s = new Settings();
      settings = s;
    }
    return s;
  }

  /** What {@link #settings} holds; -1 and null mean "not set". */
  private static final class Settings {
    int isolation = -1;
    String catalog;
    String schema;
    int holdability = -1;
    Properties clientInfo;
    Executor networkTimeoutExecutor;
    int networkTimeout = -1;

    void applyTo(Connection c) throws SQLException {
      if (isolation >= 0) {
        c.setTransactionIsolation(isolation);
      }
      if (catalog != null) {
        c.setCatalog(catalog);
      }
      if (schema != null) {
        c.setSchema(schema);
      }
      if (holdability >= 0) {
        c.setHoldability(holdability);
      }
      if (clientInfo != null) {
        c.setClientInfo(clientInfo);
      }
      if (networkTimeout >= 0) {
        c.setNetworkTimeout(networkTimeoutExecutor, networkTimeout);
      }
    }
  }

  private static boolean isReplicaRoute(int reason) {
    return reason == Router.READ || reason == Router.READ_PINNED || reason == Router.READ_DEGRADED;
  }

  // ---------------------------------------------------------------- executions (called by RoutedStatement)

  /**
   * Runs one execution of {@code st}: classifies it (rule 4: may it write? does it leave session state?),
   * retries a read's first execution on the next candidate when the replica failed (rule 7, issue 13), and
   * reports a write as soon as it is known committed.
   */
  Object execute(RoutedStatement st, int op, String sql, Object arg) throws SQLException {
    // Whether the text is a plain select matters only where a write would be recorded (or fenced): read-only or
    // on a replica, a query is counted as "not known plain" and its text waits for the lazy session-state scan,
    // like any other statement's. JMH (issue 13): the scan was a quarter of a routed read's CPU.
    boolean writable = writable();
    boolean plainSelect = writable && RoutedStatement.isQuery(op) && SqlShape.isPlainSelect(sql);
    if (ds.subjectFence != null && !plainSelect && context != null && writable) {
      checkSubjectFence(); // before it runs: a refused execution never reached the server
    }
    boolean retryable = firstStatementRetryable() && st.replayable();
    Object result;
    Node watched = retryable ? node : null;
    Connection running = physical;
    int watch = watched == null ? Node.OVERFLOW : watched.watchFirstRead(running);
    try {
      result = st.run(op, sql, arg);
    } catch (SQLException e) {
      if (watched != null) {
        watched.unwatchFirstRead(watch, running);
        watched = null;
      }
      if (!(retryable && isConnectionFailure(e))) {
        // lost mid-statement: an auto-commit write may have committed, so it counts; any other failure did not
        if (executed(!plainSelect && isConnectionFailure(e), null)) {
          ds.committedUncertain(region, context);
        }
        throw e;
      }
      result = retry(st, op, sql, arg, e);
    } finally {
      if (watched != null) {
        watched.unwatchFirstRead(watch, running);
      }
    }
    if (plainSelect ? executed(false, null) : executedText(true, sql)) {
      ds.committed(region, context);
    }
    return result;
  }

  /**
   * A migration may be moving this subject out of the region (see {@link io.github.regionrouter.SubjectFence}).
   * Checked at every execution that may write, not once per connection or statement: a connection bound, or a
   * statement prepared, before the fence must not write to the old region after it either.
   */
  private void checkSubjectFence() throws SQLException {
    String subject = context.subjectOrNull();
    if (subject != null) {
      ds.subjectFence.checkWrite(node.region, subject);
    }
  }

  /** The replica failed a read's first execution: take it out, bind the next candidate, replay, run again. */
  private Object retry(RoutedStatement st, int op, String sql, Object arg, SQLException first)
      throws SQLException {
    long excluded = 0;
    SQLException failure = first;
    for (int attempt = 0; attempt < ds.nodes.length; attempt++) {
      Node failed = node;
      LOG.debug("region-router: a read's first statement failed on '{}' ({}); running it on the next candidate",
          failed.name, failure.getSQLState());
      ds.statementFailed(failed, failure);
      excluded |= 1L << failed.index;
      release();
      try {
        Connection next = bindTo(excluded);
        statementOpened(); // the statement moves with the connection
        st.recreateOn(next);
        return st.run(op, sql, arg);
      } catch (SQLException e) {
        if (!firstStatementRetryable() || !isConnectionFailure(e)) {
          e.addSuppressed(first);
          throw e;
        }
        failure = e;
      }
    }
    throw failure;
  }

  /**
   * Class 08 (connection exception) or 57P01–57P03 (the server is shutting down or starting): the node, not
   * the statement, failed.
   */
  private static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P0"));
  }

  /**
   * A statement was just created on the bound connection: counts it, and answers whether its first execution
   * may be retried elsewhere (then it records its calls, and needs a way to be created anew).
   */
  private boolean opened() {
    statementOpened();
    return firstStatementRetryable();
  }

  // ---------------------------------------------------------------- state with behaviour

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    readOnlySet = true;
    readOnly(readOnly);
    // Applied at the next statement (forStatement), which may re-bind instead. Inside an open transaction on
    // a primary the driver decides, as without the router.
    if (physical != null && !atBoundary() && !boundToReplica() && physicalReadOnly != readOnly) {
      physical.setReadOnly(readOnly);
      physicalReadOnly = readOnly;
    }
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return readOnly();
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    autoCommitSet = true;
    if (physical != null && physical.getAutoCommit() != autoCommit) {
      physical.setAutoCommit(autoCommit); // switching it on commits an open transaction
    }
    if (autoCommit(autoCommit)) {
      ds.committed(region, context);
    }
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return autoCommit();
  }

  @Override
  public void commit() throws SQLException {
    checkOpen();
    if (physical == null) { // nothing ran before binding: nothing to commit
      return;
    }
    try {
      physical.commit();
    } catch (SQLException e) {
      if (isConnectionFailure(e) && committed()) {
        ds.committedUncertain(region, context); // lost while committing: it may have committed
      }
      throw e;
    }
    if (committed()) {
      ds.committed(region, context);
    }
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.rollback();
      rolledBack();
    }
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setTransactionIsolation(level);
    } else if (level != TRANSACTION_READ_UNCOMMITTED && level != TRANSACTION_READ_COMMITTED
        && level != TRANSACTION_REPEATABLE_READ && level != TRANSACTION_SERIALIZABLE) {
      // Unbound: refuse it now, as pgjdbc would (its message, 0A000), not at the first statement that binds.
      throw new SQLFeatureNotSupportedException("Transaction isolation level " + level + " not supported. Use "
          + "Connection.TRANSACTION_READ_UNCOMMITTED (1), TRANSACTION_READ_COMMITTED (2), TRANSACTION_REPEATABLE_READ "
          + "(4) or TRANSACTION_SERIALIZABLE (8)", "0A000");
    }
    settings().isolation = level;
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return physical == null && settings != null && settings.isolation >= 0 ? settings.isolation
        : bind().getTransactionIsolation();
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setCatalog(catalog);
    }
    settings().catalog = catalog;
  }

  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return physical == null && settings != null && settings.catalog != null ? settings.catalog
        : bind().getCatalog();
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setSchema(schema);
    }
    settings().schema = schema;
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return physical == null && settings != null && settings.schema != null ? settings.schema : bind().getSchema();
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setHoldability(holdability);
    }
    settings().holdability = holdability;
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return physical == null && settings != null && settings.holdability >= 0 ? settings.holdability
        : bind().getHoldability();
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    if (physical != null) {
      physical.setClientInfo(name, value);
    }
    Settings s = settings();
    if (s.clientInfo == null) {
      s.clientInfo = new Properties();
    }
    if (value == null) {
      s.clientInfo.remove(name);
    } else {
      s.clientInfo.setProperty(name, value);
    }
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    if (physical != null) {
      physical.setClientInfo(properties);
    }
    Properties copy = new Properties();
    copy.putAll(properties);
    settings().clientInfo = copy;
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setNetworkTimeout(executor, milliseconds);
    }
    Settings s = settings();
    s.networkTimeoutExecutor = executor;
    s.networkTimeout = milliseconds;
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return physical == null ? (settings == null ? 0 : Math.max(settings.networkTimeout, 0))
        : physical.getNetworkTimeout();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return physical == null ? null : physical.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.clearWarnings();
    }
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (closed) {
      return false;
    }
    return physical == null || physical.isValid(timeout);
  }

  // ---------------------------------------------------------------- close

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    Connection c = physical;
    if (c == null) {
      return; // not bound: nothing is borrowed
    }
    try {
      if (closing()) {
        ds.committed(region, context);
      }
    } finally {
      node.inUse.decrement();
      physical = null;
      c.close(); // an open transaction is rolled back by the pool: it recorded nothing
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    return closed;
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    Connection c = physical;
    if (c != null) {
      try {
        if (closing()) {
          // an unwrapped object may have written, and may still be running (abort comes from another thread,
          // typically): not even the commit time is known, so pinned as unknown, as a write lost mid-commit
          ds.committedUncertain(region, context);
        }
      } finally {
        node.inUse.decrement();
        physical = null;
        c.abort(executor);
        // HikariCP's proxy only aborts the driver's connection: its pool slot comes back (evicted) at close
        closeQuietly(c);
      }
    }
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLNonTransientConnectionException("connection is closed", "08003");
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("region-router: closing a connection that failed to take its settings", e);
    }
  }

  // ---------------------------------------------------------------- wrapping

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    T unwrapped = bind().unwrap(iface);
    unwrapped(); // the caller may now do anything there, unseen: it cannot move, and may write
    return unwrapped;
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || bind().isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "RoutedConnection[region=" + (region < 0 ? "none" : ds.regions[region]) + ", "
        + (physical == null ? "unbound" : "node=" + node.name) + ", " + describe() + (closed ? ", closed" : "") + "]";
  }

  // ---------------------------------------------------------------- statements (a real use: bind)

  // A creator that captures arguments is made only for a retryable statement: the others allocate nothing for it.

  @Override
  public Statement createStatement() throws SQLException {
    Statement st = forStatement().createStatement();
    return new RoutedStatement(this, st, null, opened() ? CREATE : null);
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    Statement st = forStatement().createStatement(type, concurrency);
    return new RoutedStatement(this, st, null, opened() ? (c, sql) -> c.createStatement(type, concurrency) : null);
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    Statement st = forStatement().createStatement(type, concurrency, holdability);
    return new RoutedStatement(this, st, null,
        opened() ? (c, sql) -> c.createStatement(type, concurrency, holdability) : null);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    PreparedStatement st = forStatement().prepareStatement(sql);
    return new RoutedPreparedStatement(this, st, sql, opened() ? PREPARE : null);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
    PreparedStatement st = forStatement().prepareStatement(sql, type, concurrency);
    return new RoutedPreparedStatement(this, st, sql,
        opened() ? (c, text) -> c.prepareStatement(text, type, concurrency) : null);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    PreparedStatement st = forStatement().prepareStatement(sql, type, concurrency, holdability);
    return new RoutedPreparedStatement(this, st, sql,
        opened() ? (c, text) -> c.prepareStatement(text, type, concurrency, holdability) : null);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    PreparedStatement st = forStatement().prepareStatement(sql, autoGeneratedKeys);
    return new RoutedPreparedStatement(this, st, sql,
        opened() ? (c, text) -> c.prepareStatement(text, autoGeneratedKeys) : null);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    PreparedStatement st = forStatement().prepareStatement(sql, columnIndexes);
    return new RoutedPreparedStatement(this, st, sql,
        opened() ? (c, text) -> c.prepareStatement(text, columnIndexes) : null);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    PreparedStatement st = forStatement().prepareStatement(sql, columnNames);
    return new RoutedPreparedStatement(this, st, sql,
        opened() ? (c, text) -> c.prepareStatement(text, columnNames) : null);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    CallableStatement st = forStatement().prepareCall(sql);
    return new RoutedCallableStatement(this, st, sql, opened() ? CALL : null);
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
    CallableStatement st = forStatement().prepareCall(sql, type, concurrency);
    return new RoutedCallableStatement(this, st, sql,
        opened() ? (c, text) -> c.prepareCall(text, type, concurrency) : null);
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    CallableStatement st = forStatement().prepareCall(sql, type, concurrency, holdability);
    return new RoutedCallableStatement(this, st, sql,
        opened() ? (c, text) -> c.prepareCall(text, type, concurrency, holdability) : null);
  }

  // ---------------------------------------------------------------- mechanical: bind and delegate

  @Override
  public String nativeSQL(String sql) throws SQLException {
    return bind().nativeSQL(sql);
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return bind().getMetaData();
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return bind().getTypeMap();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    bind().setTypeMap(map);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return forStatement().setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    return forStatement().setSavepoint(name);
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    bind().rollback(savepoint);
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    bind().releaseSavepoint(savepoint);
  }

  @Override
  public Clob createClob() throws SQLException {
    return bind().createClob();
  }

  @Override
  public Blob createBlob() throws SQLException {
    return bind().createBlob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return bind().createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return bind().createSQLXML();
  }

  @Override
  public String getClientInfo(String name) throws SQLException {
    return physical == null && settings != null && settings.clientInfo != null
        ? settings.clientInfo.getProperty(name) : bind().getClientInfo(name);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return bind().getClientInfo();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    return bind().createArrayOf(typeName, elements);
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    return bind().createStruct(typeName, attributes);
  }
}
