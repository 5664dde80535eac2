package io.github.regionrouter;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.function.Function;

/**
 * A tiny application run by {@link OldHikariCompatibilityTest} inside a class loader that holds HikariCP 5.1:
 * builds the router over one primary, reads and writes through it, and answers what it saw. Public with a
 * public constructor so the other class loader can instantiate it; its interface ({@link Function}) comes
 * from the shared parent loader.
 */
public final class OldHikariApp implements Function<String[], String> {

  /** Needed by the test's class loader. */
  public OldHikariApp() {
  }

  @Override
  public String apply(String[] args) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername(args[1]);
    config.setDriverClassName("org.postgresql.Driver"); // what Boot sets: the NPE of HikariCP 5.1 came from here
    config.setMaximumPoolSize(2);
    try (RegionRoutingDataSource ds = RegionRoutingDataSource.builder()
        .primary("eu-primary", "eu", "fra", config).build();
         RegionContext.Scope scope = RegionContext.open("eu", "user-1");
         Connection c = ds.getConnection();
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS old_hikari (n int)");
      st.execute("INSERT INTO old_hikari VALUES (1)");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM old_hikari")) {
        rs.next();
        return HikariConfig.class.getProtectionDomain().getCodeSource().getLocation().getPath()
            + " rows=" + rs.getLong(1) + " db=" + ds.health(HealthLevel.DB).isUp();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
