package io.github.regionrouter.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The statement a {@link RoutedConnection} hands out: a wrapper over the physical statement that lets the
 * connection see each execution (is it a write, did it commit, did it leave session state) and retry a
 * read's first execution on another node when the replica failed before any result reached the caller.
 * {@link RoutedPreparedStatement} and {@link RoutedCallableStatement} extend it.
 *
 * <p>Hand-written classes, HikariCP-style, not a JDK proxy: JMH on the stub driver (issue 13) measured the
 * proxy's per-call {@code Object[]} of arguments, its {@code Map<Method, Integer>} look-up and the proxy object
 * itself on every routed cycle. Only the executions, {@code close}, {@code getConnection} and
 * {@code isClosed} have behaviour; everything below the "mechanical" line is plain delegation, generated once
 * from the JDBC interfaces by a throwaway script (core/src/tools/StatementWrappers.java) and committed as is.
 *
 * <p>While the statement's first execution may still be retried ({@link #recording}: a statement created as
 * the only one on a freshly bound replica), every call that changes the statement (parameters, fetch size,
 * batches) is recorded so that it can be replayed on a statement created anew on the next node. Calls are
 * recorded only then, so a statement that cannot be retried allocates nothing per call. Getters change nothing
 * and are not recorded; {@code cancel()} (from another thread) is not either. A caller that unwraps the driver's
 * statement ends the recording: what it does there could not be replayed. It also tells the connection, as
 * {@link RoutedConnection#unwrap} does: executions there (and on the driver's connection, its
 * {@code getConnection()}) are unseen, so the connection stays where it is and, while writable, counts as written.
 *
 * <p>{@code getResultSet().getStatement()} and {@code getGeneratedKeys().getStatement()} answer the pool's
 * statement, as before (result sets are not wrapped: they would cost every query an object). {@code equals}
 * and {@code hashCode} are identity. Not thread-safe, like the statement it wraps.
 */
class RoutedStatement implements Statement {

  /** One recorded call, replayed on a statement created anew on another node. */
  @FunctionalInterface
  interface Call {
    void on(Statement statement) throws SQLException;
  }

  /** How the statement is created anew on another physical connection; {@code sql} is the statement's text. */
  @FunctionalInterface
  interface Creator {
    Statement create(Connection connection, String sql) throws SQLException;
  }

  // The executions, as RoutedConnection#execute hands them back to run(): one int instead of a Method.
  static final int QUERY = 0;
  static final int UPDATE = 1;
  static final int UPDATE_KEYS = 2;
  static final int UPDATE_INDEXES = 3;
  static final int UPDATE_NAMES = 4;
  static final int EXECUTE = 5;
  static final int EXECUTE_KEYS = 6;
  static final int EXECUTE_INDEXES = 7;
  static final int EXECUTE_NAMES = 8;
  static final int BATCH = 9;
  static final int LARGE_BATCH = 10;
  static final int LARGE_UPDATE = 11;
  static final int LARGE_UPDATE_KEYS = 12;
  static final int LARGE_UPDATE_INDEXES = 13;
  static final int LARGE_UPDATE_NAMES = 14;
  static final int PREPARED_QUERY = 15;
  static final int PREPARED_UPDATE = 16;
  static final int PREPARED_EXECUTE = 17;
  static final int PREPARED_LARGE_UPDATE = 18;

  final RoutedConnection owner;
  /** The statement's text when given at creation (prepared and callable statements), else null. */
  final String sql;
  /** Null when the statement can never be retried: nothing to create anew. */
  private final Creator creator;
  Statement physical;
  /** Whether calls are kept for a replay: until the first execution, on a statement that may be retried. */
  boolean recording;
  /** The calls kept, allocated at the first one. */
  private List<Call> recorded;
  private boolean closed;

  /**
   * Wraps {@code physical}, created on the owner's bound connection. With a {@code creator}, calls are recorded
   * for a replay until the first execution.
   */
  RoutedStatement(RoutedConnection owner, Statement physical, String sql, Creator creator) {
    this.owner = owner;
    this.physical = physical;
    this.sql = sql;
    this.creator = creator;
    this.recording = creator != null;
  }

  /** Whether execution {@code op} is a query: a plain select run this way is no write. */
  static boolean isQuery(int op) {
    return op == QUERY || op == PREPARED_QUERY;
  }

  /** Keeps {@code call} for a replay; only called while {@link #recording}. */
  final void record(Call call) {
    if (recorded == null) {
      recorded = new ArrayList<>(4);
    }
    recorded.add(call);
  }

  /** Whether the calls made so far can be replayed on another physical connection. */
  final boolean replayable() {
    return recording;
  }

  /** Runs execution {@code op} with its text {@code text} (null for a prepared one) and extra argument. */
  final Object run(int op, String text, Object arg) throws SQLException {
    Statement s = physical;
    switch (op) {
      case QUERY:
        return s.executeQuery(text);
      case UPDATE:
        return s.executeUpdate(text);
      case UPDATE_KEYS:
        return s.executeUpdate(text, (Integer) arg);
      case UPDATE_INDEXES:
        return s.executeUpdate(text, (int[]) arg);
      case UPDATE_NAMES:
        return s.executeUpdate(text, (String[]) arg);
      case EXECUTE:
        return s.execute(text);
      case EXECUTE_KEYS:
        return s.execute(text, (Integer) arg);
      case EXECUTE_INDEXES:
        return s.execute(text, (int[]) arg);
      case EXECUTE_NAMES:
        return s.execute(text, (String[]) arg);
      case BATCH:
        return s.executeBatch();
      case LARGE_BATCH:
        return s.executeLargeBatch();
      case LARGE_UPDATE:
        return s.executeLargeUpdate(text);
      case LARGE_UPDATE_KEYS:
        return s.executeLargeUpdate(text, (Integer) arg);
      case LARGE_UPDATE_INDEXES:
        return s.executeLargeUpdate(text, (int[]) arg);
      case LARGE_UPDATE_NAMES:
        return s.executeLargeUpdate(text, (String[]) arg);
      case PREPARED_QUERY:
        return ((java.sql.PreparedStatement) s).executeQuery();
      case PREPARED_UPDATE:
        return ((java.sql.PreparedStatement) s).executeUpdate();
      case PREPARED_EXECUTE:
        return ((java.sql.PreparedStatement) s).execute();
      case PREPARED_LARGE_UPDATE:
        return ((java.sql.PreparedStatement) s).executeLargeUpdate();
      default:
        throw new IllegalArgumentException("not an execution: " + op);
    }
  }

  /** Hands execution {@code op} to the connection, which classifies it, runs it and may retry it elsewhere. */
  final Object executeRouted(int op, String text, Object arg) throws SQLException {
    try {
      return owner.execute(this, op, text, arg);
    } finally {
      recording = false; // a result may have reached the caller: never replayed again
      recorded = null;
    }
  }

  /** Creates the statement anew on {@code connection} and replays the calls recorded so far. */
  final void recreateOn(Connection connection) throws SQLException {
    Statement old = physical;
    physical = creator.create(connection, sql);
    try {
      old.close();
    } catch (SQLException e) {
      // the old statement belonged to a connection that failed; nothing to keep from it
    }
    if (recorded != null) {
      for (Call call : recorded) {
        call.on(physical);
      }
    }
  }

  // ---------------------------------------------------------------- executions

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    return (ResultSet) executeRouted(QUERY, sql, null);
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return (Integer) executeRouted(UPDATE, sql, null);
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return (Integer) executeRouted(UPDATE_KEYS, sql, autoGeneratedKeys);
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return (Integer) executeRouted(UPDATE_INDEXES, sql, columnIndexes);
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    return (Integer) executeRouted(UPDATE_NAMES, sql, columnNames);
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    return (Boolean) executeRouted(EXECUTE, sql, null);
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    return (Boolean) executeRouted(EXECUTE_KEYS, sql, autoGeneratedKeys);
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    return (Boolean) executeRouted(EXECUTE_INDEXES, sql, columnIndexes);
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    return (Boolean) executeRouted(EXECUTE_NAMES, sql, columnNames);
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return (int[]) executeRouted(BATCH, this.sql, null);
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return (long[]) executeRouted(LARGE_BATCH, this.sql, null);
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    return (Long) executeRouted(LARGE_UPDATE, sql, null);
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return (Long) executeRouted(LARGE_UPDATE_KEYS, sql, autoGeneratedKeys);
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return (Long) executeRouted(LARGE_UPDATE_INDEXES, sql, columnIndexes);
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    return (Long) executeRouted(LARGE_UPDATE_NAMES, sql, columnNames);
  }

  // ---------------------------------------------------------------- behaviour

  @Override
  public void close() throws SQLException {
    if (!closed) {
      closed = true;
      recording = false;
      recorded = null;
      owner.statementClosed();
    }
    physical.close(); // a no-op on a closed statement (JDBC)
  }

  @Override
  public boolean isClosed() throws SQLException {
    return closed || physical.isClosed();
  }

  /** The routed connection, not the pool's: what the caller does with it stays routed. */
  @Override
  public Connection getConnection() throws SQLException {
    return owner;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    recording = false; // what the caller does on the driver's statement could not be replayed
    recorded = null;
    T unwrapped = physical.unwrap(iface);
    owner.unwrapped(); // as the connection's own unwrap: writes and session state there are unseen from now on
    return unwrapped;
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return physical.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "Routed" + physical;
  }

  // ---------------------------------------------------------------- mechanical: delegate (and record)

  @Override
  public void addBatch(String sql) throws SQLException {
    if (recording) {
      record(s -> s.addBatch(sql));
    }
    physical.addBatch(sql);
  }

  @Override
  public void cancel() throws SQLException {
    physical.cancel(); // from another thread, typically: not recorded (the recording is not thread-safe)
  }

  @Override
  public void clearBatch() throws SQLException {
    if (recording) {
      record(s -> s.clearBatch());
    }
    physical.clearBatch();
  }

  @Override
  public void clearWarnings() throws SQLException {
    if (recording) {
      record(s -> s.clearWarnings());
    }
    physical.clearWarnings();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    if (recording) {
      record(s -> s.closeOnCompletion());
    }
    physical.closeOnCompletion();
  }

  @Override
  public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
    return physical.enquoteIdentifier(identifier, alwaysQuote);
  }

  @Override
  public String enquoteLiteral(String literal) throws SQLException {
    return physical.enquoteLiteral(literal);
  }

  @Override
  public String enquoteNCharLiteral(String literal) throws SQLException {
    return physical.enquoteNCharLiteral(literal);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return physical.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return physical.getFetchSize();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return physical.getGeneratedKeys();
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return physical.getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return physical.getLargeUpdateCount();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return physical.getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return physical.getMaxRows();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return physical.getMoreResults();
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    return physical.getMoreResults(current);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return physical.getQueryTimeout();
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return physical.getResultSet();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return physical.getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return physical.getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return physical.getResultSetType();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return physical.getUpdateCount();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return physical.getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return physical.isCloseOnCompletion();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return physical.isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String identifier) throws SQLException {
    return physical.isSimpleIdentifier(identifier);
  }

  @Override
  public void setCursorName(String value) throws SQLException {
    if (recording) {
      record(s -> s.setCursorName(value));
    }
    physical.setCursorName(value);
  }

  @Override
  public void setEscapeProcessing(boolean value) throws SQLException {
    if (recording) {
      record(s -> s.setEscapeProcessing(value));
    }
    physical.setEscapeProcessing(value);
  }

  @Override
  public void setFetchDirection(int value) throws SQLException {
    if (recording) {
      record(s -> s.setFetchDirection(value));
    }
    physical.setFetchDirection(value);
  }

  @Override
  public void setFetchSize(int value) throws SQLException {
    if (recording) {
      record(s -> s.setFetchSize(value));
    }
    physical.setFetchSize(value);
  }

  @Override
  public void setLargeMaxRows(long value) throws SQLException {
    if (recording) {
      record(s -> s.setLargeMaxRows(value));
    }
    physical.setLargeMaxRows(value);
  }

  @Override
  public void setMaxFieldSize(int value) throws SQLException {
    if (recording) {
      record(s -> s.setMaxFieldSize(value));
    }
    physical.setMaxFieldSize(value);
  }

  @Override
  public void setMaxRows(int value) throws SQLException {
    if (recording) {
      record(s -> s.setMaxRows(value));
    }
    physical.setMaxRows(value);
  }

  @Override
  public void setPoolable(boolean value) throws SQLException {
    if (recording) {
      record(s -> s.setPoolable(value));
    }
    physical.setPoolable(value);
  }

  @Override
  public void setQueryTimeout(int value) throws SQLException {
    if (recording) {
      record(s -> s.setQueryTimeout(value));
    }
    physical.setQueryTimeout(value);
  }
}
