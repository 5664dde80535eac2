package io.github.regionrouter.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/**
 * A migration process that dies — {@link Runtime#halt(int)}, no finally block, no clean-up, its connections
 * dropped by the operating system — right after batch 2 committed on the target and before the source delete
 * committed. Run in a child JVM by {@link MigrationIntegrationTest}.
 */
public final class KillAfterTargetCommit {

  /** Exit status of the halt, as for a process killed with SIGKILL. */
  static final int KILLED = 137;

  private KillAfterTargetCommit() {
  }

  /**
   * @param args the US primary's URL, the EU primary's URL, the user
   */
  public static void main(String[] args) {
    try (HikariDataSource us = pool(args[0], args[2]); HikariDataSource eu = pool(args[1], args[2])) {
      Migration.builder()
          .plan(Shop.plan())
          .from("us", us)
          .to("eu", eu)
          .directory(PostgresRegionDirectory.builder(us).maxStaleness(Duration.ofMillis(100)).build())
          .subjectsQuery(Shop.EU_USERS)
          .batchSize(25)
          .listener(new MigrationListener() {
            @Override
            public void phase(int batch, Phase phase) {
              if (batch == 2 && phase == Phase.TARGET_COMMITTED) {
                Runtime.getRuntime().halt(KILLED);
              }
            }
          })
          .build()
          .run();
    }
    System.exit(0); // not killed: the test fails on this status
  }

  private static HikariDataSource pool(String url, String user) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setMaximumPoolSize(3);
    return new HikariDataSource(c);
  }
}
