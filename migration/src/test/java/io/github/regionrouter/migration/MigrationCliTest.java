package io.github.regionrouter.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Argument handling of the command line; the end-to-end run is in {@link MigrationIntegrationTest}. */
class MigrationCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return MigrationCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void missingRequiredOption_exitsWith2_andPrintsUsage() {
    assertThat(run("migrate", "--from", "us")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("migrate: missing --from-url\n" + MigrationCli.USAGE);
  }

  @Test
  void unknownCommand_exitsWith2() {
    assertThat(run("move")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("migrate: the first argument must be the command 'migrate'\n");
  }

  @Test
  void urlThatIsNotPostgres_isRefusedWithoutPrintingIt() {
    assertThat(run("migrate", "--from", "us", "--from-url", "jdbc:mysql://h/db?password=secret", "--to", "eu",
        "--to-url", "jdbc:postgresql://127.0.0.1/x", "--directory-url", "jdbc:postgresql://127.0.0.1/x",
        "--root", "users:id", "--subject-expr", "sub", "--subjects-query", "SELECT 1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("migrate: a URL option is not a jdbc:postgresql: URL (not printed: it may hold credentials)\n")
        .doesNotContain("secret");
  }

  @Test
  void malformedChild_namesTheExpectedForms() {
    assertThat(run("migrate", "--from", "us", "--from-url", "jdbc:postgresql://127.0.0.1/x", "--to", "eu",
        "--to-url", "jdbc:postgresql://127.0.0.1/x", "--directory-url", "jdbc:postgresql://127.0.0.1/x",
        "--root", "users:id", "--subject-expr", "sub", "--child", "orders:user_id:users",
        "--subjects-query", "SELECT 1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("migrate: --child 'orders:user_id:users' needs "
        + "TABLE:COLUMN or TABLE:COLUMN:PARENT_TABLE:PARENT_COLUMN\n");
  }
}
