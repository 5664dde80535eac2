package io.github.regionrouter.spring;

import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HikariCP settings of a node's pool, as bound from {@code region-router.pool.*} (every node) and
 * {@code region-router.regions.<r>.nodes.<n>.*} (one node, overriding). A setting left unset keeps
 * HikariCP's own default; values are handed to {@link HikariConfig} unchanged, so HikariCP validates them.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class PoolSettings {

  /** Database user of the node's connections. */
  private String username;

  /** Password of that user. Never logged. */
  private String password;

  /** JDBC driver class, when the driver is not found from the URL (rarely needed). */
  private String driverClassName;

  /** Maximum number of connections in the node's pool (HikariCP maximumPoolSize). */
  private Integer maximumPoolSize;

  /** Minimum number of idle connections kept in the node's pool (HikariCP minimumIdle). */
  private Integer minimumIdle;

  /**
   * How long a borrow waits for a connection of a primary's pool (HikariCP connectionTimeout).
   * Replica pools use the shorter region-router.replica-borrow-timeout.
   */
  private Duration connectionTimeout;

  /** How long a connection may sit idle in the pool (HikariCP idleTimeout). */
  private Duration idleTimeout;

  /** Maximum lifetime of a pooled connection (HikariCP maxLifetime). */
  private Duration maxLifetime;

  /** How often idle connections are kept alive (HikariCP keepaliveTime; 0 turns it off). */
  private Duration keepaliveTime;

  /** How long a connection is tested for aliveness at most (HikariCP validationTimeout). */
  private Duration validationTimeout;

  /** A connection out of the pool longer than this is logged as a possible leak (0 turns it off). */
  private Duration leakDetectionThreshold;

  /** SQL run on every new connection (HikariCP connectionInitSql). */
  private String connectionInitSql;

  /** Default schema of new connections (HikariCP schema). */
  private String schema;

  /** Driver properties of new connections (HikariCP dataSourceProperties), e.g. sslmode. */
  private Map<String, String> dataSourceProperties = new LinkedHashMap<>();

  /**
   * Applies the settings that are set (non-null) to config.
   *
   * @param prefix the property prefix of these settings, e.g. {@code region-router.pool}, for messages
   * @throws RegionRouterPropertyException naming the one property HikariCP rejected and its value
   */
  void applyTo(HikariConfig config, String prefix) {
    set(prefix, "username", username, config::setUsername);
    if (password != null) {
      config.setPassword(password);
    }
    set(prefix, "driver-class-name", driverClassName, config::setDriverClassName);
    set(prefix, "maximum-pool-size", maximumPoolSize, config::setMaximumPoolSize);
    set(prefix, "minimum-idle", minimumIdle, config::setMinimumIdle);
    setMillis(prefix, "connection-timeout", connectionTimeout, config::setConnectionTimeout);
    setMillis(prefix, "idle-timeout", idleTimeout, config::setIdleTimeout);
    setMillis(prefix, "max-lifetime", maxLifetime, config::setMaxLifetime);
    setMillis(prefix, "keepalive-time", keepaliveTime, config::setKeepaliveTime);
    setMillis(prefix, "validation-timeout", validationTimeout, config::setValidationTimeout);
    setMillis(prefix, "leak-detection-threshold", leakDetectionThreshold, config::setLeakDetectionThreshold);
    set(prefix, "connection-init-sql", connectionInitSql, config::setConnectionInitSql);
    set(prefix, "schema", schema, config::setSchema);
    dataSourceProperties.forEach(config::addDataSourceProperty);
  }

  private static <T> void set(String prefix, String name, T value, java.util.function.Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // HikariCP validates in its setters ("maxPoolSize cannot be less than 1"): keep its words, add ours.
      String property = prefix + "." + name;
      throw new RegionRouterPropertyException(property, String.valueOf(value),
          "what HikariCP accepts (" + e.getMessage() + ")",
          "correct " + property + " or remove it for HikariCP's default", e);
    }
  }

  private static void setMillis(String prefix, String name, Duration value, java.util.function.LongConsumer setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value.toMillis());
    } catch (IllegalArgumentException | IllegalStateException e) {
      String property = prefix + "." + name;
      throw new RegionRouterPropertyException(property, value.toMillis() + "ms",
          "what HikariCP accepts (" + e.getMessage() + ")",
          "correct " + property + " or remove it for HikariCP's default", e);
    }
  }

  /** @return the user name, or null for the driver's default */
  public String getUsername() {
    return username;
  }

  /** @param username the database user */
  public void setUsername(String username) {
    this.username = username;
  }

  /** @return the password, or null */
  public String getPassword() {
    return password;
  }

  /** @param password the database password */
  public void setPassword(String password) {
    this.password = password;
  }

  /** @return the driver class name, or null */
  public String getDriverClassName() {
    return driverClassName;
  }

  /** @param driverClassName the JDBC driver class */
  public void setDriverClassName(String driverClassName) {
    this.driverClassName = driverClassName;
  }

  /** @return the maximum pool size, or null for HikariCP's default */
  public Integer getMaximumPoolSize() {
    return maximumPoolSize;
  }

  /** @param maximumPoolSize the maximum pool size */
  public void setMaximumPoolSize(Integer maximumPoolSize) {
    this.maximumPoolSize = maximumPoolSize;
  }

  /** @return the minimum idle connections, or null for HikariCP's default */
  public Integer getMinimumIdle() {
    return minimumIdle;
  }

  /** @param minimumIdle the minimum idle connections */
  public void setMinimumIdle(Integer minimumIdle) {
    this.minimumIdle = minimumIdle;
  }

  /** @return the connection timeout, or null */
  public Duration getConnectionTimeout() {
    return connectionTimeout;
  }

  /** @param connectionTimeout the connection timeout */
  public void setConnectionTimeout(Duration connectionTimeout) {
    this.connectionTimeout = connectionTimeout;
  }

  /** @return the idle timeout, or null */
  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /** @param idleTimeout the idle timeout */
  public void setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  /** @return the maximum lifetime, or null */
  public Duration getMaxLifetime() {
    return maxLifetime;
  }

  /** @param maxLifetime the maximum lifetime */
  public void setMaxLifetime(Duration maxLifetime) {
    this.maxLifetime = maxLifetime;
  }

  /** @return the keep-alive interval, or null */
  public Duration getKeepaliveTime() {
    return keepaliveTime;
  }

  /** @param keepaliveTime the keep-alive interval */
  public void setKeepaliveTime(Duration keepaliveTime) {
    this.keepaliveTime = keepaliveTime;
  }

  /** @return the validation timeout, or null */
  public Duration getValidationTimeout() {
    return validationTimeout;
  }

  /** @param validationTimeout the validation timeout */
  public void setValidationTimeout(Duration validationTimeout) {
    this.validationTimeout = validationTimeout;
  }

  /** @return the leak detection threshold, or null */
  public Duration getLeakDetectionThreshold() {
    return leakDetectionThreshold;
  }

  /** @param leakDetectionThreshold the leak detection threshold */
  public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
    this.leakDetectionThreshold = leakDetectionThreshold;
  }

  /** @return the SQL run on new connections, or null */
  public String getConnectionInitSql() {
    return connectionInitSql;
  }

  /** @param connectionInitSql the SQL run on new connections */
  public void setConnectionInitSql(String connectionInitSql) {
    this.connectionInitSql = connectionInitSql;
  }

  /** @return the default schema, or null */
  public String getSchema() {
    return schema;
  }

  /** @param schema the default schema */
  public void setSchema(String schema) {
    this.schema = schema;
  }

  /** @return the driver properties (mutable, for binding) */
  public Map<String, String> getDataSourceProperties() {
    return dataSourceProperties;
  }

  /** @param dataSourceProperties the driver properties */
  public void setDataSourceProperties(Map<String, String> dataSourceProperties) {
    this.dataSourceProperties = dataSourceProperties;
  }
}
