package io.github.regionrouter.benchmarks;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The floor under any JDBC-intercepting router: a data source whose connections and statements are plain
 * delegating wrappers over one pool's, with no routing at all (borrowed at {@code getConnection}, every call
 * passed through). What a routed cycle costs over raw HikariCP beyond this floor is the router's own work; what
 * this floor costs over raw is the price of wrapping, which no router that sees the caller's statements avoids
 * (it must see a write to record it). Benchmark-only code: the delegation was generated from the interfaces.
 */
final class WrapperFloor implements DataSource {

  private final DataSource d;

  WrapperFloor(DataSource pool) {
    this.d = pool;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return new FloorConnection(d.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return d.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    d.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    d.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return d.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return d.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return d.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return d.isWrapperFor(iface);
  }

  /** Every call passed through; {@code createStatement()} wraps the statement. */
  @SuppressWarnings("MagicConstant")
  static final class FloorConnection implements Connection {
    private final Connection d;

    FloorConnection(Connection d) {
      this.d = d;
    }

    @Override
    public Statement createStatement() throws SQLException {
      return new FloorStatement(d.createStatement(), this);
    }

    @Override public void setReadOnly(boolean a0) throws java.sql.SQLException {
      d.setReadOnly(a0);
    }
    @Override public void close() throws java.sql.SQLException {
      d.close();
    }
    @Override public boolean isReadOnly() throws java.sql.SQLException {
      return d.isReadOnly();
    }
    @Override public void commit() throws java.sql.SQLException {
      d.commit();
    }
    @Override public boolean isValid(int a0) throws java.sql.SQLException {
      return d.isValid(a0);
    }
    @Override public void abort(java.util.concurrent.Executor a0) throws java.sql.SQLException {
      d.abort(a0);
    }
    @Override public java.sql.Statement createStatement(int a0, int a1, int a2) throws java.sql.SQLException {
      return d.createStatement(a0, a1, a2);
    }
    @Override public java.sql.Statement createStatement(int a0, int a1) throws java.sql.SQLException {
      return d.createStatement(a0, a1);
    }
    @Override public java.sql.PreparedStatement prepareStatement(java.lang.String a0, java.lang.String[] a1) throws java.sql.SQLException {
      return d.prepareStatement(a0, a1);
    }
    @Override public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1) throws java.sql.SQLException {
      return d.prepareStatement(a0, a1);
    }
    @Override public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1, int a2) throws java.sql.SQLException {
      return d.prepareStatement(a0, a1, a2);
    }
    @Override public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int[] a1) throws java.sql.SQLException {
      return d.prepareStatement(a0, a1);
    }
    @Override public java.sql.PreparedStatement prepareStatement(java.lang.String a0) throws java.sql.SQLException {
      return d.prepareStatement(a0);
    }
    @Override public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1, int a2, int a3) throws java.sql.SQLException {
      return d.prepareStatement(a0, a1, a2, a3);
    }
    @Override public java.sql.CallableStatement prepareCall(java.lang.String a0, int a1, int a2) throws java.sql.SQLException {
      return d.prepareCall(a0, a1, a2);
    }
    @Override public java.sql.CallableStatement prepareCall(java.lang.String a0) throws java.sql.SQLException {
      return d.prepareCall(a0);
    }
    @Override public java.sql.CallableStatement prepareCall(java.lang.String a0, int a1, int a2, int a3) throws java.sql.SQLException {
      return d.prepareCall(a0, a1, a2, a3);
    }
    @Override public java.lang.String nativeSQL(java.lang.String a0) throws java.sql.SQLException {
      return d.nativeSQL(a0);
    }
    @Override public void setAutoCommit(boolean a0) throws java.sql.SQLException {
      d.setAutoCommit(a0);
    }
    @Override public boolean getAutoCommit() throws java.sql.SQLException {
      return d.getAutoCommit();
    }
    @Override public void rollback() throws java.sql.SQLException {
      d.rollback();
    }
    @Override public void rollback(java.sql.Savepoint a0) throws java.sql.SQLException {
      d.rollback(a0);
    }
    @Override public boolean isClosed() throws java.sql.SQLException {
      return d.isClosed();
    }
    @Override public java.sql.DatabaseMetaData getMetaData() throws java.sql.SQLException {
      return d.getMetaData();
    }
    @Override public void setCatalog(java.lang.String a0) throws java.sql.SQLException {
      d.setCatalog(a0);
    }
    @Override public java.lang.String getCatalog() throws java.sql.SQLException {
      return d.getCatalog();
    }
    @Override public void setTransactionIsolation(int a0) throws java.sql.SQLException {
      d.setTransactionIsolation(a0);
    }
    @Override public int getTransactionIsolation() throws java.sql.SQLException {
      return d.getTransactionIsolation();
    }
    @Override public java.sql.SQLWarning getWarnings() throws java.sql.SQLException {
      return d.getWarnings();
    }
    @Override public void clearWarnings() throws java.sql.SQLException {
      d.clearWarnings();
    }
    @Override public java.util.Map<java.lang.String, java.lang.Class<?>> getTypeMap() throws java.sql.SQLException {
      return d.getTypeMap();
    }
    @Override public void setTypeMap(java.util.Map<java.lang.String, java.lang.Class<?>> a0) throws java.sql.SQLException {
      d.setTypeMap(a0);
    }
    @Override public void setHoldability(int a0) throws java.sql.SQLException {
      d.setHoldability(a0);
    }
    @Override public int getHoldability() throws java.sql.SQLException {
      return d.getHoldability();
    }
    @Override public java.sql.Savepoint setSavepoint() throws java.sql.SQLException {
      return d.setSavepoint();
    }
    @Override public java.sql.Savepoint setSavepoint(java.lang.String a0) throws java.sql.SQLException {
      return d.setSavepoint(a0);
    }
    @Override public void releaseSavepoint(java.sql.Savepoint a0) throws java.sql.SQLException {
      d.releaseSavepoint(a0);
    }
    @Override public java.sql.Clob createClob() throws java.sql.SQLException {
      return d.createClob();
    }
    @Override public java.sql.Blob createBlob() throws java.sql.SQLException {
      return d.createBlob();
    }
    @Override public java.sql.NClob createNClob() throws java.sql.SQLException {
      return d.createNClob();
    }
    @Override public java.sql.SQLXML createSQLXML() throws java.sql.SQLException {
      return d.createSQLXML();
    }
    @Override public void setClientInfo(java.util.Properties a0) throws java.sql.SQLClientInfoException {
      d.setClientInfo(a0);
    }
    @Override public void setClientInfo(java.lang.String a0, java.lang.String a1) throws java.sql.SQLClientInfoException {
      d.setClientInfo(a0, a1);
    }
    @Override public java.util.Properties getClientInfo() throws java.sql.SQLException {
      return d.getClientInfo();
    }
    @Override public java.lang.String getClientInfo(java.lang.String a0) throws java.sql.SQLException {
      return d.getClientInfo(a0);
    }
    @Override public java.sql.Array createArrayOf(java.lang.String a0, java.lang.Object[] a1) throws java.sql.SQLException {
      return d.createArrayOf(a0, a1);
    }
    @Override public java.sql.Struct createStruct(java.lang.String a0, java.lang.Object[] a1) throws java.sql.SQLException {
      return d.createStruct(a0, a1);
    }
    @Override public void setSchema(java.lang.String a0) throws java.sql.SQLException {
      d.setSchema(a0);
    }
    @Override public java.lang.String getSchema() throws java.sql.SQLException {
      return d.getSchema();
    }
    @Override public void setNetworkTimeout(java.util.concurrent.Executor a0, int a1) throws java.sql.SQLException {
      d.setNetworkTimeout(a0, a1);
    }
    @Override public int getNetworkTimeout() throws java.sql.SQLException {
      return d.getNetworkTimeout();
    }
    @Override public void beginRequest() throws java.sql.SQLException {
      d.beginRequest();
    }
    @Override public void endRequest() throws java.sql.SQLException {
      d.endRequest();
    }
    @Override public boolean setShardingKeyIfValid(java.sql.ShardingKey a0, java.sql.ShardingKey a1, int a2) throws java.sql.SQLException {
      return d.setShardingKeyIfValid(a0, a1, a2);
    }
    @Override public boolean setShardingKeyIfValid(java.sql.ShardingKey a0, int a1) throws java.sql.SQLException {
      return d.setShardingKeyIfValid(a0, a1);
    }
    @Override public void setShardingKey(java.sql.ShardingKey a0) throws java.sql.SQLException {
      d.setShardingKey(a0);
    }
    @Override public void setShardingKey(java.sql.ShardingKey a0, java.sql.ShardingKey a1) throws java.sql.SQLException {
      d.setShardingKey(a0, a1);
    }
    @Override public <T> T unwrap(java.lang.Class<T> a0) throws java.sql.SQLException {
      return d.unwrap(a0);
    }
    @Override public boolean isWrapperFor(java.lang.Class<?> a0) throws java.sql.SQLException {
      return d.isWrapperFor(a0);
    }
  }

  /** Every call passed through but {@code getConnection()}, which answers the wrapper. */
  static final class FloorStatement implements Statement {
    private final Statement d;
    private final Connection connection;

    FloorStatement(Statement d, Connection connection) {
      this.d = d;
      this.connection = connection;
    }

    @Override
    public Connection getConnection() {
      return connection;
    }

    @Override public boolean execute(java.lang.String a0) throws java.sql.SQLException {
      return d.execute(a0);
    }
    @Override public boolean execute(java.lang.String a0, java.lang.String[] a1) throws java.sql.SQLException {
      return d.execute(a0, a1);
    }
    @Override public boolean execute(java.lang.String a0, int[] a1) throws java.sql.SQLException {
      return d.execute(a0, a1);
    }
    @Override public boolean execute(java.lang.String a0, int a1) throws java.sql.SQLException {
      return d.execute(a0, a1);
    }
    @Override public void close() throws java.sql.SQLException {
      d.close();
    }
    @Override public void cancel() throws java.sql.SQLException {
      d.cancel();
    }
    @Override public java.sql.ResultSet executeQuery(java.lang.String a0) throws java.sql.SQLException {
      return d.executeQuery(a0);
    }
    @Override public int executeUpdate(java.lang.String a0, java.lang.String[] a1) throws java.sql.SQLException {
      return d.executeUpdate(a0, a1);
    }
    @Override public int executeUpdate(java.lang.String a0, int a1) throws java.sql.SQLException {
      return d.executeUpdate(a0, a1);
    }
    @Override public int executeUpdate(java.lang.String a0) throws java.sql.SQLException {
      return d.executeUpdate(a0);
    }
    @Override public int executeUpdate(java.lang.String a0, int[] a1) throws java.sql.SQLException {
      return d.executeUpdate(a0, a1);
    }
    @Override public int getMaxFieldSize() throws java.sql.SQLException {
      return d.getMaxFieldSize();
    }
    @Override public void setMaxFieldSize(int a0) throws java.sql.SQLException {
      d.setMaxFieldSize(a0);
    }
    @Override public int getMaxRows() throws java.sql.SQLException {
      return d.getMaxRows();
    }
    @Override public void setMaxRows(int a0) throws java.sql.SQLException {
      d.setMaxRows(a0);
    }
    @Override public void setEscapeProcessing(boolean a0) throws java.sql.SQLException {
      d.setEscapeProcessing(a0);
    }
    @Override public int getQueryTimeout() throws java.sql.SQLException {
      return d.getQueryTimeout();
    }
    @Override public void setQueryTimeout(int a0) throws java.sql.SQLException {
      d.setQueryTimeout(a0);
    }
    @Override public java.sql.SQLWarning getWarnings() throws java.sql.SQLException {
      return d.getWarnings();
    }
    @Override public void clearWarnings() throws java.sql.SQLException {
      d.clearWarnings();
    }
    @Override public void setCursorName(java.lang.String a0) throws java.sql.SQLException {
      d.setCursorName(a0);
    }
    @Override public java.sql.ResultSet getResultSet() throws java.sql.SQLException {
      return d.getResultSet();
    }
    @Override public int getUpdateCount() throws java.sql.SQLException {
      return d.getUpdateCount();
    }
    @Override public boolean getMoreResults(int a0) throws java.sql.SQLException {
      return d.getMoreResults(a0);
    }
    @Override public boolean getMoreResults() throws java.sql.SQLException {
      return d.getMoreResults();
    }
    @Override public void setFetchDirection(int a0) throws java.sql.SQLException {
      d.setFetchDirection(a0);
    }
    @Override public int getFetchDirection() throws java.sql.SQLException {
      return d.getFetchDirection();
    }
    @Override public void setFetchSize(int a0) throws java.sql.SQLException {
      d.setFetchSize(a0);
    }
    @Override public int getFetchSize() throws java.sql.SQLException {
      return d.getFetchSize();
    }
    @Override public int getResultSetConcurrency() throws java.sql.SQLException {
      return d.getResultSetConcurrency();
    }
    @Override public int getResultSetType() throws java.sql.SQLException {
      return d.getResultSetType();
    }
    @Override public void addBatch(java.lang.String a0) throws java.sql.SQLException {
      d.addBatch(a0);
    }
    @Override public void clearBatch() throws java.sql.SQLException {
      d.clearBatch();
    }
    @Override public int[] executeBatch() throws java.sql.SQLException {
      return d.executeBatch();
    }
    @Override public java.sql.ResultSet getGeneratedKeys() throws java.sql.SQLException {
      return d.getGeneratedKeys();
    }
    @Override public int getResultSetHoldability() throws java.sql.SQLException {
      return d.getResultSetHoldability();
    }
    @Override public boolean isClosed() throws java.sql.SQLException {
      return d.isClosed();
    }
    @Override public void setPoolable(boolean a0) throws java.sql.SQLException {
      d.setPoolable(a0);
    }
    @Override public boolean isPoolable() throws java.sql.SQLException {
      return d.isPoolable();
    }
    @Override public void closeOnCompletion() throws java.sql.SQLException {
      d.closeOnCompletion();
    }
    @Override public boolean isCloseOnCompletion() throws java.sql.SQLException {
      return d.isCloseOnCompletion();
    }
    @Override public long getLargeUpdateCount() throws java.sql.SQLException {
      return d.getLargeUpdateCount();
    }
    @Override public void setLargeMaxRows(long a0) throws java.sql.SQLException {
      d.setLargeMaxRows(a0);
    }
    @Override public long getLargeMaxRows() throws java.sql.SQLException {
      return d.getLargeMaxRows();
    }
    @Override public long[] executeLargeBatch() throws java.sql.SQLException {
      return d.executeLargeBatch();
    }
    @Override public long executeLargeUpdate(java.lang.String a0, java.lang.String[] a1) throws java.sql.SQLException {
      return d.executeLargeUpdate(a0, a1);
    }
    @Override public long executeLargeUpdate(java.lang.String a0, int[] a1) throws java.sql.SQLException {
      return d.executeLargeUpdate(a0, a1);
    }
    @Override public long executeLargeUpdate(java.lang.String a0, int a1) throws java.sql.SQLException {
      return d.executeLargeUpdate(a0, a1);
    }
    @Override public long executeLargeUpdate(java.lang.String a0) throws java.sql.SQLException {
      return d.executeLargeUpdate(a0);
    }
    @Override public java.lang.String enquoteLiteral(java.lang.String a0) throws java.sql.SQLException {
      return d.enquoteLiteral(a0);
    }
    @Override public java.lang.String enquoteIdentifier(java.lang.String a0, boolean a1) throws java.sql.SQLException {
      return d.enquoteIdentifier(a0, a1);
    }
    @Override public boolean isSimpleIdentifier(java.lang.String a0) throws java.sql.SQLException {
      return d.isSimpleIdentifier(a0);
    }
    @Override public java.lang.String enquoteNCharLiteral(java.lang.String a0) throws java.sql.SQLException {
      return d.enquoteNCharLiteral(a0);
    }
    @Override public <T> T unwrap(java.lang.Class<T> a0) throws java.sql.SQLException {
      return d.unwrap(a0);
    }
    @Override public boolean isWrapperFor(java.lang.Class<?> a0) throws java.sql.SQLException {
      return d.isWrapperFor(a0);
    }
  }
}
