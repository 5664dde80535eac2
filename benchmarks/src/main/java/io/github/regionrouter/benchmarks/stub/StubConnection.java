package io.github.regionrouter.benchmarks.stub;

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
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A connection to no database: it keeps the settings HikariCP and the router make (auto-commit, read-only,
 * isolation, catalog, schema, network timeout), is always valid, and creates {@link StubStatement}s. What a
 * benchmark does not need (prepared statements, LOBs, metadata) fails with
 * {@link SQLFeatureNotSupportedException} naming the method, so an unexpected call is loud rather than a
 * silent {@code null}. Not thread-safe, like any JDBC connection.
 */
public final class StubConnection implements Connection {

  private final String name;
  private boolean autoCommit = true;
  private boolean readOnly;
  private int isolation = TRANSACTION_READ_COMMITTED;
  private int holdability = java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT;
  private String catalog = "stub";
  private String schema = "public";
  private int networkTimeout;
  private boolean closed;

  StubConnection(String name) {
    this.name = name;
  }

  /** The node name from the URL {@code jdbc:stub:<name>}: tells a test which node served. */
  public String name() {
    return name;
  }

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    return new StubStatement(this);
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    return createStatement();
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    return createStatement();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isValid(int timeout) {
    return !closed;
  }

  @Override
  public void abort(Executor executor) {
    closed = true;
  }

  @Override
  public void setAutoCommit(boolean autoCommit) {
    this.autoCommit = autoCommit;
  }

  @Override
  public boolean getAutoCommit() {
    return autoCommit;
  }

  @Override
  public void commit() {
  }

  @Override
  public void rollback() {
  }

  @Override
  public void setReadOnly(boolean readOnly) {
    this.readOnly = readOnly;
  }

  @Override
  public boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public void setTransactionIsolation(int level) {
    this.isolation = level;
  }

  @Override
  public int getTransactionIsolation() {
    return isolation;
  }

  @Override
  public void setHoldability(int holdability) {
    this.holdability = holdability;
  }

  @Override
  public int getHoldability() {
    return holdability;
  }

  @Override
  public void setCatalog(String catalog) {
    this.catalog = catalog;
  }

  @Override
  public String getCatalog() {
    return catalog;
  }

  @Override
  public void setSchema(String schema) {
    this.schema = schema;
  }

  @Override
  public String getSchema() {
    return schema;
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) {
    this.networkTimeout = milliseconds;
  }

  @Override
  public int getNetworkTimeout() {
    return networkTimeout;
  }

  @Override
  public SQLWarning getWarnings() {
    return null;
  }

  @Override
  public void clearWarnings() {
  }

  @Override
  public void setClientInfo(String name, String value) {
  }

  @Override
  public void setClientInfo(Properties properties) {
  }

  @Override
  public String getClientInfo(String name) {
    return null;
  }

  @Override
  public Properties getClientInfo() {
    return new Properties();
  }

  @Override
  public String nativeSQL(String sql) {
    return sql;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("stub connection '" + name + "' is not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "StubConnection[" + name + (closed ? ", closed" : "") + "]";
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("stub connection '" + name + "' is closed", "08003");
    }
  }

  private SQLFeatureNotSupportedException unsupported(String method) {
    return new SQLFeatureNotSupportedException("stub connection '" + name + "': " + method
        + " is not needed by the benchmarks and not implemented");
  }

  // ---------------------------------------------------------------- not needed: loud, never silent

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    throw unsupported("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
    throw unsupported("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    throw unsupported("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    throw unsupported("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    throw unsupported("prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    throw unsupported("prepareStatement");
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    throw unsupported("prepareCall");
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
    throw unsupported("prepareCall");
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    throw unsupported("prepareCall");
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    throw unsupported("getMetaData");
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    throw unsupported("getTypeMap");
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    throw unsupported("setTypeMap");
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    throw unsupported("setSavepoint");
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    throw unsupported("setSavepoint");
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    throw unsupported("rollback(Savepoint)");
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    throw unsupported("releaseSavepoint");
  }

  @Override
  public Clob createClob() throws SQLException {
    throw unsupported("createClob");
  }

  @Override
  public Blob createBlob() throws SQLException {
    throw unsupported("createBlob");
  }

  @Override
  public NClob createNClob() throws SQLException {
    throw unsupported("createNClob");
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    throw unsupported("createSQLXML");
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    throw unsupported("createArrayOf");
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    throw unsupported("createStruct");
  }
}
