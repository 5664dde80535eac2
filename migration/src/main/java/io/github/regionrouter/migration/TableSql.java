package io.github.regionrouter.migration;

import static io.github.regionrouter.migration.MigrationPlan.quote;

import io.github.regionrouter.migration.MigrationPlan.TableSpec;
import io.github.regionrouter.migration.SchemaCheck.TableInfo;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements of one planned table, the same text on both servers. A batch's root keys sit in a
 * temporary table {@value #BATCH} (dropped at commit) on each side, so every statement — COPY included, which
 * takes no parameters — selects the batch by a join instead of by inlined literals.
 */
record TableSql(TableSpec table, String lock, String copyOut, String copyIn, String checksums, String delete) {

  /** The temporary table holding the batch's root keys, on each server. */
  static final String BATCH = "rr_migration_batch";

  static TableSql of(TableSpec table, TableInfo info, String rootKeyColumn) {
    List<TableSpec> chain = table.chain();
    int k = chain.size() - 1;
    StringBuilder from = new StringBuilder(table.quoted()).append(" t0");
    StringBuilder using = new StringBuilder();
    StringBuilder joinConditions = new StringBuilder();
    for (int i = 1; i <= k; i++) {
      TableSpec child = chain.get(i - 1);
      TableSpec parent = chain.get(i);
      String condition = "t" + (i - 1) + "." + quote(child.column()) + " = t" + i + "." + quote(child.parentColumn());
      from.append(" JOIN ").append(parent.quoted()).append(" t").append(i).append(" ON ").append(condition);
      using.append(i == 1 ? " USING " : ", ").append(parent.quoted()).append(" t").append(i);
      joinConditions.append(condition).append(" AND ");
    }
    String rootKey = "t" + k + "." + quote(rootKeyColumn);
    String selected = rootKey + " IN (SELECT k FROM " + BATCH + ")";
    String columns = info.columns().stream().map(c -> "t0." + quote(c.name())).collect(Collectors.joining(", "));
    String plainColumns = info.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    String key = info.primaryKey().stream().map(c -> "t0." + quote(c)).collect(Collectors.joining(", "));
    String keyText = info.primaryKey().size() == 1 ? "t0." + quote(info.primaryKey().get(0)) + "::text"
        : "concat_ws(',', " + info.primaryKey().stream().map(c -> "t0." + quote(c) + "::text")
            .collect(Collectors.joining(", ")) + ")";
    return new TableSql(table,
        "SELECT 1 FROM " + from + " WHERE " + selected + " FOR UPDATE OF t0",
        "COPY (SELECT " + columns + " FROM " + from + " WHERE " + selected + ") TO STDOUT (FORMAT binary)",
        "COPY " + table.quoted() + " (" + plainColumns + ") FROM STDIN (FORMAT binary)",
        // md5 of the row's canonical text, computed by each server; sessions share the output settings.
        "SELECT " + rootKey + "::text, " + keyText + ", md5(ROW(" + columns + ")::text) FROM " + from + " WHERE "
            + selected + " ORDER BY " + key,
        "DELETE FROM " + table.quoted() + " t0" + using + " WHERE " + joinConditions + selected);
  }
}
