package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Which executions the routed statement treats as queries, and that every JDBC method is its own. */
class RoutedStatementTest {

  @Test
  void executeQueryIsAQuery_everyOtherExecutionMayWrite() {
    assertThat(RoutedStatement.isQuery(RoutedStatement.QUERY)).isTrue();
    assertThat(RoutedStatement.isQuery(RoutedStatement.PREPARED_QUERY)).isTrue();
    for (int op : new int[] {RoutedStatement.UPDATE, RoutedStatement.UPDATE_KEYS, RoutedStatement.UPDATE_INDEXES,
        RoutedStatement.UPDATE_NAMES, RoutedStatement.EXECUTE, RoutedStatement.EXECUTE_KEYS,
        RoutedStatement.EXECUTE_INDEXES, RoutedStatement.EXECUTE_NAMES, RoutedStatement.BATCH,
        RoutedStatement.LARGE_BATCH, RoutedStatement.LARGE_UPDATE, RoutedStatement.LARGE_UPDATE_KEYS,
        RoutedStatement.LARGE_UPDATE_INDEXES, RoutedStatement.LARGE_UPDATE_NAMES, RoutedStatement.PREPARED_UPDATE,
        RoutedStatement.PREPARED_EXECUTE, RoutedStatement.PREPARED_LARGE_UPDATE}) {
      assertThat(RoutedStatement.isQuery(op)).as("op %d", op).isFalse();
    }
  }

  /**
   * The JDBC interfaces' default methods ({@code executeLargeUpdate}, {@code enquoteLiteral}…) throw or answer
   * without the driver: each must be overridden, so the driver's own implementation runs, as through the proxy
   * this class replaced.
   */
  @Test
  void everyJdbcMethod_defaultOnesIncluded_isImplementedByTheWrapper() throws Exception {
    check(Statement.class, RoutedStatement.class);
    check(PreparedStatement.class, RoutedPreparedStatement.class);
    check(CallableStatement.class, RoutedCallableStatement.class);
  }

  private static void check(Class<?> iface, Class<?> wrapper) throws Exception {
    for (Method m : iface.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method impl = wrapper.getMethod(m.getName(), m.getParameterTypes());
      assertThat(impl.getDeclaringClass().isInterface()).as("%s in %s", m, wrapper.getSimpleName()).isFalse();
    }
  }
}
