package io.github.regionrouter.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens the monitor's own connection to a node, never one of the application's pooled connections. */
@FunctionalInterface
interface ProbeConnector {

  /** Opens a new connection; the monitor closes it. */
  Connection open() throws SQLException;
}
