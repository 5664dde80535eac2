package io.github.regionrouter.internal;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.ReplicaWriteException;
import io.github.regionrouter.WritePosition;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * plain JDBC or from Spring's transaction managers — decides whether a replica may serve it. Settings made
 * before binding are remembered and applied to the physical connection. Once bound it stays on that node
 * until {@link #close()}.
 *
 * <p>Only the methods with behaviour are written out: state before binding, statement creation (which
 * marks a write on a primary), transaction end, close, and wrapping. Every other method binds and
 * delegates. Not thread-safe, like any JDBC connection.
 */
final class RoutedConnection implements Connection {

  private static final Logger LOG = LoggerFactory.getLogger(RoutedConnection.class);
  /** One bind in this many compares the replicas' connections in use (see {@link #spreadHint()}). */
  private static final int LOAD_SAMPLE = 8;
  private static final String WAL_POSITION_SQL = "SELECT pg_current_wal_insert_lsn()::text";

  private final RoutingDataSource ds;
  private final int region;
  private final RegionContext context;

  // settings made before binding
  private boolean readOnly;
  private boolean readOnlySet;
  private boolean autoCommit = true;
  private boolean autoCommitSet;
  private int isolation = -1;
  private String catalog;
  private String schema;
  private int holdability = -1;
  private Properties clientInfo;
  private Executor networkTimeoutExecutor;
  private int networkTimeout = -1;

  // after binding
  private Connection physical;
  private Node node;
  private int reason;
  /** Bound to a primary while writable and a statement was created or a transaction ended: a write. */
  private boolean wrote;
  /** setReadOnly(false) was asked after binding to a replica; statements are refused until reset. */
  private boolean writeAskedOnReplica;
  private boolean closed;

  RoutedConnection(RoutingDataSource ds, int region, RegionContext context) {
    this.ds = ds;
    this.region = region;
    this.context = context;
  }

  // ---------------------------------------------------------------- binding

  private Connection bind() throws SQLException {
    Connection c = physical;
    if (c != null) {
      return c;
    }
    if (closed) {
      throw new SQLNonTransientConnectionException("connection is closed", "08003");
    }
    long pin = readOnly ? ds.pinFor(region, context) : Router.NO_PIN;
    long excluded = 0;
    List<SQLException> failures = null;
    while (true) {
      TopologySnapshot s = ds.snapshot();
      int route = Router.choose(s, region, readOnly, pin, excluded, ds.latencyWindowNanos, spreadHint());
      if (route < 0) {
        throw ds.unavailable(s, region, readOnly, failures == null ? List.of() : failures);
      }
      Node candidate = s.nodes[Router.node(route)];
      try {
        c = ds.borrow(candidate, region, Router.reason(route)); // fenced for the write target (rule 2)
        if (ds.validateReplicas && isReplicaRoute(Router.reason(route))) {
          ds.validate(candidate, c);
        }
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
      try {
        applySettings(c);
      } catch (SQLException e) {
        closeQuietly(c);
        throw e;
      }
      candidate.inUse.increment();
      physical = c;
      node = candidate;
      reason = Router.reason(route);
      ds.metrics.connection(candidate.index, reason);
      return c;
    }
  }

  /**
   * How to spread reads among equally near replicas. Rule 3 says "by fewest connections in use"; reading
   * those counters means reading cache lines other cores keep writing, which JMH measured at 300–400 ns per
   * read at 2 threads (routed read 731–744 ns against 353–426 ns without). So one bind in
   * {@link #LOAD_SAMPLE} compares the counters, and the others pick by thread: threads spread evenly without
   * sharing anything, and the sampled binds still steer load away from a replica that holds more connections.
   */
  private static int spreadHint() {
    return ThreadLocalRandom.current().nextInt(LOAD_SAMPLE) == 0
        ? Router.FEWEST_IN_USE : (int) (Thread.currentThread().getId() & 0x7FFF_FFFF);
  }

  private void applySettings(Connection c) throws SQLException {
    if (autoCommitSet && c.getAutoCommit() != autoCommit) {
      c.setAutoCommit(autoCommit);
    }
    if (readOnlySet) {
      c.setReadOnly(readOnly);
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

  /** Bound to the region's write target (for a write, or as the read fallback): writes may happen here. */
  private boolean onPrimaryWritable() {
    return !readOnly && node != null && !isReplicaRoute(reason);
  }

  /** Binds for a statement: on a writable primary it counts as a write ("when in doubt, it is a write"). */
  private Connection bindForStatement() throws SQLException {
    Connection c = bind();
    if (writeAskedOnReplica) {
      throw new ReplicaWriteException("connection is bound to replica '" + node.name + "' of region '"
          + node.region + "' and was then asked to write (setReadOnly(false)); call setReadOnly(false) before "
          + "the first statement, or use a new connection for the write");
    }
    if (!readOnly && !wrote) {
      wrote = onPrimaryWritable();
    }
    return c;
  }

  /** "Bound" for tests and diagnostics: the node name, or null before binding. */
  String boundNode() {
    return node == null ? null : node.name;
  }

  // ---------------------------------------------------------------- state with behaviour before binding

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    if (physical == null) {
      this.readOnly = readOnly;
      this.readOnlySet = true;
      return;
    }
    if (!readOnly && isReplicaRoute(reason)) {
      // Rule 6: never silently write elsewhere. Spring resets read-only after a read-only transaction;
      // that is allowed as long as no statement follows.
      writeAskedOnReplica = true;
      return;
    }
    writeAskedOnReplica = false;
    physical.setReadOnly(readOnly);
    this.readOnly = readOnly;
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return physical == null ? readOnly : physical.isReadOnly();
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    if (physical == null) {
      this.autoCommit = autoCommit;
      this.autoCommitSet = true;
    } else {
      if (autoCommit && !physical.getAutoCommit() && !readOnly) {
        wrote |= onPrimaryWritable(); // switching auto-commit on commits
      }
      physical.setAutoCommit(autoCommit);
    }
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return physical == null ? autoCommit : physical.getAutoCommit();
  }

  @Override
  public void commit() throws SQLException {
    checkOpen();
    if (physical != null) { // nothing ran before binding: nothing to commit
      physical.commit();
    }
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.rollback();
    }
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (physical == null) {
      isolation = level;
    } else {
      physical.setTransactionIsolation(level);
    }
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return physical == null && isolation >= 0 ? isolation : bind().getTransactionIsolation();
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
    if (physical == null) {
      this.catalog = catalog;
    } else {
      physical.setCatalog(catalog);
    }
  }

  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return physical == null && catalog != null ? catalog : bind().getCatalog();
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    if (physical == null) {
      this.schema = schema;
    } else {
      physical.setSchema(schema);
    }
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return physical == null && schema != null ? schema : bind().getSchema();
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    if (physical == null) {
      this.holdability = holdability;
    } else {
      physical.setHoldability(holdability);
    }
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return physical == null && holdability >= 0 ? holdability : bind().getHoldability();
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    if (physical == null) {
      if (clientInfo == null) {
        clientInfo = new Properties();
      }
      if (value == null) {
        clientInfo.remove(name);
      } else {
        clientInfo.setProperty(name, value);
      }
    } else {
      physical.setClientInfo(name, value);
    }
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    if (physical == null) {
      clientInfo = new Properties();
      clientInfo.putAll(properties);
    } else {
      physical.setClientInfo(properties);
    }
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    if (physical == null) {
      networkTimeoutExecutor = executor;
      networkTimeout = milliseconds;
    } else {
      physical.setNetworkTimeout(executor, milliseconds);
    }
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
      return; // never bound: nothing was borrowed
    }
    try {
      if (wrote && context != null) { // without a context nobody can be pinned: skip the round trip
        ds.wrote(region, context, walPosition(c));
      }
    } finally {
      node.inUse.decrement();
      physical = null;
      c.close();
    }
  }

  /**
   * A WAL position observed after the write committed. The insert position (not the write position) is
   * taken because with {@code synchronous_commit = off} the commit record may not be written out yet.
   * If it cannot be read, the write is pinned as unknown: only the primary serves the subject for the window.
   */
  private static long walPosition(Connection c) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(WAL_POSITION_SQL)) {
      if (rs.next()) {
        return WritePosition.parseLsn(rs.getString(1));
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("region-router: could not read the WAL position after a write; pinning to the primary", e);
    }
    return WritePosition.UNKNOWN_LSN;
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
    return bind().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || bind().isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "RoutedConnection[region=" + ds.regions[region] + ", " + (node == null ? "unbound" : "node=" + node.name)
        + (readOnly ? ", read-only" : "") + (closed ? ", closed" : "") + "]";
  }

  // ---------------------------------------------------------------- statements (a real use: bind)

  @Override
  public Statement createStatement() throws SQLException {
    return bindForStatement().createStatement();
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    return bindForStatement().createStatement(type, concurrency);
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    return bindForStatement().createStatement(type, concurrency, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return bindForStatement().prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
    return bindForStatement().prepareStatement(sql, type, concurrency);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    return bindForStatement().prepareStatement(sql, type, concurrency, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return bindForStatement().prepareStatement(sql, autoGeneratedKeys);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return bindForStatement().prepareStatement(sql, columnIndexes);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return bindForStatement().prepareStatement(sql, columnNames);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return bindForStatement().prepareCall(sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
    return bindForStatement().prepareCall(sql, type, concurrency);
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    return bindForStatement().prepareCall(sql, type, concurrency, holdability);
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
    return bindForStatement().setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    return bindForStatement().setSavepoint(name);
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
