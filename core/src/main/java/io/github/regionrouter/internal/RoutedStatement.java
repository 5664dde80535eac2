package io.github.regionrouter.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statement a {@link RoutedConnection} hands out: a JDK proxy over the physical statement that lets the
 * connection see each execution (is it a write, did it commit, did it leave session state) and retry a
 * read's first execution on another node when the replica failed before any result reached the caller.
 *
 * <p>Why a proxy and not a hand-written class: {@code Statement}, {@code PreparedStatement} and
 * {@code CallableStatement} have some 250 methods, of which two kinds have behaviour here (the executions,
 * and {@code close}/{@code getConnection}); HikariCP generates its statement proxies for the same reason.
 * Methods are classified once, at class initialisation, into a map keyed by {@link Method}; nothing is
 * dispatched on names at run time. While the statement's first execution may still be retried, the calls
 * made on it (parameters, fetch size, batches) are recorded so that they can be replayed on the new node.
 *
 * <p>Cost per call, measured with JMH on the stub driver (issue 13): the proxy's {@code Object[]} of arguments
 * cannot be avoided, but one map look-up per call classifies it (its kind carries, for the common executions
 * and {@code close}, a direct call to the physical statement instead of {@link Method#invoke}), and the
 * recording list is allocated only when a call is recorded.
 *
 * <p>Not thread-safe, like the statement it wraps.
 */
final class RoutedStatement implements InvocationHandler {

  /** How a method is handled. */
  static final int PLAIN = 0;
  /** {@code executeQuery}: a plain select run this way does not count as a write. */
  static final int QUERY = 1;
  /** Any other execution: {@code execute}, {@code executeUpdate}, {@code executeBatch}, large variants. */
  static final int EXECUTE = 2;
  private static final int CLOSE = 3;
  private static final int GET_CONNECTION = 4;
  private static final int IS_CLOSED = 5;
  private static final int EQUALS = 6;
  private static final int HASH_CODE = 7;
  private static final int TO_STRING = 8;
  /** Bits of a classification above the kind: which direct call runs it (0: reflection). */
  private static final int DIRECT_SHIFT = 4;
  private static final int KIND_MASK = (1 << DIRECT_SHIFT) - 1;
  private static final int SQL_QUERY = 1;
  private static final int SQL_UPDATE = 2;
  private static final int SQL_EXECUTE = 3;
  private static final int PREPARED_QUERY = 4;
  private static final int PREPARED_UPDATE = 5;
  private static final int PREPARED_EXECUTE = 6;
  private static final int BATCH = 7;

  /** The creator arguments of {@code createStatement()}: shared, never written. */
  static final Object[] NO_ARGS = new Object[0];

  private static final Map<Method, Integer> KINDS = classify();
  /** Proxy constructors, looked up once: {@code Proxy.newProxyInstance} looks the class up on every call. */
  private static final MethodHandle NEW_STATEMENT = proxyConstructor(Statement.class);
  private static final MethodHandle NEW_PREPARED = proxyConstructor(PreparedStatement.class);
  private static final MethodHandle NEW_CALLABLE = proxyConstructor(CallableStatement.class);

  private final RoutedConnection owner;
  private final Class<?> type;
  private final Method creator;
  private final Object[] creatorArgs;
  /** The statement's text when given at creation (prepared and callable statements). */
  final String sql;
  Statement physical;
  /** Whether calls are kept for a replay: until the first execution, on a statement that may be retried. */
  private boolean recording;
  /** The calls kept, allocated at the first one. */
  private List<Object[]> recorded;
  private boolean closed;

  private RoutedStatement(RoutedConnection owner, Class<?> type, Statement physical, Method creator,
      Object[] creatorArgs, String sql, boolean record) {
    this.owner = owner;
    this.type = type;
    this.physical = physical;
    this.creator = creator;
    this.creatorArgs = creatorArgs;
    this.sql = sql;
    this.recording = record;
  }

  /**
   * Wraps {@code physical}, made by {@code creator(creatorArgs)} on the physical connection, as {@code type}.
   * When {@code record} is set, calls are kept for a replay until the first execution.
   */
  static <T extends Statement> T wrap(RoutedConnection owner, Class<T> type, Statement physical, Method creator,
      Object[] creatorArgs, boolean record) {
    String sql = type != Statement.class && creatorArgs != null && creatorArgs.length > 0
        && creatorArgs[0] instanceof String s ? s : null;
    RoutedStatement handler = new RoutedStatement(owner, type, physical, creator, creatorArgs, sql, record);
    try {
      // invokeExact on each constant handle: JMH showed the generic invoke's type check on a handle chosen at
      // run time in every routed cycle
      Object proxy = type == Statement.class ? (Object) NEW_STATEMENT.invokeExact((InvocationHandler) handler)
          : type == PreparedStatement.class ? (Object) NEW_PREPARED.invokeExact((InvocationHandler) handler)
          : (Object) NEW_CALLABLE.invokeExact((InvocationHandler) handler);
      return type.cast(proxy);
    } catch (Throwable e) {
      throw new IllegalStateException("region-router: could not create a statement proxy", e);
    }
  }

  private static MethodHandle proxyConstructor(Class<?> type) {
    Object sample = Proxy.newProxyInstance(RoutedStatement.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> null);
    try {
      return MethodHandles.publicLookup().findConstructor(sample.getClass(),
          MethodType.methodType(void.class, InvocationHandler.class))
          .asType(MethodType.methodType(Object.class, InvocationHandler.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** How {@code method} is handled: {@link #PLAIN}, {@link #QUERY} or {@link #EXECUTE}. */
  static int kind(Method method) {
    return classification(method) & KIND_MASK;
  }

  /** The kind in the low bits, the direct call above {@link #DIRECT_SHIFT}. */
  private static int classification(Method method) {
    Integer k = KINDS.get(method);
    return k == null ? PLAIN : k;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    int classification = classification(method);
    switch (classification & KIND_MASK) {
      case QUERY, EXECUTE -> {
        Object result = owner.execute(this, classification, method, args);
        recording = false; // a result may have reached the caller: never replayed again
        recorded = null;
        return result;
      }
      case CLOSE -> {
        if (!closed) {
          closed = true;
          recording = false;
          recorded = null;
          owner.statementClosed();
        }
        if (!physical.isClosed()) {
          physical.close();
        }
        return null;
      }
      case GET_CONNECTION -> {
        return owner;
      }
      case IS_CLOSED -> {
        return closed || physical.isClosed();
      }
      case EQUALS -> {
        return proxy == args[0];
      }
      case HASH_CODE -> {
        return System.identityHashCode(proxy);
      }
      case TO_STRING -> {
        return "Routed" + physical;
      }
      default -> {
        if (recording) {
          if (recorded == null) {
            recorded = new ArrayList<>(4);
          }
          recorded.add(new Object[] {method, args});
        }
        return invokePhysical(method, args);
      }
    }
  }

  /** Whether {@code classification} (of an execution) is a query: a plain select run this way is no write. */
  static boolean isQuery(int classification) {
    return (classification & KIND_MASK) == QUERY;
  }

  /** Runs an execution classified as {@code classification} on the physical statement. */
  Object execute(int classification, Method method, Object[] args) throws Throwable {
    switch (classification >>> DIRECT_SHIFT) {
      case SQL_QUERY:
        return physical.executeQuery((String) args[0]);
      case SQL_UPDATE:
        return physical.executeUpdate((String) args[0]);
      case SQL_EXECUTE:
        return physical.execute((String) args[0]);
      case PREPARED_QUERY:
        return ((PreparedStatement) physical).executeQuery();
      case PREPARED_UPDATE:
        return ((PreparedStatement) physical).executeUpdate();
      case PREPARED_EXECUTE:
        return ((PreparedStatement) physical).execute();
      case BATCH:
        return physical.executeBatch();
      default:
        return invokePhysical(method, args);
    }
  }

  /** Runs {@code method} on the physical statement, rethrowing what it threw. */
  Object invokePhysical(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(physical, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Whether the calls made so far can be replayed on another physical connection. */
  boolean replayable() {
    return recording;
  }

  /** Creates the statement anew on {@code connection} and replays the calls recorded so far. */
  void recreateOn(java.sql.Connection connection) throws Throwable {
    Statement old = physical;
    try {
      physical = (Statement) creator.invoke(connection, creatorArgs);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    try {
      old.close();
    } catch (SQLException e) {
      // the old statement belonged to a connection that failed; nothing to keep from it
    }
    if (recorded != null) {
      for (Object[] call : recorded) {
        invokePhysical((Method) call[0], (Object[]) call[1]);
      }
    }
  }

  @Override
  public String toString() {
    return "RoutedStatement[" + type.getSimpleName() + (sql == null ? "" : ", " + sql) + "]";
  }

  private static Map<Method, Integer> classify() {
    Map<Method, Integer> kinds = new HashMap<>();
    for (Class<?> c : List.of(Statement.class, PreparedStatement.class, CallableStatement.class)) {
      for (Method m : c.getMethods()) {
        String name = m.getName();
        if (name.equals("executeQuery")) {
          kinds.put(m, QUERY | direct(m) << DIRECT_SHIFT);
        } else if (name.startsWith("execute")) {
          kinds.put(m, EXECUTE | direct(m) << DIRECT_SHIFT);
        } else if (name.equals("close") && m.getParameterCount() == 0) {
          kinds.put(m, CLOSE);
        } else if (name.equals("getConnection") && m.getParameterCount() == 0) {
          kinds.put(m, GET_CONNECTION);
        } else if (name.equals("isClosed") && m.getParameterCount() == 0) {
          kinds.put(m, IS_CLOSED);
        }
      }
    }
    try {
      kinds.put(Object.class.getMethod("equals", Object.class), EQUALS);
      kinds.put(Object.class.getMethod("hashCode"), HASH_CODE);
      kinds.put(Object.class.getMethod("toString"), TO_STRING);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
    return Map.copyOf(kinds);
  }

  /** Which direct call runs execution {@code m}, or 0 (reflection) for the rarer variants. */
  private static int direct(Method m) {
    try {
      return directCall(m);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static int directCall(Method m) throws NoSuchMethodException {
    if (m.equals(Statement.class.getMethod("executeQuery", String.class))) {
      return SQL_QUERY;
    }
    if (m.equals(Statement.class.getMethod("executeUpdate", String.class))) {
      return SQL_UPDATE;
    }
    if (m.equals(Statement.class.getMethod("execute", String.class))) {
      return SQL_EXECUTE;
    }
    if (m.equals(PreparedStatement.class.getMethod("executeQuery"))) {
      return PREPARED_QUERY;
    }
    if (m.equals(PreparedStatement.class.getMethod("executeUpdate"))) {
      return PREPARED_UPDATE;
    }
    if (m.equals(PreparedStatement.class.getMethod("execute"))) {
      return PREPARED_EXECUTE;
    }
    return m.equals(Statement.class.getMethod("executeBatch")) ? BATCH : 0;
  }
}
