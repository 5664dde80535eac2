package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Which statement methods the routed statement treats as executions (the rest is delegated unchanged). */
class RoutedStatementTest {

  @Test
  void executeQueryIsAQuery_everyOtherExecutionMayWrite_andSettersAreDelegated() throws Exception {
    assertThat(RoutedStatement.kind(Statement.class.getMethod("executeQuery", String.class)))
        .isEqualTo(RoutedStatement.QUERY);
    assertThat(RoutedStatement.kind(PreparedStatement.class.getMethod("executeQuery")))
        .isEqualTo(RoutedStatement.QUERY);
    for (var m : new java.lang.reflect.Method[] {
        Statement.class.getMethod("execute", String.class),
        Statement.class.getMethod("executeUpdate", String.class),
        Statement.class.getMethod("executeBatch"),
        Statement.class.getMethod("executeLargeUpdate", String.class),
        PreparedStatement.class.getMethod("execute"),
        PreparedStatement.class.getMethod("executeUpdate"),
        PreparedStatement.class.getMethod("executeLargeUpdate"),
    }) {
      assertThat(RoutedStatement.kind(m)).as(m.toString()).isEqualTo(RoutedStatement.EXECUTE);
    }
    assertThat(RoutedStatement.kind(PreparedStatement.class.getMethod("setInt", int.class, int.class)))
        .isEqualTo(RoutedStatement.PLAIN);
    assertThat(RoutedStatement.kind(CallableStatement.class.getMethod("getString", int.class)))
        .isEqualTo(RoutedStatement.PLAIN);
  }
}
