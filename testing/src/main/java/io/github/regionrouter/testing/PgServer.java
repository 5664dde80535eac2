package io.github.regionrouter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * One PostgreSQL server of a topology: its directories, its configuration files, and the {@code pg_ctl} and signal
 * operations on its processes.
 *
 * <p>Layout: {@code <topology dir>/<name>/data} (the data directory) and {@code <topology dir>/<name>/server.log};
 * the node directory belongs to the server user so that {@code pg_ctl -l} can write the log.
 *
 * <p>Thread-safe: every operation that changes the server's state is synchronized on the instance.
 */
final class PgServer {

  /** How long {@code pg_ctl} may wait for a start or stop ({@code pg_ctl -t}). */
  static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(30);
  private static final int PORT_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 30;

  /** What the harness believes the server is doing. */
  enum State { NEW, RUNNING, STOPPED, FROZEN }

  private final String name;
  private final String region;
  private final String location;
  private final String primaryName;
  private final Path nodeDir;
  private final ProcessRunner runner;
  private final PostgresBinaries binaries;
  private volatile int port;
  private State state = State.NEW;
  private List<Long> frozen = List.of();

  PgServer(String name, String region, String location, String primaryName, Path topologyDir, ProcessRunner runner,
      PostgresBinaries binaries) {
    this.name = name;
    this.region = region;
    this.location = location;
    this.primaryName = primaryName;
    this.nodeDir = topologyDir.resolve(name);
    this.runner = runner;
    this.binaries = binaries;
  }

  String name() {
    return name;
  }

  boolean isPrimary() {
    return primaryName == null;
  }

  String primaryName() {
    return primaryName;
  }

  int port() {
    return port;
  }

  Path dataDir() {
    return nodeDir.resolve("data");
  }

  Path logFile() {
    return nodeDir.resolve("server.log");
  }

  synchronized State state() {
    return state;
  }

  /** The public view; only meaningful once the port is final (after the first start). */
  PgNode toNode() {
    return new PgNode(name, region, location, primaryName, port);
  }

  /** Creates the node directory, owned by the server user. */
  void createNodeDir() throws IOException {
    Files.createDirectories(nodeDir);
    PostgresBinaries.setPermissions(nodeDir, 0755);
    runner.giveToServerUser(nodeDir);
  }

  /** Runs {@code initdb}: a new cluster, hence a new system identifier (one per region). */
  void initdb() throws IOException {
    createNodeDir();
    runner.runAsServerUser("initdb of node '" + name + "'", Duration.ofSeconds(120), nodeDir, List.of(
        binaries.program("initdb").toString(), "-D", dataDir().toString(), "-U", "postgres", "-A", "trust",
        "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"))
        .orThrow("initdb of node '" + name + "'");
  }

  /**
   * Appends the harness settings to {@code postgresql.conf} and {@code pg_hba.conf} of a fresh cluster; replicas
   * inherit both with the file copy.
   */
  void writeClusterSettings(Map<String, String> extraSettings) throws IOException {
    StringBuilder conf = new StringBuilder("\n# region-router-testing\n");
    ServerSettings.defaults().forEach((key, value) -> conf.append(key).append(" = ").append(value).append('\n'));
    extraSettings.forEach((key, value) -> conf.append(key).append(" = ").append(value).append('\n'));
    Files.writeString(dataDir().resolve("postgresql.conf"), conf, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Files.writeString(dataDir().resolve("pg_hba.conf"),
        "\n# region-router-testing: everything over loopback, no passwords\n"
            + "host all all 127.0.0.1/32 trust\n"
            + "host replication all 127.0.0.1/32 trust\n",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** Makes this (replica) node's data directory a copy of the cleanly stopped, never started primary's. */
  void copyClusterFrom(PgServer primary) throws IOException {
    createNodeDir();
    FileTrees.copy(primary.dataDir(), dataDir());
    Files.writeString(dataDir().resolve("standby.signal"), "", StandardCharsets.UTF_8);
    runner.giveToServerUser(nodeDir);
  }

  /**
   * Rewrites {@code postgresql.auto.conf} (which wins over {@code postgresql.conf}) with what differs per node:
   * the port and, for a replica, where its primary is.
   */
  void writeNodeSettings(int port, int primaryPort) throws IOException {
    StringBuilder conf = new StringBuilder("# Written by region-router-testing; ALTER SYSTEM may add to it.\n")
        .append("port = ").append(port).append('\n');
    if (!isPrimary()) {
      conf.append("primary_conninfo = 'host=").append(PgNode.HOST).append(" port=").append(primaryPort)
          .append(" user=postgres application_name=").append(name).append("'\n");
    }
    // Truncating keeps the inode, hence the owner (the server user), of the file initdb created.
    Files.writeString(dataDir().resolve("postgresql.auto.conf"), conf, StandardCharsets.UTF_8);
    this.port = port;
  }

  /**
   * First start: like {@link #start()}, but picks another port when the chosen one was taken between the pick and
   * the server's bind.
   */
  synchronized void firstStart(int primaryPort) throws IOException {
    for (int attempt = 1; ; attempt++) {
      writeNodeSettings(Ports.pick(), primaryPort);
      ProcessRunner.Result result = pgCtlStart();
      if (result.exitCode() == 0) {
        state = State.RUNNING;
        return;
      }
      if (attempt >= PORT_ATTEMPTS || !logTail().contains("could not bind")) {
        throw startFailure(result);
      }
    }
  }

  /** Starts a stopped server on its port; waits until it accepts connections (read-only ones for a replica). */
  synchronized void restart() {
    if (state != State.STOPPED) {
      throw new IllegalStateException("node '" + name + "' cannot be restarted: it is " + describe(state));
    }
    ProcessRunner.Result result = pgCtlStart();
    if (result.exitCode() != 0) {
      throw startFailure(result);
    }
    state = State.RUNNING;
  }

  private ProcessRunner.Result pgCtlStart() {
    return runner.runAsServerUser("start of node '" + name + "'", PG_CTL_TIMEOUT.plusSeconds(10), nodeDir, List.of(
        binaries.program("pg_ctl").toString(), "-D", dataDir().toString(), "-l", logFile().toString(),
        "-w", "-t", Long.toString(PG_CTL_TIMEOUT.toSeconds()), "start"));
  }

  private TopologyException startFailure(ProcessRunner.Result result) {
    return new TopologyException("node '" + name + "' (port " + port + ") did not start (pg_ctl exit code "
        + result.exitCode() + "): " + result.output() + "\n--- last lines of " + logFile() + " ---\n" + logTail());
  }

  /** Stops the server with {@code pg_ctl stop -m fast|immediate}; a frozen server is thawed first. */
  synchronized void stop(StopMode mode) {
    if (state == State.FROZEN) {
      thaw();
    }
    if (state != State.RUNNING) {
      throw new IllegalStateException("node '" + name + "' cannot be stopped: it is " + describe(state));
    }
    runner.runAsServerUser("stop of node '" + name + "'", PG_CTL_TIMEOUT.plusSeconds(10), nodeDir, List.of(
        binaries.program("pg_ctl").toString(), "-D", dataDir().toString(), "-m", mode.pgCtlMode(),
        "-w", "-t", Long.toString(PG_CTL_TIMEOUT.toSeconds()), "stop"))
        .orThrow("stop (" + mode + ") of node '" + name + "'");
    state = State.STOPPED;
  }

  /** {@code SIGSTOP}s the postmaster, then all its children, until no new child appears. */
  synchronized void freeze() {
    if (state != State.RUNNING) {
      throw new IllegalStateException("node '" + name + "' cannot be frozen: it is " + describe(state));
    }
    long postmaster = postmasterPid().orElseThrow(() -> new TopologyException(
        "node '" + name + "' cannot be frozen: no live postmaster in " + dataDir().resolve("postmaster.pid")));
    // The postmaster first, so that it forks no new child while the children are being stopped.
    Postmaster.signal(runner, "STOP", List.of(postmaster));
    List<Long> stopped = new ArrayList<>(List.of(postmaster));
    for (int round = 0; round < 5; round++) {
      List<Long> fresh = new ArrayList<>(Postmaster.withDescendants(postmaster));
      fresh.removeAll(stopped);
      if (fresh.isEmpty()) {
        break;
      }
      Postmaster.signal(runner, "STOP", fresh);
      stopped.addAll(fresh);
    }
    frozen = List.copyOf(stopped);
    state = State.FROZEN;
  }

  /** {@code SIGCONT}s every process {@link #freeze()} stopped, and any current child. */
  synchronized void thaw() {
    if (state != State.FROZEN) {
      throw new IllegalStateException("node '" + name + "' cannot be thawed: it is " + describe(state));
    }
    List<Long> resume = new ArrayList<>(frozen);
    postmasterPid().ifPresent(pid -> Postmaster.withDescendants(pid).stream()
        .filter(child -> !resume.contains(child)).forEach(resume::add));
    Postmaster.signal(runner, "CONT", resume);
    frozen = List.of();
    state = State.RUNNING;
  }

  /** Marks the server stopped after the topology terminated its processes. */
  synchronized void markTerminated() {
    frozen = List.of();
    state = State.STOPPED;
  }

  /** The live postmaster's pid, if the server runs (or is frozen). */
  OptionalLong postmasterPid() {
    return Postmaster.pid(dataDir());
  }

  /**
   * A new connection to this server, as user {@code postgres}, bounded in time everywhere: a frozen or
   * black-holed server must make the harness fail, never hang.
   */
  Connection connect(Duration socketTimeout) throws SQLException {
    return DriverManager.getConnection(PgNode.jdbcUrl(PgNode.HOST, port), connectionProperties(socketTimeout));
  }

  static Properties connectionProperties(Duration socketTimeout) {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "10");
    properties.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
    properties.setProperty("ApplicationName", "region-router-testing");
    return properties;
  }

  /** The last lines of the server log, for error messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no server log: " + e + ")";
    }
  }

  private static String describe(State state) {
    switch (state) {
      case NEW:
        return "not started yet";
      case RUNNING:
        return "running";
      case STOPPED:
        return "stopped";
      default:
        return "frozen";
    }
  }
}
