package io.github.regionrouter.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running multi-region PostgreSQL topology for tests: one primary per region, streaming replicas, real faults
 * (paused replay, stopped, frozen or promoted servers) and simulated links with latency and failures
 * ({@link LatencyProxy}). No Docker: the servers are local processes started from PostgreSQL binaries that come
 * as a Maven artifact.
 *
 * <pre>{@code
 * try (PostgresTopology topo = PostgresTopology.builder()
 *     .primary("eu-primary", "eu", "fra")
 *     .replica("eu-replica", "eu-primary", "fra")
 *     .start()) {
 *   try (Connection c = topo.connect("eu-primary")) { ... }
 *   topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Every server listens on {@code 127.0.0.1} on its own port and trusts user {@code postgres} without a
 * password. Nodes of a region share one PostgreSQL system identifier; different regions have different ones.
 * When the JVM runs as root the servers run as user {@code nobody}.
 *
 * <p>{@link #close()} stops every server and proxy and deletes every temporary directory; a shutdown hook does the
 * same on JVM exit, a watchdog process when the JVM is killed, and the next topology start in any JVM sweeps what
 * a killed JVM may still have left.
 *
 * <p>Thread-safe: operations on one node are serialized; operations on different nodes may run concurrently.
 * Once closed, the accessors ({@link #nodes()}, {@link #node}, {@link #jdbcUrl}, {@link #user()}) still answer
 * and {@link #close()} does nothing; every other method throws {@link IllegalStateException}.
 */
public final class PostgresTopology implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresTopology.class);
  private static final Duration TERMINATE_GRACE = Duration.ofSeconds(10);
  private static final String USER = "postgres";

  private final Map<String, PgServer> servers;
  private final Map<String, Duration> latencies;
  private final ProcessRunner runner;
  private final Workspace workspace;
  private final Thread shutdownHook;
  private final Map<String, LatencyProxy> links = new LinkedHashMap<>();
  private final Object lock = new Object();
  private volatile List<PgNode> nodes = List.of();
  private boolean closed;

  private PostgresTopology(Map<String, PgServer> servers, Map<String, Duration> latencies, ProcessRunner runner,
      Workspace workspace) {
    this.servers = servers;
    this.latencies = latencies;
    this.runner = runner;
    this.workspace = workspace;
    this.shutdownHook = new Thread(this::close, "region-router-topology-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts declaring a new topology.
   *
   * @return a new builder; builders are not thread-safe, use one per thread
   */
  public static Builder builder() {
    return new Builder();
  }

  private static PostgresTopology launch(Builder spec) {
    long started = System.nanoTime();
    ProcessRunner runner = ProcessRunner.forThisJvm();
    LeftoverSweeper.sweepOnce(runner);
    PostgresBinaries binaries = PostgresBinaries.resolve();
    Workspace workspace = Workspace.create(runner);
    Map<String, PgServer> servers = new LinkedHashMap<>();
    spec.nodes.forEach((name, node) -> servers.put(name, new PgServer(name, spec.regionOf(node), node.location,
        node.primaryName, workspace.root(), runner, binaries)));
    PostgresTopology topology = new PostgresTopology(Collections.unmodifiableMap(servers),
        Map.copyOf(spec.latencies), runner, workspace);
    try {
      new TopologyLauncher(new ArrayList<>(servers.values()), spec.settings).launch();
    } catch (RuntimeException | Error e) {
      try {
        topology.close();
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    topology.nodes = servers.values().stream().map(PgServer::toNode).collect(Collectors.toUnmodifiableList());
    LOG.info("PostgreSQL topology started in {} ms with {} nodes {} (servers run as {}, in {})",
        (System.nanoTime() - started) / 1_000_000, servers.size(), topology.nodes, runner.serverUser(),
        workspace.root());
    return topology;
  }

  /**
   * Every node.
   *
   * @return the nodes in declaration order, unmodifiable
   */
  public List<PgNode> nodes() {
    return nodes;
  }

  /**
   * The node of that name.
   *
   * @param name the node name
   * @return the node, as declared, with its port
   * @throws IllegalArgumentException if there is no such node; the message names the known ones
   */
  public PgNode node(String name) {
    return lookup(name).toNode();
  }

  /**
   * The JDBC URL of the node's {@code postgres} database, {@code jdbc:postgresql://127.0.0.1:<port>/postgres}.
   *
   * @param name the node name
   * @return {@code jdbc:postgresql://127.0.0.1:<port>/postgres}
   * @throws IllegalArgumentException if there is no such node
   */
  public String jdbcUrl(String name) {
    return node(name).jdbcUrl();
  }

  /**
   * The database user every node trusts without a password.
   *
   * @return {@code postgres}
   */
  public String user() {
    return USER;
  }

  /**
   * A new plain JDBC connection (through {@link DriverManager}) to the node, as {@link #user()}. Timeouts keep a
   * stopped, frozen or unreachable node from hanging the caller: 5 s to connect, 10 s to log in, 30 s per socket
   * read (lower it per connection with {@link Connection#setNetworkTimeout}). The caller closes it.
   *
   * @param name the node name
   * @return a new connection with auto-commit on
   * @throws IllegalArgumentException if there is no such node
   * @throws SQLException if the node cannot be reached, as the driver reports it
   */
  public Connection connect(String name) throws SQLException {
    PgNode node = server(name).toNode();
    return DriverManager.getConnection(node.jdbcUrl(), PgServer.connectionProperties(Duration.ofSeconds(30)));
  }

  /**
   * Pauses WAL replay on a replica ({@code pg_wal_replay_pause()}) and returns once replay has actually stopped:
   * from then on its replay position does not move, while it still receives WAL.
   *
   * @param name the node name
   * @throws IllegalArgumentException if there is no such node or it is a primary
   * @throws TopologyException if the server refuses (for instance because it was promoted)
   */
  public void pauseReplay(String name) {
    ReplicationControl.pauseReplay(replica(name, "pauseReplay"));
  }

  /**
   * Resumes WAL replay on a replica ({@code pg_wal_replay_resume()}); it then catches up with what it received.
   *
   * @param name the node name
   * @throws IllegalArgumentException if there is no such node or it is a primary
   * @throws TopologyException if the server refuses
   */
  public void resumeReplay(String name) {
    ReplicationControl.resumeReplay(replica(name, "resumeReplay"));
  }

  /**
   * Stops a node with {@code pg_ctl stop -m fast|immediate}; a frozen node is thawed first. Its port stays
   * reserved for {@link #restart(String)}.
   *
   * @param name the node name
   * @param mode how to stop it
   * @throws IllegalArgumentException if there is no such node
   * @throws IllegalStateException if the node is already stopped
   * @throws TopologyException if {@code pg_ctl} fails
   */
  public void stop(String name, StopMode mode) {
    Objects.requireNonNull(mode, "mode");
    server(name).stop(mode);
  }

  /**
   * Starts a stopped node again on the same port and returns when it accepts connections (a replica may still be
   * catching up then; use {@link #awaitReplayed}).
   *
   * @param name the node name
   * @throws IllegalArgumentException if there is no such node
   * @throws IllegalStateException if the node is not stopped
   * @throws TopologyException if the server does not start; the message ends with its log
   */
  public void restart(String name) {
    server(name).restart();
  }

  /**
   * Freezes a node: {@code SIGSTOP} to its postmaster and every child process. Connections stay open and new
   * ones are accepted by the kernel, but nothing answers, as with a hung host; clients hit their timeouts.
   *
   * @param name the node name
   * @throws IllegalArgumentException if there is no such node
   * @throws IllegalStateException if the node is not running (stopped, or frozen already)
   */
  public void freeze(String name) {
    server(name).freeze();
  }

  /**
   * Thaws a frozen node ({@code SIGCONT}); it carries on where it stopped.
   *
   * @param name the node name
   * @throws IllegalArgumentException if there is no such node
   * @throws IllegalStateException if the node is not frozen
   */
  public void thaw(String name) {
    server(name).thaw();
  }

  /**
   * Promotes a replica ({@code pg_promote(true, 30)}) and returns once it accepts writes. It keeps the metadata it
   * was declared with ({@link PgNode#primaryName()}); its former primary keeps running.
   *
   * @param name the node name
   * @throws IllegalArgumentException if there is no such node or it is a primary
   * @throws TopologyException if promotion fails or does not finish within 30 s
   */
  public void promote(String name) {
    ReplicationControl.promote(replica(name, "promote"));
  }

  /**
   * Waits until the replica has replayed everything its primary had written when this method was called
   * ({@code pg_last_wal_replay_lsn() >= pg_current_wal_lsn()} of the primary, taken at call time).
   *
   * @param name the replica's node name
   * @param timeout how long to wait at most
   * @throws IllegalArgumentException if there is no such node, it is a primary, or the timeout is negative
   * @throws TopologyException on timeout (with both positions and the replay state), or if a server cannot be
   *     queried
   */
  public void awaitReplayed(String name, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout.toMillis() + " ms");
    }
    PgServer replica = replica(name, "awaitReplayed");
    ReplicationControl.awaitReplayed(replica, server(replica.primaryName()), timeout);
  }

  /**
   * The proxy that stands for the network link from a location to a node: created and started on first use
   * with the {@linkplain Builder#latency preset delay} between the two locations (none if not preset), then the
   * same instance for that pair until {@link #close()}, which closes it.
   *
   * @param fromLocation where the client is, e.g. {@code sin}
   * @param nodeName the node at the other end
   * @return the started proxy, owned by the topology (do not close it; {@link LatencyProxy#restore()} it)
   * @throws IllegalArgumentException if there is no such node or the location is blank
   */
  public LatencyProxy link(String fromLocation, String nodeName) {
    Builder.checkToken(fromLocation, "location");
    PgServer server = server(nodeName);
    synchronized (lock) {
      checkOpen();
      return links.computeIfAbsent(fromLocation + "->" + nodeName, key -> LatencyProxy.start(PgNode.HOST,
          server.port(), latencies.getOrDefault(Builder.pair(fromLocation, server.toNode().location()),
              Duration.ZERO)));
    }
  }

  /**
   * The JDBC URL of a node as seen from a location: through {@link #link(String, String)}'s proxy.
   *
   * @param fromLocation where the client is, e.g. {@code sin}
   * @param nodeName the node at the other end
   * @return {@code jdbc:postgresql://127.0.0.1:<proxy port>/postgres}
   * @throws IllegalArgumentException if there is no such node or the location is blank
   */
  public String jdbcUrlFrom(String fromLocation, String nodeName) {
    LatencyProxy proxy = link(fromLocation, nodeName);
    return PgNode.jdbcUrl(proxy.host(), proxy.port());
  }

  /**
   * Stops every server (frozen ones are thawed; immediate shutdown, which is what a throw-away cluster needs),
   * closes every proxy and deletes every temporary directory. Idempotent; also run by a shutdown hook.
   *
   * @throws TopologyException if a server process or the directory could not be removed (after trying all)
   */
  @Override
  public void close() {
    List<LatencyProxy> proxies;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      proxies = new ArrayList<>(links.values());
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to; this close does the work first
      }
    }
    proxies.forEach(LatencyProxy::close);
    List<Long> postmasters = new ArrayList<>();
    for (PgServer server : servers.values()) {
      server.postmasterPid().ifPresent(postmasters::add);
    }
    boolean allGone = Postmaster.terminate(runner, postmasters, TERMINATE_GRACE);
    servers.values().forEach(PgServer::markTerminated);
    if (!allGone) {
      throw new TopologyException("servers " + postmasters + " of topology " + workspace.root()
          + " did not exit; their directory is left for the next run's sweep");
    }
    try {
      workspace.close();
    } catch (IOException e) {
      throw new TopologyException("deleting " + workspace.root() + " failed: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "PostgresTopology" + nodes;
  }

  /** The postmaster pid of a node while it runs; for tests of the harness itself. */
  OptionalLong postmasterPid(String name) {
    return server(name).postmasterPid();
  }

  /** The topology's temporary directory; for tests of the harness itself. */
  java.nio.file.Path directory() {
    return workspace.root();
  }

  /** The node's server, for an operation on it: fails once the topology is closed. */
  private PgServer server(String name) {
    PgServer server = lookup(name);
    synchronized (lock) {
      checkOpen();
    }
    return server;
  }

  private PgServer lookup(String name) {
    PgServer server = servers.get(name);
    if (server == null) {
      throw new IllegalArgumentException("unknown node '" + name + "' (known nodes: "
          + String.join(", ", servers.keySet()) + ")");
    }
    return server;
  }

  private PgServer replica(String name, String operation) {
    PgServer server = server(name);
    if (server.isPrimary()) {
      throw new IllegalArgumentException(operation + " needs a replica, but node '" + name + "' is a primary"
          + " (replicas: " + servers.values().stream().filter(s -> !s.isPrimary()).map(PgServer::name)
          .collect(Collectors.joining(", ")) + ")");
    }
    return server;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the topology is closed");
    }
  }

  /**
   * Declares the nodes of a topology, then {@linkplain #start() starts} it. Names and locations are short tokens
   * of letters, digits, {@code _}, {@code .} and {@code -}.
   *
   * <p>Not thread-safe; use a builder from one thread.
   */
  public static final class Builder {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    private final Map<String, Duration> latencies = new LinkedHashMap<>();
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder() {
    }

    /**
     * Declares the primary of a region.
     *
     * @param name the node name, unique in the topology, e.g. {@code eu-primary}
     * @param region the region the primary writes, e.g. {@code eu}
     * @param location where the node runs, e.g. {@code fra}
     * @return this builder
     * @throws IllegalArgumentException if a name, region or location is blank or not a token
     * @throws IllegalStateException if the node name is taken or the region has a primary already
     */
    public Builder primary(String name, String region, String location) {
      checkToken(name, "node name");
      checkToken(region, "region");
      checkToken(location, "location");
      checkNewName(name);
      for (Map.Entry<String, NodeSpec> node : nodes.entrySet()) {
        if (region.equals(node.getValue().region)) {
          throw new IllegalStateException("region '" + region + "' has a primary already: '" + node.getKey()
              + "' (one primary per region)");
        }
      }
      nodes.put(name, new NodeSpec(region, location, null));
      return this;
    }

    /**
     * Declares a streaming replica of a primary (declared before or after it); the replica belongs to the
     * primary's region.
     *
     * @param name the node name, unique in the topology, e.g. {@code eu-replica}
     * @param primaryName the name of the primary it streams from
     * @param location where the node runs, e.g. {@code fra}
     * @return this builder
     * @throws IllegalArgumentException if a name or location is blank or not a token
     * @throws IllegalStateException if the node name is taken
     */
    public Builder replica(String name, String primaryName, String location) {
      checkToken(name, "node name");
      checkToken(primaryName, "primary name");
      checkToken(location, "location");
      checkNewName(name);
      nodes.put(name, new NodeSpec(null, location, primaryName));
      return this;
    }

    /**
     * Presets the one-way delay of every {@linkplain PostgresTopology#link link} between two locations, in both
     * directions; a link between two locations without a preset has none. Links created later start with it;
     * change a link's delay with {@link LatencyProxy#delay(Duration)}.
     *
     * @param locationA one location, e.g. {@code fra}
     * @param locationB the other location, e.g. {@code sin}
     * @param oneWay the delay added in each direction
     * @return this builder
     * @throws IllegalArgumentException if a location is blank or the delay negative
     * @throws IllegalStateException if the pair has a preset already
     */
    public Builder latency(String locationA, String locationB, Duration oneWay) {
      checkToken(locationA, "location");
      checkToken(locationB, "location");
      Objects.requireNonNull(oneWay, "oneWay");
      if (oneWay.isNegative()) {
        throw new IllegalArgumentException("latency " + locationA + "<->" + locationB + " must not be negative, was "
            + oneWay.toMillis() + " ms");
      }
      Duration previous = latencies.putIfAbsent(pair(locationA, locationB), oneWay);
      if (previous != null) {
        throw new IllegalStateException("latency " + locationA + "<->" + locationB + " was already set to "
            + previous.toMillis() + " ms");
      }
      return this;
    }

    /**
     * Adds a {@code postgresql.conf} setting for every node, e.g. {@code serverSetting("max_standby_streaming_delay",
     * "1s")}; the value is quoted as needed.
     *
     * @param name the setting's name
     * @param value its value, unquoted
     * @return this builder
     * @throws IllegalArgumentException if the name is malformed or a setting the topology manages
     *     ({@code port}, {@code listen_addresses}, {@code unix_socket_directories}, {@code primary_conninfo},
     *     {@code hot_standby})
     */
    public Builder serverSetting(String name, String value) {
      settings.put(name, ServerSettings.checkedLiteral(name, value));
      return this;
    }

    /**
     * Starts the topology: separate clusters per region, replicas copied from their primaries, all servers up
     * and every replica streaming when this returns.
     *
     * @return the started topology; the caller closes it
     * @throws IllegalStateException if no primary is declared or a replica follows a node that is not a declared
     *     primary
     * @throws TopologyException if a server cannot be set up or started (everything started is cleaned up)
     */
    public PostgresTopology start() {
      if (nodes.values().stream().allMatch(node -> node.primaryName != null)) {
        throw new IllegalStateException("a topology needs at least one primary; declared: " + nodes.keySet());
      }
      for (Map.Entry<String, NodeSpec> node : nodes.entrySet()) {
        String primary = node.getValue().primaryName;
        if (primary != null && (!nodes.containsKey(primary) || nodes.get(primary).primaryName != null)) {
          throw new IllegalStateException("replica '" + node.getKey() + "' follows '" + primary
              + "', which is not a declared primary (primaries: " + nodes.entrySet().stream()
              .filter(e -> e.getValue().primaryName == null).map(Map.Entry::getKey).collect(Collectors.joining(", "))
              + ")");
        }
      }
      return launch(this);
    }

    String regionOf(NodeSpec node) {
      return node.primaryName == null ? node.region : nodes.get(node.primaryName).region;
    }

    private void checkNewName(String name) {
      if (nodes.containsKey(name)) {
        throw new IllegalStateException("node '" + name + "' is already declared");
      }
    }

    static void checkToken(String value, String what) {
      if (value == null || !TOKEN.matcher(value).matches()) {
        throw new IllegalArgumentException(what + " '" + value + "' must be a non-empty token of letters, digits,"
            + " '_', '.' and '-'");
      }
    }

    static String pair(String a, String b) {
      return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }
  }

  /** A declared node. */
  private static final class NodeSpec {
    final String region;
    final String location;
    final String primaryName;

    NodeSpec(String region, String location, String primaryName) {
      this.region = region;
      this.location = location;
      this.primaryName = primaryName;
    }
  }
}
