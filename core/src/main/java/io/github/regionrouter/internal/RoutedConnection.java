package io.github.regionrouter.internal;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.ReplicaWriteException;
import java.lang.reflect.Method;
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
 * settings and delegates.
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
 * <p>Statements are {@link RoutedStatement} proxies: an execution that may write on a writable primary is
 * reported to the data source when it commits ({@link RoutingDataSource#committed}), and a read's first
 * execution that fails with a connection error is run again on the next candidate (rule 7).
 * Not thread-safe, like any JDBC connection.
 */
final class RoutedConnection implements Connection {

  private static final Logger LOG = LoggerFactory.getLogger(RoutedConnection.class);
  private static final Method CREATE_STATEMENT = method("createStatement");
  private static final Method CREATE_STATEMENT_2 = method("createStatement", int.class, int.class);
  private static final Method CREATE_STATEMENT_3 = method("createStatement", int.class, int.class, int.class);
  private static final Method PREPARE = method("prepareStatement", String.class);
  private static final Method PREPARE_3 = method("prepareStatement", String.class, int.class, int.class);
  private static final Method PREPARE_4 = method("prepareStatement", String.class, int.class, int.class, int.class);
  private static final Method PREPARE_KEYS = method("prepareStatement", String.class, int.class);
  private static final Method PREPARE_INDEXES = method("prepareStatement", String.class, int[].class);
  private static final Method PREPARE_NAMES = method("prepareStatement", String.class, String[].class);
  private static final Method CALL = method("prepareCall", String.class);
  private static final Method CALL_3 = method("prepareCall", String.class, int.class, int.class);
  private static final Method CALL_4 = method("prepareCall", String.class, int.class, int.class, int.class);

  private final RoutingDataSource ds;
  /** The region index, or -1: no region (rule 9), metadata only. */
  private final int region;
  private final RegionContext context;
  private final BindingState state = new BindingState();

  // settings, applied to every physical connection bound
  private boolean autoCommitSet;
  private boolean readOnlySet;
  private int isolation = -1;
  private String catalog;
  private String schema;
  private int holdability = -1;
  private Properties clientInfo;
  private Executor networkTimeoutExecutor;
  private int networkTimeout = -1;

  // the binding
  private Connection physical;
  private Node node;
  private int reason;
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
    switch (state.next()) {
      case BIND:
        return bindTo(0L);
      case REBIND:
        release();
        return bindTo(0L);
      case REFUSE:
        String held = state.pinnedBy();
        throw new ReplicaWriteException("connection is bound to replica '" + node.name + "' of region '"
            + node.region + "' and was then asked to write (setReadOnly(false)) "
            + (held == null ? "inside an open transaction" : "while it holds " + held)
            + "; call setReadOnly(false) before the first statement, or use a new connection for the write");
      default:
        if (physicalReadOnly != state.readOnly()) {
          physical.setReadOnly(state.readOnly());
          physicalReadOnly = state.readOnly();
        }
        return physical;
    }
  }

  /** Chooses a node for the current mode, skipping the nodes in {@code excluded}, and binds to it. */
  private Connection bindTo(long excluded) throws SQLException {
    boolean readOnly = state.readOnly();
    long pin = readOnly ? ds.pinFor(region, context) : Router.NO_PIN;
    List<SQLException> failures = null;
    while (true) {
      TopologySnapshot s = ds.snapshot();
      int route = Router.choose(s, region, readOnly, pin, excluded, ds.latencyWindowNanos, spreadHint());
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
    reason = routeReason;
    physicalReadOnly = state.readOnly();
    state.bound(isReplicaRoute(routeReason));
    ds.metrics.connection(candidate.index, routeReason);
  }

  /** Gives the physical connection back to its pool (at a boundary: nothing of a transaction is lost). */
  private void release() throws SQLException {
    Connection c = physical;
    physical = null;
    state.unbound();
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
    if (autoCommitSet && c.getAutoCommit() != state.autoCommit()) {
      c.setAutoCommit(state.autoCommit());
    }
    if (readOnlySet) {
      c.setReadOnly(state.readOnly());
    }
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

  private static boolean isReplicaRoute(int reason) {
    return reason == Router.READ || reason == Router.READ_PINNED || reason == Router.READ_DEGRADED;
  }

  /** "Bound" for tests and diagnostics: the node name, or null before binding. */
  String boundNode() {
    return node == null || physical == null ? null : node.name;
  }

  // ---------------------------------------------------------------- executions (called by RoutedStatement)

  /**
   * Runs one execution of {@code st}: classifies it (rule 4: may it write? does it leave session state?),
   * retries a read's first execution on the next candidate when the replica failed (rule 7, issue 13), and
   * reports a write as soon as it is known committed.
   */
  Object execute(RoutedStatement st, int classification, Method method, Object[] args) throws Throwable {
    String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : st.sql;
    boolean plainSelect = RoutedStatement.isQuery(classification) && SqlShape.isPlainSelect(sql);
    if (ds.subjectFence != null && !plainSelect && context != null && !state.readOnly() && !state.boundToReplica()) {
      checkSubjectFence(); // before it runs: a refused execution never reached the server
    }
    boolean retryable = state.firstStatementRetryable() && st.replayable();
    Object result;
    Node watched = retryable ? node : null;
    Connection running = physical;
    if (watched != null) {
      watched.firstReads.add(running);
    }
    try {
      result = st.execute(classification, method, args);
    } catch (SQLException e) {
      if (watched != null) {
        watched.firstReads.remove(running);
        watched = null;
      }
      if (!(retryable && isConnectionFailure(e))) {
        // lost mid-statement: an auto-commit write may have committed, so it counts; any other failure did not
        if (state.executed(!plainSelect && isConnectionFailure(e), null)) {
          ds.committedUncertain(region, context);
        }
        throw e;
      }
      result = retry(st, classification, method, args, e);
    } finally {
      if (watched != null) {
        watched.firstReads.remove(running);
      }
    }
    if (plainSelect ? state.executed(false, null) : state.executedText(true, sql)) {
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
  private Object retry(RoutedStatement st, int classification, Method method, Object[] args, SQLException first)
      throws Throwable {
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
        state.statementOpened(); // the statement moves with the connection
        st.recreateOn(next);
        return st.execute(classification, method, args);
      } catch (SQLException e) {
        if (!state.firstStatementRetryable() || !isConnectionFailure(e)) {
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

  void statementClosed() {
    state.statementClosed();
  }

  /** Wraps a statement just created on the bound connection by {@code creator(args)}. */
  private <T extends Statement> T wrap(Class<T> type, Statement created, Method creator, Object... args) {
    state.statementOpened();
    return RoutedStatement.wrap(this, type, created, creator, args, state.firstStatementRetryable());
  }

  private static Method method(String name, Class<?>... parameterTypes) {
    try {
      return Connection.class.getMethod(name, parameterTypes);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // ---------------------------------------------------------------- state with behaviour

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    readOnlySet = true;
    state.readOnly(readOnly);
    // Applied at the next statement (forStatement), which may re-bind instead. Inside an open transaction on
    // a primary the driver decides, as without the router.
    if (physical != null && !state.atBoundary() && !state.boundToReplica() && physicalReadOnly != readOnly) {
      physical.setReadOnly(readOnly);
      physicalReadOnly = readOnly;
    }
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return state.readOnly();
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    autoCommitSet = true;
    if (physical != null && physical.getAutoCommit() != autoCommit) {
      physical.setAutoCommit(autoCommit); // switching it on commits an open transaction
    }
    if (state.autoCommit(autoCommit)) {
      ds.committed(region, context);
    }
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return state.autoCommit();
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
      if (isConnectionFailure(e) && state.committed()) {
        ds.committedUncertain(region, context); // lost while committing: it may have committed
      }
      throw e;
    }
    if (state.committed()) {
      ds.committed(region, context);
    }
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.rollback();
      state.rolledBack();
    }
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setTransactionIsolation(level);
    }
    isolation = level;
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return physical == null && isolation >= 0 ? isolation : bind().getTransactionIsolation();
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setCatalog(catalog);
    }
    this.catalog = catalog;
  }

  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return physical == null && catalog != null ? catalog : bind().getCatalog();
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setSchema(schema);
    }
    this.schema = schema;
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return physical == null && schema != null ? schema : bind().getSchema();
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setHoldability(holdability);
    }
    this.holdability = holdability;
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return physical == null && holdability >= 0 ? holdability : bind().getHoldability();
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    if (physical != null) {
      physical.setClientInfo(name, value);
    }
    if (clientInfo == null) {
      clientInfo = new Properties();
    }
    if (value == null) {
      clientInfo.remove(name);
    } else {
      clientInfo.setProperty(name, value);
    }
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    if (physical != null) {
      physical.setClientInfo(properties);
    }
    clientInfo = new Properties();
    clientInfo.putAll(properties);
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.setNetworkTimeout(executor, milliseconds);
    }
    networkTimeoutExecutor = executor;
    networkTimeout = milliseconds;
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return physical == null ? Math.max(networkTimeout, 0) : physical.getNetworkTimeout();
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
      if (state.closing()) {
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
      node.inUse.decrement();
      physical = null;
      c.abort(executor);
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
    state.unwrapped(); // the caller may now do anything there, unseen: it cannot move, and may write
    return unwrapped;
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || bind().isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "RoutedConnection[region=" + (region < 0 ? "none" : ds.regions[region]) + ", "
        + (physical == null ? "unbound" : "node=" + node.name) + ", " + state + (closed ? ", closed" : "") + "]";
  }

  // ---------------------------------------------------------------- statements (a real use: bind)

  @Override
  public Statement createStatement() throws SQLException {
    return wrap(Statement.class, forStatement().createStatement(), CREATE_STATEMENT, RoutedStatement.NO_ARGS);
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    return wrap(Statement.class, forStatement().createStatement(type, concurrency), CREATE_STATEMENT_2, type,
        concurrency);
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    return wrap(Statement.class, forStatement().createStatement(type, concurrency, holdability),
        CREATE_STATEMENT_3, type, concurrency, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return wrap(PreparedStatement.class, forStatement().prepareStatement(sql), PREPARE, sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
    return wrap(PreparedStatement.class, forStatement().prepareStatement(sql, type, concurrency), PREPARE_3,
        sql, type, concurrency);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    return wrap(PreparedStatement.class, forStatement().prepareStatement(sql, type, concurrency, holdability),
        PREPARE_4, sql, type, concurrency, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return wrap(PreparedStatement.class, forStatement().prepareStatement(sql, autoGeneratedKeys), PREPARE_KEYS,
        sql, autoGeneratedKeys);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return wrap(PreparedStatement.class, forStatement().prepareStatement(sql, columnIndexes), PREPARE_INDEXES,
        sql, columnIndexes);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return wrap(PreparedStatement.class, forStatement().prepareStatement(sql, columnNames), PREPARE_NAMES,
        sql, columnNames);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return wrap(CallableStatement.class, forStatement().prepareCall(sql), CALL, sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
    return wrap(CallableStatement.class, forStatement().prepareCall(sql, type, concurrency), CALL_3, sql,
        type, concurrency);
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    return wrap(CallableStatement.class, forStatement().prepareCall(sql, type, concurrency, holdability),
        CALL_4, sql, type, concurrency, holdability);
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
    return physical == null && clientInfo != null ? clientInfo.getProperty(name) : bind().getClientInfo(name);
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
