package io.github.regionrouter.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which rows belong to a subject: a root table with one row per subject, keyed by a column, and child
 * tables reached from it by a column holding the root key or by a foreign-key path through another
 * declared table. Immutable.
 *
 * <pre>{@code
 * MigrationPlan plan = MigrationPlan.builder()
 *     .root("users", "id", "'https://idp.example.com/|' || sub")   // key column, subject expression
 *     .child("orders", "user_id")                                   // orders.user_id = users.id
 *     .child("order_items", "order_id", "orders", "id")             // order_items.order_id = orders.id
 *     .child("events", "user_id")                                   // a column, no foreign key needed
 *     .build();
 * }</pre>
 *
 * <p>Every table needs a primary key (rows are compared by it), and a referenced column must be the root key
 * or a unique column of its table; both are checked on both servers before any row moves. Keys must be
 * unique across regions (UUIDs, or sequences with region offsets): a copied key that already exists on the
 * target stops the batch.
 */
public final class MigrationPlan {

  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final List<TableSpec> tables;

  private MigrationPlan(List<TableSpec> tables) {
    this.tables = List.copyOf(tables);
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The tables, root first, each after the table it is reached through. */
  List<TableSpec> tables() {
    return tables;
  }

  /** The root table. */
  TableSpec root() {
    return tables.get(0);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MigrationPlan[");
    for (TableSpec t : tables) {
      sb.append(t.describe()).append("; ");
    }
    return sb.append(']').toString();
  }

  /** One declared table: where its rows hang from (null for the root). */
  record TableSpec(String name, String column, TableSpec parent, String parentColumn, String subjectExpression) {

    boolean isRoot() {
      return parent == null;
    }

    /** The quoted, possibly schema-qualified name. */
    String quoted() {
      return quoteQualified(name);
    }

    /** The tables from this one up to the root (this one first). */
    List<TableSpec> chain() {
      List<TableSpec> chain = new ArrayList<>();
      for (TableSpec t = this; t != null; t = t.parent) {
        chain.add(t);
      }
      return chain;
    }

    String describe() {
      return isRoot() ? name + " (root, key " + column + ")"
          : name + "." + column + " -> " + parent.name + "." + parentColumn;
    }
  }

  static String quote(String ident) {
    return '"' + ident + '"';
  }

  static String quoteQualified(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? quote(name) : quote(name.substring(0, dot)) + "." + quote(name.substring(dot + 1));
  }

  /** Builds a {@link MigrationPlan}; not thread-safe. */
  public static final class Builder {

    private final List<TableSpec> tables = new ArrayList<>();

    private Builder() {
    }

    /**
     * The root table: one row per subject.
     *
     * @param table             the table ({@code name} or {@code schema.name})
     * @param keyColumn         its key column; the subjects query returns values of it
     * @param subjectExpression a SQL expression over the root row giving the subject as the router sees it
     *                          ({@code iss|sub} for JWT callers), e.g. a column name; trusted configuration,
     *                          evaluated by the source server
     * @throws IllegalArgumentException if a name is not a plain identifier or the expression is blank
     * @throws IllegalStateException    if a root was already declared
     */
    public Builder root(String table, String keyColumn, String subjectExpression) {
      requireTable(table);
      requireIdent("root key column", keyColumn);
      Objects.requireNonNull(subjectExpression, "subjectExpression");
      if (subjectExpression.isBlank()) {
        throw new IllegalArgumentException("subjectExpression of root table '" + table + "' is blank");
      }
      if (!tables.isEmpty()) {
        throw new IllegalStateException("root table was already declared: '" + tables.get(0).name() + "'");
      }
      tables.add(new TableSpec(table, keyColumn, null, null, subjectExpression));
      return this;
    }

    /**
     * A child table whose {@code column} holds the root table's key (a foreign key is not required).
     *
     * @throws IllegalArgumentException if a name is not a plain identifier
     * @throws IllegalStateException    if no root was declared or the table was already declared
     */
    public Builder child(String table, String column) {
      requireRoot(table);
      return child(table, column, tables.get(0).name(), tables.get(0).column());
    }

    /**
     * A child table reached through another declared table: {@code table.column = parentTable.parentColumn}
     * (typically a foreign key), with {@code parentColumn} unique in {@code parentTable}.
     *
     * @throws IllegalArgumentException if a name is not a plain identifier or {@code parentTable} was not
     *                                  declared before
     * @throws IllegalStateException    if no root was declared or the table was already declared
     */
    public Builder child(String table, String column, String parentTable, String parentColumn) {
      requireRoot(table);
      requireTable(table);
      requireIdent("column of table '" + table + "'", column);
      requireIdent("referenced column of table '" + parentTable + "'", parentColumn);
      TableSpec parent = find(parentTable);
      if (parent == null) {
        throw new IllegalArgumentException("table '" + table + "' is reached through '" + parentTable
            + "', which is not declared before it (declared: " + tables.stream().map(TableSpec::name).toList()
            + ")");
      }
      if (find(table) != null) {
        throw new IllegalStateException("table '" + table + "' is already declared");
      }
      tables.add(new TableSpec(table, column, parent, parentColumn, null));
      return this;
    }

    /**
     * Builds the plan.
     *
     * @throws IllegalStateException if no root table was declared
     */
    public MigrationPlan build() {
      if (tables.isEmpty()) {
        throw new IllegalStateException("a migration plan needs a root table: call root(table, keyColumn, "
            + "subjectExpression)");
      }
      return new MigrationPlan(tables);
    }

    private void requireRoot(String table) {
      if (tables.isEmpty()) {
        throw new IllegalStateException("declare the root table before child table '" + table + "'");
      }
    }

    private TableSpec find(String name) {
      for (TableSpec t : tables) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      return null;
    }

    private static void requireTable(String table) {
      Objects.requireNonNull(table, "table");
      int dot = table.indexOf('.');
      boolean ok = dot < 0 ? IDENT.matcher(table).matches()
          : IDENT.matcher(table.substring(0, dot)).matches() && IDENT.matcher(table.substring(dot + 1)).matches();
      if (!ok) {
        throw new IllegalArgumentException("table '" + table + "' is not a plain identifier (name or "
            + "schema.name: letters, digits, '_'; at most 63 characters)");
      }
    }

    private static void requireIdent(String what, String ident) {
      Objects.requireNonNull(ident, what);
      if (!IDENT.matcher(ident).matches()) {
        throw new IllegalArgumentException(what + " '" + ident + "' is not a plain identifier (letters, digits, "
            + "'_'; at most 63 characters)");
      }
    }
  }
}
