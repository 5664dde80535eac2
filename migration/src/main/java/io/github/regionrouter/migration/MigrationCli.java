package io.github.regionrouter.migration;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The command line: {@code java -jar region-router-migration-<version>-cli.jar migrate --from us --to eu ...}.
 * Credentials come from {@code PGUSER} / {@code PGPASSWORD} (or the URLs); URLs are never printed.
 *
 * <p>Exit codes: 0 done, 1 failed, 2 bad arguments, 3 paused (see the report), 4 schemas differ.
 */
public final class MigrationCli {

  static final String USAGE = String.join("\n",
      "usage: migrate --from REGION --from-url JDBC_URL --to REGION --to-url JDBC_URL",
      "               --directory-url JDBC_URL --root TABLE:KEY_COLUMN --subject-expr SQL_EXPRESSION",
      "               [--child TABLE:COLUMN | --child TABLE:COLUMN:PARENT_TABLE:PARENT_COLUMN]...",
      "               --subjects-query SQL [--batch-size 500] [--dry-run] [--name NAME]",
      "               [--staleness 1s] [--lock-timeout 5s]",
      "  --root/--child    the plan: the root table keyed by the subject's key, children by a column or a",
      "                    foreign-key path through a table declared before",
      "  --subject-expr    SQL over the root row giving the router's subject (e.g. iss || '|' || sub)",
      "  --subjects-query  run on the source; its first column: the root keys of the subjects to move",
      "  --staleness       the app's region-directory staleness: the fence settles this long per batch",
      "  credentials: PGUSER and PGPASSWORD (or in the URLs)");

  private static final Set<String> FLAGS = Set.of("--dry-run");
  private static final Set<String> OPTIONS = Set.of("--from", "--from-url", "--to", "--to-url", "--directory-url",
      "--root", "--subject-expr", "--child", "--subjects-query", "--batch-size", "--name", "--staleness",
      "--lock-timeout");

  private MigrationCli() {
  }

  /**
   * Runs the command and exits with its code.
   *
   * @param args {@code migrate} and its options; see {@link #USAGE}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, List<String>> opts;
    Migration migration;
    try {
      opts = parse(args);
      migration = build(opts, out);
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("migrate: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      MigrationResult r = migration.run();
      out.printf("%s: %d batches (%d resumed), %d subjects, %d rows in %.1f s (%.0f rows/s)%n",
          r.dryRun() ? "dry run verified" : "done", r.batches(), r.resumed(), r.subjects(), r.rows(),
          r.elapsed().toMillis() / 1000.0, r.rowsPerSecond());
      return 0;
    } catch (SchemaMismatchException e) {
      err.println("migrate: " + e.getMessage());
      return 4;
    } catch (MigrationPausedException e) {
      err.println("migrate: " + e.getMessage());
      return 3;
    } catch (MigrationException e) {
      err.println("migrate: " + e.getMessage());
      return 1;
    }
  }

  static Map<String, List<String>> parse(String[] args) {
    if (args.length == 0 || !"migrate".equals(args[0])) {
      throw new IllegalArgumentException("the first argument must be the command 'migrate'");
    }
    Map<String, List<String>> opts = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (FLAGS.contains(a)) {
        opts.computeIfAbsent(a, k -> new ArrayList<>()).add("true");
      } else if (OPTIONS.contains(a)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        opts.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    for (String required : List.of("--from", "--from-url", "--to", "--to-url", "--directory-url", "--root",
        "--subject-expr", "--subjects-query")) {
      if (!opts.containsKey(required)) {
        throw new IllegalArgumentException("missing " + required);
      }
    }
    return opts;
  }

  private static Migration build(Map<String, List<String>> opts, PrintStream out) {
    String[] root = split(one(opts, "--root"), "--root", 2, 2);
    MigrationPlan.Builder plan = MigrationPlan.builder().root(root[0], root[1], one(opts, "--subject-expr"));
    for (String child : opts.getOrDefault("--child", List.of())) {
      String[] c = split(child, "--child", 2, 4);
      if (c.length == 2) {
        plan.child(c[0], c[1]);
      } else if (c.length == 4) {
        plan.child(c[0], c[1], c[2], c[3]);
      } else {
        throw new IllegalArgumentException("--child '" + child + "' needs TABLE:COLUMN or "
            + "TABLE:COLUMN:PARENT_TABLE:PARENT_COLUMN");
      }
    }
    Duration staleness = duration(opts, "--staleness", Duration.ofSeconds(1));
    PostgresRegionDirectory directory = PostgresRegionDirectory.builder(dataSource(one(opts, "--directory-url")))
        .maxStaleness(staleness).build();
    Migration.Builder b = Migration.builder()
        .plan(plan.build())
        .from(one(opts, "--from"), dataSource(one(opts, "--from-url")))
        .to(one(opts, "--to"), dataSource(one(opts, "--to-url")))
        .directory(directory)
        .subjectsQuery(one(opts, "--subjects-query"))
        .lockTimeout(duration(opts, "--lock-timeout", Duration.ofSeconds(5)))
        .dryRun(opts.containsKey("--dry-run"))
        .listener(new MigrationListener() {
          @Override
          public void progress(MigrationProgress progress) {
            out.println(progress);
          }
        });
    if (opts.containsKey("--batch-size")) {
      try {
        b.batchSize(Integer.parseInt(one(opts, "--batch-size")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--batch-size '" + one(opts, "--batch-size") + "' is not a number");
      }
    }
    if (opts.containsKey("--name")) {
      b.name(one(opts, "--name"));
    }
    return b.build();
  }

  private static String one(Map<String, List<String>> opts, String name) {
    List<String> values = opts.get(name);
    if (values.size() > 1) {
      throw new IllegalArgumentException(name + " given " + values.size() + " times");
    }
    return values.get(0);
  }

  private static String[] split(String value, String option, int min, int max) {
    String[] parts = value.split(":", -1);
    if (parts.length < min || parts.length > max) {
      throw new IllegalArgumentException(option + " '" + value + "' has " + parts.length + " ':'-separated parts");
    }
    return parts;
  }

  private static Duration duration(Map<String, List<String>> opts, String name, Duration dflt) {
    if (!opts.containsKey(name)) {
      return dflt;
    }
    String v = one(opts, name).trim().toLowerCase();
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(name + " '" + v + "' is not a duration like 500ms or 2s");
  }

  private static DataSource dataSource(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("a URL option is not a jdbc:postgresql: URL (not printed: it may hold "
          + "credentials)");
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try {
      ds.setURL(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a URL option could not be parsed by pgjdbc (not printed: it may hold "
          + "credentials)");
    }
    String user = System.getenv("PGUSER");
    String password = System.getenv("PGPASSWORD");
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setApplicationName("region-router-migration");
    return ds;
  }
}
