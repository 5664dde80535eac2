import java.lang.reflect.*;
import java.sql.*;
import java.util.*;

/**
 * Prints the mechanical delegation methods of one routed statement class, as committed in RoutedStatement,
 * RoutedPreparedStatement and RoutedCallableStatement (after the "mechanical" line; a few parameter names and
 * cancel() were then edited by hand). Not part of the build: run it with
 * {@code java StatementWrappers.java java.sql.PreparedStatement "prepared()"}.
 */
public class StatementWrappers {
  static final Set<String> SPECIAL = Set.of(
      "executeQuery", "executeUpdate", "execute", "executeBatch", "executeLargeBatch", "executeLargeUpdate",
      "close", "getConnection", "isClosed", "unwrap", "isWrapperFor");

  public static void main(String[] a) throws Exception {
    Class<?> iface = Class.forName(a[0]);
    String cast = a[1]; // expression for the typed physical statement
    String type = iface.getSimpleName();
    List<Method> ms = new ArrayList<>(Arrays.asList(iface.getDeclaredMethods()));
    ms.removeIf(m -> Modifier.isStatic(m.getModifiers()) || SPECIAL.contains(m.getName()));
    ms.sort(Comparator.comparing(Method::getName).thenComparing(m -> Arrays.toString(m.getGenericParameterTypes())));
    StringBuilder out = new StringBuilder();
    for (Method m : ms) {
      String tp = "";
      if (m.getTypeParameters().length > 0) {
        StringJoiner j = new StringJoiner(", ", "<", "> ");
        for (TypeVariable<Method> v : m.getTypeParameters()) j.add(v.getName());
        tp = j.toString();
      }
      Type[] pts = m.getGenericParameterTypes();
      String[] names = names(iface, m);
      StringJoiner params = new StringJoiner(", ");
      StringJoiner args = new StringJoiner(", ");
      for (int i = 0; i < pts.length; i++) {
        params.add(simple(pts[i].getTypeName()) + " " + names[i]);
        args.add(names[i]);
      }
      boolean dep = m.isAnnotationPresent(Deprecated.class);
      out.append("\n");
      if (dep) out.append("  @Deprecated\n");
      out.append("  @Override\n");
      out.append("  public ").append(tp).append(simple(m.getGenericReturnType().getTypeName())).append(' ')
          .append(m.getName()).append('(').append(params).append(") throws SQLException {\n");
      String call = m.getName() + "(" + args + ")";
      if (m.getReturnType() == void.class) {
        out.append("    if (recording) {\n");
        String lam = "s -> " + (type.equals("Statement") ? "s." : "((" + type + ") s).") + call;
        String line = "      record(" + lam + ");";
        if (line.length() > 120) {
          line = "      record(s -> " + (type.equals("Statement") ? "s." : "((" + type + ") s).") + "\n          " + call + ");";
        }
        out.append(line).append("\n    }\n");
        out.append("    ").append(cast).append('.').append(call).append(";\n");
      } else {
        out.append("    return ").append(cast).append('.').append(call).append(";\n");
      }
      out.append("  }\n");
    }
    System.out.print(out);
  }

  static String simple(String t) {
    return t.replaceAll("java\\.(lang|sql|io|math|net|util)\\.", "");
  }

  static String[] names(Class<?> iface, Method m) {
    Class<?>[] p = m.getParameterTypes();
    String[] n = new String[p.length];
    boolean param = iface != Statement.class;
    for (int i = 0; i < p.length; i++) {
      String name;
      if (i == 0 && param && p[0] == int.class && p.length > 0 && !m.getName().equals("setFetchSize")
          && !m.getName().equals("setMaxRows") && !m.getName().equals("setQueryTimeout")) {
        name = "parameterIndex";
      } else if (i == 0 && param && p[0] == String.class && iface == CallableStatement.class) {
        name = "parameterName";
      } else if (p[i] == Calendar.class) {
        name = "cal";
      } else if (p[i] == SQLType.class || (p[i] == int.class && i == 1 && (m.getName().equals("setNull") || m.getName().equals("registerOutParameter")))) {
        name = "sqlType";
      } else if (i == 2 && p[i] == int.class && m.getName().equals("registerOutParameter")) {
        name = "scale";
      } else if (p[i] == String.class && i == 2) {
        name = "typeName";
      } else if (p[i] == Class.class) {
        name = "type";
      } else if ((p[i] == int.class || p[i] == long.class) && i == 2 && (p[1] == java.io.InputStream.class || p[1] == java.io.Reader.class)) {
        name = "length";
      } else if (p[i] == int.class && i == 2 && m.getName().startsWith("set")) {
        name = p.length == 3 && m.getName().equals("setObject") ? "targetSqlType" : "scaleOrLength";
      } else if (p[i] == int.class && i == 3) {
        name = "scaleOrLength";
      } else if (p.length == 1 && !param) {
        name = "value";
      } else if (i == 1 && m.getName().startsWith("set")) {
        name = "x";
      } else if (p[i] == Map.class) {
        name = "map";
      } else if (p[i] == int.class && i == 1 && m.getName().startsWith("get")) {
        name = "scale";
      } else {
        name = "arg" + i;
      }
      n[i] = name;
    }
    // de-duplicate
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n.length; i++) {
      if (!seen.add(n[i])) { n[i] = n[i] + i; }
    }
    return n;
  }
}
