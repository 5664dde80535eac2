package io.github.regionrouter.internal;

import io.github.regionrouter.NodeMisconfiguredException;
import io.github.regionrouter.NodeMisconfiguredException.Problem;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Tells a node that is down from a node that is configured wrong, from the driver's failure: the first is
 * transient ({@code RegionUnavailableException}, retry), the second is not ({@link NodeMisconfiguredException},
 * fix the configuration). Stateless.
 */
final class ConfigProblems {

  /** The start of the message LiveConnections and JdbcProbe give when no driver accepts a URL. */
  static final String NO_DRIVER = "no JDBC driver accepts ";

  private ConfigProblems() {
  }

  /** What configuration mistake {@code failure} (or a cause of it) shows, or null for anything else. */
  static Problem classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return Problem.UNKNOWN_HOST;
      }
      if (t instanceof SQLException e) {
        String state = e.getSQLState();
        if ("28P01".equals(state) || "28000".equals(state)) { // invalid_password, invalid_authorization_spec
          return Problem.AUTHENTICATION;
        }
        if ("3D000".equals(state)) { // invalid_catalog_name: the database does not exist
          return Problem.UNKNOWN_DATABASE;
        }
        String m = e.getMessage();
        if (m != null && (m.startsWith(NO_DRIVER) || m.startsWith("No suitable driver")
            || m.startsWith("cannot load JDBC driver"))) {
          return Problem.NO_DRIVER;
        }
      }
    }
    return null;
  }

  /** The SQLException in {@code failure}'s chain that {@link #classify} recognised (to chain as the cause). */
  static Throwable culprit(Throwable failure) {
    Throwable last = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException && classify(t) != null) {
        last = t;
      }
    }
    return last;
  }

  /** The typed, non-transient failure for {@code node}, or null when {@code failure} is no configuration mistake. */
  static NodeMisconfiguredException exception(Node node, String url, Throwable failure) {
    Problem problem = classify(failure);
    if (problem == null) {
      return null;
    }
    Throwable cause = culprit(failure);
    String state = "08001"; // the client could not establish the connection
    if ((problem == Problem.AUTHENTICATION || problem == Problem.UNKNOWN_DATABASE) && cause instanceof SQLException e
        && e.getSQLState() != null) {
      state = e.getSQLState(); // keep the server's
    }
    String where = "node '" + node.name + "' (region '" + node.region + "')";
    String driverSays = RoutingDataSource.firstLine(cause);
    String message = switch (problem) {
      case AUTHENTICATION -> where + " refused the login (" + state + ": " + driverSays + "). Fix the username "
          + "or password configured for node '" + node.name + "' (or the server's pg_hba.conf)";
      case UNKNOWN_DATABASE -> where + ": the database in its JDBC URL " + JdbcUrls.redact(url) + " does not exist ("
          + state + ": " + driverSays + "). Fix the database name in node '" + node.name + "''s URL, or create it";
      case UNKNOWN_HOST -> where + ": the host of its JDBC URL " + JdbcUrls.redact(url) + " does not resolve ("
          + unknownHost(failure) + "). Fix the host name in node '" + node.name + "''s URL, or the DNS";
      case NO_DRIVER -> where + ": no JDBC driver accepts its URL " + JdbcUrls.redact(url) + " (" + driverSays
          + "). PostgreSQL URLs look like jdbc:postgresql://host:5432/database; fix node '" + node.name
          + "''s URL, or put the driver on the class path";
    };
    return new NodeMisconfiguredException(node.name, node.region, problem, message
        + ". This is a configuration mistake: retrying will not help. Nothing was sent to another region.",
        state, cause);
  }

  private static String unknownHost(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException u) {
        return "UnknownHostException: " + u.getMessage();
      }
    }
    return "unknown host";
  }
}
