package io.github.regionrouter.internal;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The monitor's own connection to a node built from a HikariCP config: same URL and credentials, its own
 * short timeouts, no pool. pgjdbc's {@code connectTimeout} and {@code loginTimeout} are whole seconds
 * ({@link ReplicaMonitor#connectTimeout}, at least 2 s so a node an ocean away can be reached), so a frozen
 * node costs the monitor that long per attempt — on the monitor's thread for that node only; the network
 * timeout of each poll is set per statement in milliseconds.
 */
final class JdbcProbe {

  private JdbcProbe() {
  }

  static ProbeConnector forConfig(HikariConfig hc, RouterConfig config) {
    String url = hc.getJdbcUrl();
    Properties props = new Properties();
    props.putAll(hc.getDataSourceProperties());
    if (hc.getUsername() != null) {
      props.setProperty("user", hc.getUsername());
    }
    if (hc.getPassword() != null) {
      props.setProperty("password", hc.getPassword());
    }
    long seconds = ReplicaMonitor.connectTimeout(config).toSeconds();
    props.setProperty("connectTimeout", Long.toString(seconds));
    props.setProperty("loginTimeout", Long.toString(seconds));
    props.setProperty("socketTimeout", Long.toString(Math.max(seconds, 5)));
    props.setProperty("ApplicationName", "region-router-monitor");
    String driverClass = hc.getDriverClassName();
    return () -> {
      Driver driver = driverClass != null ? load(driverClass) : DriverManager.getDriver(url);
      Connection c = driver.connect(url, props);
      if (c == null) {
        throw new SQLException(ConfigProblems.NO_DRIVER + JdbcUrls.redact(url), "08001");
      }
      return c;
    };
  }

  static Driver load(String className) throws SQLException {
    try {
      return (Driver) Class.forName(className, true, Thread.currentThread().getContextClassLoader())
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new SQLException("cannot load JDBC driver " + className, "08001", e);
    }
  }
}
