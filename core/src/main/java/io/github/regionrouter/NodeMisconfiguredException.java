package io.github.regionrouter;

import java.sql.SQLNonTransientConnectionException;

/**
 * A node cannot be reached because of its configuration, not because it is down: the server refused the login
 * (SQLState {@code 28P01}/{@code 28000}), the database in the URL does not exist ({@code 3D000}), no JDBC driver
 * accepts the URL (a typo such as {@code jdbc:postgres://}), or the host name does not resolve. Retrying does
 * not help: the message names the node and what to fix, and the driver's failure is the cause (for an unknown
 * host, with the {@link java.net.UnknownHostException} beneath it). The SQLState is the server's when it sent
 * one, else {@code 08001}.
 *
 * <p>Routing still holds: nothing was sent to another region. A misconfigured replica costs readers nothing
 * (rule 7: the next candidate serves them); this is thrown when the node that had to serve — the region's
 * primary for a write, every candidate for a read — is misconfigured.
 */
public final class NodeMisconfiguredException extends SQLNonTransientConnectionException {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the node's configuration. */
  public enum Problem {
    /** The server refused the user or password (28P01, 28000). */
    AUTHENTICATION,
    /** The database named in the JDBC URL does not exist on the server (3D000). */
    UNKNOWN_DATABASE,
    /** No JDBC driver accepts the URL, or the configured driver class cannot be loaded. */
    NO_DRIVER,
    /** The host name in the JDBC URL does not resolve. */
    UNKNOWN_HOST
  }

  private final String node;
  private final String region;
  private final Problem problem;

  /**
   * @param node     the misconfigured node
   * @param region   its region
   * @param problem  what is wrong
   * @param message  the whole story: the node, what failed, and what to fix
   * @param sqlState the server's SQLState, or {@code 08001}
   * @param cause    the driver's failure
   */
  public NodeMisconfiguredException(String node, String region, Problem problem, String message, String sqlState,
      Throwable cause) {
    super(message, sqlState, cause);
    this.node = node;
    this.region = region;
    this.problem = problem;
  }

  /** The misconfigured node. */
  public String node() {
    return node;
  }

  /** The node's region. */
  public String region() {
    return region;
  }

  /** What is wrong. */
  public Problem problem() {
    return problem;
  }
}
