package io.github.regionrouter.testing;

import java.util.Objects;

/**
 * One PostgreSQL server of a started {@link PostgresTopology}, as it was declared: name, region, location,
 * configured role, and where it listens.
 *
 * <p>The role is the <em>configured</em> one: after {@link PostgresTopology#promote(String)} the node still
 * reports the primary it was declared to follow, although the server is now writable. Ports are fixed for the
 * life of the topology, also across {@link PostgresTopology#restart(String)}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PgNode {

  /** The only address the servers listen on. */
  static final String HOST = "127.0.0.1";

  private final String name;
  private final String region;
  private final String location;
  private final String primaryName;
  private final int port;

  PgNode(String name, String region, String location, String primaryName, int port) {
    this.name = Objects.requireNonNull(name, "name");
    this.region = Objects.requireNonNull(region, "region");
    this.location = Objects.requireNonNull(location, "location");
    this.primaryName = primaryName;
    this.port = port;
  }

  /**
   * The node's unique name within its topology.
   *
   * @return the name, e.g. {@code eu-replica}
   */
  public String name() {
    return name;
  }

  /**
   * The region whose data this node holds; a replica has its primary's region.
   *
   * @return the region, e.g. {@code eu}
   */
  public String region() {
    return region;
  }

  /**
   * Where the node runs; only used to pick link latencies.
   *
   * @return the location, e.g. {@code fra}
   */
  public String location() {
    return location;
  }

  /**
   * The primary this replica was declared to follow.
   *
   * @return the primary's node name, or {@code null} if this node is a primary
   */
  public String primaryName() {
    return primaryName;
  }

  /**
   * Whether the node was declared as a primary.
   *
   * @return {@code true} for a primary, {@code false} for a replica (also after its promotion)
   */
  public boolean isPrimary() {
    return primaryName == null;
  }

  /**
   * The address the server listens on.
   *
   * @return always {@code 127.0.0.1}
   */
  public String host() {
    return HOST;
  }

  /**
   * The TCP port the server listens on; it stays the same across restarts.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The JDBC URL of the server's {@code postgres} database. Connect as user {@code postgres} without a password
   * (trust authentication).
   *
   * @return {@code jdbc:postgresql://127.0.0.1:<port>/postgres}
   */
  public String jdbcUrl() {
    return jdbcUrl(HOST, port);
  }

  static String jdbcUrl(String host, int port) {
    return "jdbc:postgresql://" + host + ":" + port + "/postgres";
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PgNode)) {
      return false;
    }
    PgNode other = (PgNode) o;
    return port == other.port
        && name.equals(other.name)
        && region.equals(other.region)
        && location.equals(other.location)
        && Objects.equals(primaryName, other.primaryName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, region, location, primaryName, port);
  }

  @Override
  public String toString() {
    return name + "[" + region + "/" + location + " " + (isPrimary() ? "primary" : "replica of " + primaryName)
        + " :" + port + "]";
  }
}
