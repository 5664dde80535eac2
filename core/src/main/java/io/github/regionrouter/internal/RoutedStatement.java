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
    this.recorded = record ? new ArrayList<>(4) : null;
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
    MethodHandle constructor = type == Statement.class ? NEW_STATEMENT
        : type == PreparedStatement.class ? NEW_PREPARED : NEW_CALLABLE;
    try {
      return type.cast((Object) constructor.invoke((InvocationHandler) handler));
    } catch (Throwable e) {
      throw new IllegalStateException("region-router: could not create a statement proxy", e);
    }
  }

  private static MethodHandle proxyConstructor(Class<?> type) {
    Object sample = Proxy.newProxyInstance(RoutedStatement.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> null);
    try {
      return MethodHandles.publicLookup().findConstructor(sample.getClass(),
          MethodType.methodType(void.class, InvocationHandler.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** How {@code method} is handled: {@link #PLAIN}, {@link #QUERY} or {@link #EXECUTE}. */
  static int kind(Method method) {
    Integer k = KINDS.get(method);
    return k == null ? PLAIN : k;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (kind(method)) {
      case QUERY, EXECUTE -> {
        Object result = owner.execute(this, method, args);
        recorded = null; // a result may have reached the caller: never replayed again
        return result;
      }
      case CLOSE -> {
        if (!closed) {
          closed = true;
          recorded = null;
          owner.statementClosed();
        }
        return physical.isClosed() ? null : invokePhysical(method, args);
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
        if (recorded != null) {
          recorded.add(new Object[] {method, args});
        }
        return invokePhysical(method, args);
      }
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
    return recorded != null;
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
    for (Object[] call : recorded) {
      invokePhysical((Method) call[0], (Object[]) call[1]);
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
          kinds.put(m, QUERY);
        } else if (name.startsWith("execute")) {
          kinds.put(m, EXECUTE);
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
}
