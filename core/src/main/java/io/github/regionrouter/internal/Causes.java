package io.github.regionrouter.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Turns a failed connection or poll into one line an operator can act on: the kind of failure first
 * (refused, authentication, unknown host, …), then the driver's own first line, with any JDBC URL or
 * {@code password=} in it masked. Stateless.
 */
final class Causes {

  private static final Pattern JDBC_URL = Pattern.compile("jdbc:[^\\s'\"]+");
  private static final Pattern SECRET = Pattern.compile("(?i)(password|passwd|pwd|secret|token)=[^\\s&;,)]*");

  private Causes() {
  }

  /** {@code "authentication failed (28P01): FATAL: password authentication failed for user \"app\""}. */
  static String describe(Throwable e) {
    String kind = kind(e);
    String first = redact(RoutingDataSource.firstLine(e));
    return kind == null ? first : kind + ": " + first;
  }

  /** The kind of failure, or null when it is none of the well-known ones. */
  static String kind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host '" + t.getMessage() + "'";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof SocketTimeoutException) {
        return "timed out";
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 28000 invalid_authorization_specification (no such role, no pg_hba.conf entry), 28P01 invalid_password
        if (state.startsWith("28")) {
          return "authentication failed (" + state + ")";
        }
        if (state.equals("3D000")) {
          return "database does not exist (3D000)";
        }
        if (state.equals("53300")) {
          return "too many connections (53300)";
        }
        if (state.equals("57P03")) {
          return "server is starting up or shutting down (57P03)";
        }
      }
    }
    return null;
  }

  /** What to check for a failure {@link #describe described} this way. */
  static String advice(String described) {
    String d = described == null ? "" : described;
    String check;
    if (d.startsWith("connection refused")) {
      check = "Check the host and port in this node's jdbcUrl and that PostgreSQL listens there";
    } else if (d.startsWith("authentication failed")) {
      check = "Check the username and password of this node's pool and pg_hba.conf";
    } else if (d.startsWith("unknown host")) {
      check = "Check the host name in this node's jdbcUrl and DNS";
    } else if (d.startsWith("database does not exist")) {
      check = "Check the database name in this node's jdbcUrl";
    } else if (d.startsWith("no answer") || d.startsWith("timed out")) {
      check = "The server or the network to it is not answering (frozen, overloaded or firewalled)";
    } else {
      check = "Check the node and this node's pool configuration";
    }
    return check + "; the router routes around the node and keeps polling it";
  }

  /** Masks JDBC URLs and {@code password=…}-like pairs that a driver or a caller may have put in a message. */
  static String redact(String message) {
    if (message == null) {
      return "null";
    }
    if (!message.contains("jdbc:") && message.indexOf('=') < 0) {
      return message; // the common case (node names, reasons): no regex on the health endpoint's path
    }
    String s = JDBC_URL.matcher(message).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
        JdbcUrls.redact(m.group())));
    return SECRET.matcher(s).replaceAll("$1=***");
  }
}
