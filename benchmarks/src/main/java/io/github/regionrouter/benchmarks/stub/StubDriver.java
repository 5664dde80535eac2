package io.github.regionrouter.benchmarks.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The stub driver: accepts {@code jdbc:stub:<name>} and opens a {@link StubConnection} named {@code <name>}
 * without any I/O. Registered with {@link DriverManager} when the class loads; HikariCP can also be given
 * its name as {@code driverClassName}. Thread-safe.
 */
public final class StubDriver implements Driver {

  /** The URL prefix this driver accepts. */
  public static final String PREFIX = "jdbc:stub:";

  static {
    try {
      DriverManager.registerDriver(new StubDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The URL of the stub node {@code name}. */
  public static String url(String name) {
    return PREFIX + name;
  }

  @Override
  public Connection connect(String url, Properties info) {
    // The Driver contract: null (not an exception) for a URL that belongs to another driver.
    return acceptsURL(url) ? new StubConnection(url.substring(PREFIX.length())) : null;
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX) && url.length() > PREFIX.length();
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("stub driver: no java.util.logging logger");
  }
}
