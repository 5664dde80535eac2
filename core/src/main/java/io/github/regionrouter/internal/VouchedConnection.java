package io.github.regionrouter.internal;

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
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A physical connection as {@link LiveConnections} hands it to HikariCP: the driver's connection, with an
 * {@link #isValid(int)} that may answer without a round trip (issue 13). HikariCP checks a connection idle
 * for more than 500 ms before lending it ({@code aliveBypassWindowMs}, a JVM-wide system property), and on a
 * primary an ocean away that check doubled a write's latency. It answers {@code true} at once when all hold:
 * <ul>
 *   <li>the monitor vouches for the node: its polls answer, and none failed and the node was not taken down
 *       since this connection was last active ({@link LiveConnections#vouchesFor});</li>
 *   <li>it was last active (opened, passed a real check, or came back to the pool open after use) less than
 *       {@link LiveConnections#VOUCH_MAX_AGE_NANOS} ago — below NAT and load-balancer idle timeouts, and below
 *       HikariCP's shortest keepalive, which therefore still reaches an idle connection's server;</li>
 *   <li>the server sent nothing unsolicited since: a backend ended by {@code pg_terminate_backend},
 *       {@code idle_session_timeout} or a shutdown sends its FATAL message before closing, and pgjdbc reads
 *       it from the socket's buffer without a round trip ({@link LiveConnections#nothingPending}).</li>
 * </ul>
 * Otherwise the driver's own check runs. What it cannot see: a connection dropped silently (a NAT forgetting
 * the flow, a server crashed without a word) within the bound; its next statement fails with class 08,
 * which a read's first statement survives by running on another node (rule 7) and a write reports.
 *
 * <p>Everything else is delegated as is; {@code unwrap} reaches the driver's connection (pgjdbc's
 * {@code PGConnection}). No per-call cost but the delegation: only {@code isValid} has behaviour, and
 * {@code setTransactionIsolation} with HikariCP's "not known" level (see there).
 *
 * <p>Thread safety: as the driver's connection; {@code activeNanos} is volatile because HikariCP's
 * keepalive checks idle connections on its housekeeping thread.
 */
final class VouchedConnection implements Connection {

  private final Connection delegate;
  private final LiveConnections owner;
  private volatile long activeNanos;

  VouchedConnection(Connection delegate, LiveConnections owner, long activeNanos) {
    this.delegate = delegate;
    this.owner = owner;
    this.activeNanos = activeNanos;
  }

  /** The driver's connection (what {@link LiveConnections#abortAll()} aborts). */
  Connection delegate() {
    return delegate;
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    long now = System.nanoTime();
    if (owner.vouchesFor(activeNanos, now) && !delegate.isClosed() && owner.nothingPending(delegate)) {
      owner.vouched();
      return true;
    }
    return isValidNow(timeout, now);
  }

  /** The driver's check (a round trip), whatever the monitor says; what the router's own validation uses. */
  boolean isValidNow(int timeout) throws SQLException {
    return isValidNow(timeout, System.nanoTime());
  }

  private boolean isValidNow(int timeout, long startNanos) throws SQLException {
    boolean valid = delegate.isValid(timeout);
    if (valid) {
      activeNanos = startNanos; // when the check started: only conservative
    }
    return valid;
  }

  /**
   * HikariCP calls this each time the connection comes back to the pool: it was in use and is still open, so
   * its idle time starts now. Stamped with the monitor's last poll time, a volatile read with no clock call on
   * this path; that time is earlier than now, which only makes the idle bound stricter.
   */
  @Override
  public void clearWarnings() throws SQLException {
    delegate.clearWarnings();
    long at = owner.lastPollNanos();
    if (at - activeNanos > 0 && !delegate.isClosed()) {
      activeNanos = at;
    }
  }

  /**
   * HikariCP learns the node's default isolation from the first connection it sets up, and when that read fails
   * with a class 08 error (the node died right after the connect, or the read outlived HikariCP's
   * validationTimeout under load) it logs a warning and keeps its "not known" value, -1, as the level to set on
   * every later connection and to reset a returned one to; pgjdbc refuses it ("Transaction isolation level -1
   * not supported") and the pool never opens a connection again. -1 is no JDBC level, so here it means what
   * HikariCP meant: the node's default, which {@link LiveConnections} read before handing any connection over.
   */
  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    int known = owner.defaultIsolation();
    delegate.setTransactionIsolation(level == LiveConnections.UNKNOWN_ISOLATION && known >= 0 ? known : level);
  }

  @Override
  public void close() throws SQLException {
    delegate.close();
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    delegate.abort(executor);
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  // ---------------------------------------------------------------- delegated as is

  @Override
  public Statement createStatement() throws SQLException {
    return delegate.createStatement();
  }

  @Override
  public PreparedStatement prepareStatement(String a0) throws SQLException {
    return delegate.prepareStatement(a0);
  }

  @Override
  public CallableStatement prepareCall(String a0) throws SQLException {
    return delegate.prepareCall(a0);
  }

  @Override
  public String nativeSQL(String a0) throws SQLException {
    return delegate.nativeSQL(a0);
  }

  @Override
  public void setAutoCommit(boolean a0) throws SQLException {
    delegate.setAutoCommit(a0);
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return delegate.getAutoCommit();
  }

  @Override
  public void commit() throws SQLException {
    delegate.commit();
  }

  @Override
  public void rollback() throws SQLException {
    delegate.rollback();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return delegate.isClosed();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return delegate.getMetaData();
  }

  @Override
  public void setReadOnly(boolean a0) throws SQLException {
    delegate.setReadOnly(a0);
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return delegate.isReadOnly();
  }

  @Override
  public void setCatalog(String a0) throws SQLException {
    delegate.setCatalog(a0);
  }

  @Override
  public String getCatalog() throws SQLException {
    return delegate.getCatalog();
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return delegate.getTransactionIsolation();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return delegate.getWarnings();
  }


  @Override
  public Statement createStatement(int a0, int a1) throws SQLException {
    return delegate.createStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
    return delegate.prepareStatement(a0, a1, a2);
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
    return delegate.prepareCall(a0, a1, a2);
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return delegate.getTypeMap();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
    delegate.setTypeMap(a0);
  }

  @Override
  public void setHoldability(int a0) throws SQLException {
    delegate.setHoldability(a0);
  }

  @Override
  public int getHoldability() throws SQLException {
    return delegate.getHoldability();
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return delegate.setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String a0) throws SQLException {
    return delegate.setSavepoint(a0);
  }

  @Override
  public void rollback(Savepoint a0) throws SQLException {
    delegate.rollback(a0);
  }

  @Override
  public void releaseSavepoint(Savepoint a0) throws SQLException {
    delegate.releaseSavepoint(a0);
  }

  @Override
  public Statement createStatement(int a0, int a1, int a2) throws SQLException {
    return delegate.createStatement(a0, a1, a2);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
    return delegate.prepareStatement(a0, a1, a2, a3);
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
    return delegate.prepareCall(a0, a1, a2, a3);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
    return delegate.prepareStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
    return delegate.prepareStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
    return delegate.prepareStatement(a0, a1);
  }

  @Override
  public Clob createClob() throws SQLException {
    return delegate.createClob();
  }

  @Override
  public Blob createBlob() throws SQLException {
    return delegate.createBlob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return delegate.createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return delegate.createSQLXML();
  }

  @Override
  public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
    delegate.setClientInfo(a0, a1);
  }

  @Override
  public void setClientInfo(Properties a0) throws SQLClientInfoException {
    delegate.setClientInfo(a0);
  }

  @Override
  public String getClientInfo(String a0) throws SQLException {
    return delegate.getClientInfo(a0);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return delegate.getClientInfo();
  }

  @Override
  public Array createArrayOf(String a0, Object[] a1) throws SQLException {
    return delegate.createArrayOf(a0, a1);
  }

  @Override
  public Struct createStruct(String a0, Object[] a1) throws SQLException {
    return delegate.createStruct(a0, a1);
  }

  @Override
  public void setSchema(String a0) throws SQLException {
    delegate.setSchema(a0);
  }

  @Override
  public String getSchema() throws SQLException {
    return delegate.getSchema();
  }

  @Override
  public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
    delegate.setNetworkTimeout(a0, a1);
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return delegate.getNetworkTimeout();
  }

  @Override
  public void beginRequest() throws SQLException {
    delegate.beginRequest();
  }

  @Override
  public void endRequest() throws SQLException {
    delegate.endRequest();
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
    return delegate.setShardingKeyIfValid(a0, a1, a2);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
    return delegate.setShardingKeyIfValid(a0, a1);
  }

  @Override
  public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
    delegate.setShardingKey(a0, a1);
  }

  @Override
  public void setShardingKey(ShardingKey a0) throws SQLException {
    delegate.setShardingKey(a0);
  }
}
