package io.github.regionrouter.internal;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.NodeRole;
import javax.sql.DataSource;

/**
 * One configured node: either a HikariCP config (we own the pool) or a ready data source (the caller does).
 *
 * @param name       unique node name
 * @param region     the region whose data it holds
 * @param location   where it runs
 * @param role       configured role (PRIMARY or REPLICA)
 * @param hikari     the pool config, or null
 * @param dataSource the ready data source, or null
 */
public record NodeConfig(String name, String region, String location, NodeRole role, HikariConfig hikari,
    DataSource dataSource) {

  /** A one-line description for messages; never contains credentials. */
  public String describe() {
    return role.name().toLowerCase() + " '" + name + "' (region " + region + ", location " + location + ", "
        + (hikari != null ? JdbcUrls.redact(hikari.getJdbcUrl()) : "DataSource " + dataSource.getClass().getSimpleName())
        + ")";
  }
}
