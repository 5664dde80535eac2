package io.github.regionrouter.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code postgresql.conf} settings of every node, and the checks on settings a test adds.
 *
 * <p>Stateless and thread-safe.
 */
final class ServerSettings {

  /** Settings the harness owns: changing them would break how it reaches or wires the servers. */
  static final Set<String> MANAGED = Set.of(
      "port", "listen_addresses", "unix_socket_directories", "primary_conninfo", "hot_standby");

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]*");

  private ServerSettings() {
  }

  static Map<String, String> defaults() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listen_addresses", "'" + PgNode.HOST + "'");
    // No Unix socket: its directory would have to be writable by the server user and /tmp may be shared.
    settings.put("unix_socket_directories", "''");
    settings.put("wal_level", "replica");
    settings.put("max_wal_senders", "10");
    settings.put("max_replication_slots", "10");
    settings.put("hot_standby", "on");
    settings.put("hot_standby_feedback", "on");
    // Speed without changing what tests observe: durability against OS crashes is irrelevant for throw-away
    // clusters. synchronous_commit stays on, so a committed write has really reached the primary's WAL.
    settings.put("fsync", "off");
    settings.put("full_page_writes", "off");
    settings.put("max_connections", "300");
    settings.put("shared_buffers", "32MB");
    // Replicas report their positions every second so the primary's view (pg_stat_replication) moves promptly.
    settings.put("wal_receiver_status_interval", "1s");
    // A dead peer is noticed within seconds instead of a minute; not 1 s, which a loaded 2-core CI machine can
    // exceed between two status messages and turn into spurious replication restarts.
    settings.put("wal_sender_timeout", "5s");
    settings.put("wal_receiver_timeout", "5s");
    // A replica that started before its primary (they start in parallel) or lost it retries after 0.2 s, not 5 s.
    settings.put("wal_retrieve_retry_interval", "200ms");
    // Keep WAL for a replica that a test stopped for a while, without replication slots that would pin it forever.
    settings.put("wal_keep_size", "256MB");
    settings.put("log_line_prefix", "'%m [%p] '");
    return settings;
  }

  /**
   * Checks a setting a test asks for and returns its value as a quoted configuration-file literal.
   *
   * @throws IllegalArgumentException for a malformed name or one the harness owns
   */
  static String checkedLiteral(String name, String value) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("server setting name '" + name + "' is not a PostgreSQL setting name");
    }
    if (MANAGED.contains(name)) {
      throw new IllegalArgumentException("server setting '" + name + "' is managed by the topology (managed: "
          + String.join(", ", MANAGED) + ")");
    }
    if (value == null) {
      throw new IllegalArgumentException("server setting '" + name + "' needs a value, not null");
    }
    return "'" + value.replace("'", "''") + "'";
  }
}
