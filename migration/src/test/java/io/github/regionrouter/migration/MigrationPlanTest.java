package io.github.regionrouter.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Plan and builder validation: pure, no database. */
class MigrationPlanTest {

  @Test
  void childReachedThroughAnUndeclaredTable_isRefused() {
    assertThatThrownBy(() -> MigrationPlan.builder().root("users", "id", "sub")
        .child("order_items", "order_id", "orders", "id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table 'order_items' is reached through 'orders', which is not declared before it (declared: "
            + "[users])");
  }

  @Test
  void childBeforeRoot_isRefused() {
    assertThatThrownBy(() -> MigrationPlan.builder().child("orders", "user_id"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("declare the root table before child table 'orders'");
  }

  @Test
  void tableNameThatIsNotAPlainIdentifier_isRefused() {
    assertThatThrownBy(() -> MigrationPlan.builder().root("users; DROP TABLE x", "id", "sub"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table 'users; DROP TABLE x' is not a plain identifier (name or schema.name: letters, digits, "
            + "'_'; at most 63 characters)");
  }

  @Test
  void planWithoutRoot_isRefused() {
    assertThatThrownBy(() -> MigrationPlan.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a migration plan needs a root table: call root(table, keyColumn, subjectExpression)");
  }

  @Test
  void tablesKeepDeclarationOrder_withTheirPathToTheRoot() {
    MigrationPlan plan = Shop.plan();
    assertThat(plan.tables()).extracting(MigrationPlan.TableSpec::name)
        .containsExactly("users", "orders", "order_items", "events");
    assertThat(plan.tables().get(2).chain()).extracting(MigrationPlan.TableSpec::name)
        .containsExactly("order_items", "orders", "users");
    assertThat(plan.toString()).isEqualTo("MigrationPlan[users (root, key id); orders.user_id -> users.id; "
        + "order_items.order_id -> orders.id; events.user_id -> users.id; ]");
  }

  @Test
  void migrationBuilder_namesEveryMissingSetting() {
    assertThatThrownBy(() -> Migration.builder().batchSize(10).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("migration is missing: plan, from(region, primary), to(region, primary), directory, "
            + "subjectsQuery");
  }

  @Test
  void migrationBuilder_rejectsBadValuesAtOnce() {
    assertThatThrownBy(() -> Migration.builder().batchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be between 1 and 10000, was 0");
    assertThatThrownBy(() -> Migration.builder().lockTimeout(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lockTimeout cannot be less than 100ms, was 10ms");
  }
}
