package io.github.regionrouter.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.NodeRole;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.RegionUnavailableException;
import io.github.regionrouter.RegionUnavailableException.Reason;
import io.github.regionrouter.SubjectFence;
import io.github.regionrouter.TopologyStatus;
import io.github.regionrouter.UnknownRegionException;
import io.github.regionrouter.WritePosition;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The routing data source: resolves the region, hands out lazily bound {@link RoutedConnection}s, and owns
 * the pools, the monitor and the pins. Thread-safe.
 */
public final class RoutingDataSource implements RegionRoutingDataSource, RoutingView {

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RegionRoutingDataSource.class);

  final RouterConfig config;
  final Node[] nodes;
  final String[] regions;
  private final int defaultRegion;
  final Pins pins;
  final long latencyWindowNanos;
  final RouterMetrics metrics;
  final boolean validateReplicas;
  private final long readYourWritesWaitNanos;
  /** Consulted before a subject's statements on a writable primary; null when none is configured. */
  final SubjectFence subjectFence;
  private final int validationSeconds;
  private final TopologySource topology;
  private final WriteFence fence;
  private final HealthSettings health;
  private final long maxLagNanos;
  /**
   * This data source's clock id ({@link WritePosition#clockId()}): stamped on the commit times it records, so
   * that one coming back in a consistency token minted here resolves without the clock-skew margin. Random, so
   * another app instance's tokens never match it (a collision has odds of 2^-64).
   */
  final long clockId = newClockId();
  private volatile boolean closed;

  private RoutingDataSource(RouterConfig config, HealthSettings health) {
    this.config = config;
    this.health = health;
    this.maxLagNanos = config.maxReplicaLag().toNanos();
    HikariVersion.require(HikariVersion.found());
    List<String> regionList = config.regions();
    this.regions = regionList.toArray(new String[0]);
    this.defaultRegion = config.defaultRegion() == null ? -1 : indexOf(config.defaultRegion());
    this.pins = new Pins(regions.length, config.readYourWritesWindow(), config.ticker());
    this.latencyWindowNanos = config.latencyWindow().toNanos();
    this.validateReplicas = config.validateReplicasOnBorrow();
    this.readYourWritesWaitNanos = config.readYourWritesWait().toNanos();
    this.subjectFence = config.subjectFence();
    this.validationSeconds = (int) Math.max(1, config.replicaBorrowTimeout().toSeconds());
    this.nodes = new Node[config.nodes().size()];
    try {
      for (int i = 0; i < nodes.length; i++) {
        nodes[i] = createNode(i, config.nodes().get(i));
      }
    } catch (RuntimeException e) {
      closePools();
      throw e;
    }
    this.metrics = config.meterRegistry() == null ? RouterMetrics.NOOP
        : io.github.regionrouter.micrometer.MicrometerRouterMetrics.bind(config.meterRegistry(), this);
    this.topology = config.monitorEnabled()
        ? ReplicaMonitor.start(nodes, regions.length, config)
        : new StaticTopology(nodes, regions.length, config.localLocation());
    this.fence = new WriteFence(nodes, topology, config.monitorInterval());
  }

  private static long newClockId() {
    long id;
    do {
      id = new java.security.SecureRandom().nextLong();
    } while (id == 0); // 0 means "clock not known"
    return id;
  }

  /** Builds and starts a data source from a validated configuration. */
  public static RoutingDataSource start(RouterConfig config) {
    return start(config, HealthSettings.DEFAULTS);
  }

  /** Builds and starts a data source from a validated configuration and its health settings. */
  public static RoutingDataSource start(RouterConfig config, HealthSettings health) {
    warnUnknownLocalLocation(config);
    RoutingDataSource ds = new RoutingDataSource(config, health);
    LOG.info("region-router started: {}", ds.describe());
    return ds;
  }

  /** Legitimate (an app where there is no database) but often a typo: the nearest-first guess then never applies. */
  private static void warnUnknownLocalLocation(RouterConfig config) {
    String local = config.localLocation();
    if (local == null || config.nodes().stream().anyMatch(n -> n.location().equals(local))) {
      return;
    }
    LOG.warn("region-router: localLocation '{}' names no node's location (node locations: {}); no node counts as "
        + "near until the monitor has measured round trips. Fine if this instance runs where there is no "
        + "database; otherwise fix localLocation", local, String.join(", ", config.nodes().stream()
        .map(NodeConfig::location).distinct().toList()));
  }

  private Node createNode(int index, NodeConfig nc) {
    int region = indexOf(nc.region());
    if (nc.dataSource() != null) {
      DataSource ds = nc.dataSource();
      return new Node(index, nc, region, ds, null, ds::getConnection);
    }
    HikariConfig hc = new HikariConfig();
    nc.hikari().copyStateTo(hc);
    if (hc.getPoolName() == null) {
      hc.setPoolName("regionrouter-" + nc.name());
    }
    if (nc.role() == NodeRole.REPLICA) {
      // A dead replica must cost one short wait, then failover (rule 7), not HikariCP's 30 s default;
      // the validation of an idle connection must fit in that wait too.
      long borrow = config.replicaBorrowTimeout().toMillis();
      hc.setConnectionTimeout(borrow);
      hc.setValidationTimeout(Math.min(hc.getValidationTimeout(), Math.max(250, borrow / 2)));
    } else {
      // The primary keeps the user's connectionTimeout (an exhausted pool may queue writers that long); a wait
      // on a dead or frozen primary is cut short by the WriteFence instead. Validating an idle connection to a
      // frozen primary must not hold a writer for HikariCP's default 5 s either.
      hc.setValidationTimeout(Math.min(hc.getValidationTimeout(),
          Math.max(250, Math.min(hc.getConnectionTimeout() - 1, 1_000))));
    }
    Properties props = new Properties();
    props.putAll(hc.getDataSourceProperties());
    LiveConnections live = new LiveConnections(hc.getJdbcUrl(), props, hc.getDriverClassName());
    // Same driver, same URL; HikariCP passes username and password to it. With a DataSource set, HikariCP
    // ignores jdbcUrl and driverClassName; they are not cleared because setDriverClassName(null) throws a
    // NullPointerException in HikariCP 5.x (Spring Boot 3's).
    hc.setDataSource(live);
    hc.setJdbcUrl(null);
    // A region or replica that is down at start-up must not stop the application from starting: the pool
    // starts empty and the monitor reports the node down.
    hc.setInitializationFailTimeout(-1);
    if (config.meterRegistry() != null && hc.getMetricRegistry() == null && hc.getMetricsTrackerFactory() == null) {
      hc.setMetricRegistry(config.meterRegistry());
    }
    HikariDataSource pool = new HikariDataSource(hc);
    return new Node(index, nc, region, pool, pool, JdbcProbe.forConfig(nc.hikari(), config), live);
  }

  // ---------------------------------------------------------------- DataSource

  @Override
  public Connection getConnection() throws SQLException {
    if (closed) {
      throw new SQLNonTransientConnectionException("region-router data source is closed", "08003");
    }
    RegionContext context = RegionContext.currentOrNull();
    int region;
    if (context != null) {
      region = indexOf(context.region());
      if (region < 0) {
        metrics.refusal(-1, RouterMetrics.UNKNOWN_REGION);
        throw new UnknownRegionException(context.region(), regions());
      }
    } else {
      // Rule 9: no region yet no refusal here; metadata works, the first statement is refused (noRegion()).
      region = defaultRegion;
    }
    return new RoutedConnection(this, region, context);
  }

  /**
   * The index of region {@code name}, or -1. A scan of the few configured regions, the same string object first:
   * no boxed {@code Integer} and no hash table probe on every {@code getConnection} (JMH, issue 13).
   */
  private int indexOf(String name) {
    String[] known = regions;
    for (int r = 0; r < known.length; r++) {
      if (known[r] == name) {
        return r;
      }
    }
    for (int r = 0; r < known.length; r++) {
      if (known[r].equals(name)) {
        return r;
      }
    }
    return -1;
  }

  /** Not supported: credentials belong to each node's pool configuration. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("region-router: credentials are configured per node "
        + "(HikariConfig); use getConnection()");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // SLF4J is the log; nothing writes to a DriverManager-style log writer.
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    throw new SQLFeatureNotSupportedException("region-router: set timeouts on each node's HikariConfig");
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("region-router logs through SLF4J");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("region-router data source is not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  // ---------------------------------------------------------------- RegionRoutingDataSource

  @Override
  public Set<String> regions() {
    return new LinkedHashSet<>(Arrays.asList(regions));
  }

  @Override
  public TopologyStatus status() {
    return topology.snapshot().toStatus(Arrays.asList(regions));
  }

  @Override
  public io.github.regionrouter.HealthReport health(io.github.regionrouter.HealthLevel level) {
    java.util.Objects.requireNonNull(level, "level");
    return SnapshotHealth.evaluate(level, topology.snapshot(), regions, !closed, System.nanoTime(), maxLagNanos,
        health);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    topology.close();
    closePools();
    metrics.close();
    LOG.info("region-router closed");
  }

  private void closePools() {
    for (Node node : nodes) {
      if (node != null && node.ownedPool != null) {
        try {
          node.ownedPool.close();
        } catch (Exception e) {
          LOG.warn("region-router: closing the pool of node '{}' failed", node.name, e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- used by RoutedConnection

  TopologySnapshot snapshot() {
    return topology.snapshot();
  }

  /**
   * Borrows a physical connection for a route: from a replica's pool as is; from the write target's pool through
   * the {@link WriteFence} (bounded wait, and handed over only while the node is still the region's unique
   * write target).
   */
  Connection borrow(Node node, int region, int reason) throws SQLException {
    return WriteFence.fenced(reason) ? fence.borrow(node, region) : node.pool.getConnection();
  }

  /**
   * How far another app instance's wall clock may be off ours. A write known only by its commit time
   * ({@link WritePosition#committedAt}, e.g. from a consistency token minted elsewhere) resolves to the first
   * primary poll that started more than this after the commit time. NTP-disciplined hosts stay within a few
   * milliseconds of each other (chrony on a cloud provider's time service: well under 1 ms), so 500 ms is
   * two orders of magnitude of headroom; a clock off by more could serve a read that misses the write. What
   * it costs: such a reader is served by the primary for this margin plus at most one monitor interval after
   * the write, never beyond the read-your-writes window. A commit time read on this data source's own clock
   * ({@link #clockId}: a token minted by this instance, coming back with the client's next request) needs no
   * margin and gets none.
   */
  static final long CLOCK_SKEW_MARGIN_MILLIS = 500;

  /**
   * The WAL position a read in {@code region} under {@code context} must see: {@link Router#NO_PIN}, a
   * position, or {@link WritePosition#UNKNOWN_LSN} while a write is not yet resolvable (primary only).
   * Lock-free and allocation-free.
   */
  long pinFor(int region, RegionContext context) {
    if (context == null) {
      return Router.NO_PIN;
    }
    long pin = Router.NO_PIN;
    PrimaryPositions positions = null;
    String name = regions[region];
    WritePosition own = context.lastWriteOrNull();
    if (own != null && own.region().equals(name)) {
      positions = topology.positions(region);
      pin = resolve(own, positions, 0); // recorded here, on this JVM's clock: no skew to allow for
    }
    WritePosition carried = context.readAfterOrNull();
    if (carried != null && carried.region().equals(name)) {
      if (positions == null) {
        positions = topology.positions(region);
      }
      pin = later(pin, resolve(carried, positions, carried.clockId() == clockId ? 0 : CLOCK_SKEW_MARGIN_MILLIS));
    }
    String subject = context.subjectOrNull();
    if (subject != null) {
      long committedAt = pins.newestCommit(region, subject);
      if (committedAt == Pins.UNKNOWN) {
        if (pins.committedAt(region, subject) == Pins.UNKNOWN) { // still within the window
          return WritePosition.UNKNOWN_LSN;
        }
      } else if (committedAt != Pins.NONE) {
        if (positions == null) {
          positions = topology.positions(region);
        }
        long subjects = positions.afterNanos(committedAt);
        // Whether the subject's write is still within the window (a clock read) matters only when its position is
        // later than what this context's own or carried write requires already: a subject reading in the scope
        // that wrote (read-after-write in one request) skips the clock (JMH, issue 13).
        if (Long.compareUnsigned(subjects, pin) > 0 && pins.live(committedAt)) {
          pin = subjects;
        }
      }
    }
    return pin;
  }

  /**
   * A position's LSN, or the first primary poll that started more than {@code marginMillis} after its commit
   * time (strictly later milliseconds, so a poll in the commit's own millisecond never counts).
   */
  private static long resolve(WritePosition p, PrimaryPositions positions, long marginMillis) {
    if (p.isResolved()) {
      return p.lsn();
    }
    return p.committedAtMillis() > 0 ? positions.afterMillis(p.committedAtMillis() + marginMillis)
        : WritePosition.UNKNOWN_LSN;
  }

  private static long later(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }

  /**
   * A write transaction on {@code region}'s primary is known committed (an auto-commit statement, or
   * {@code commit()}): pins the subject and records the write in the context. Reads the clock, no I/O: the
   * write's WAL position is resolved later from the monitor's primary polls (rule 4). {@code context} may
   * be null (nobody to pin). Thread-safe.
   */
  void committed(int region, RegionContext context) {
    if (context == null || region < 0) {
      return;
    }
    String subject = context.subjectOrNull();
    if (subject != null) {
      pins.pin(region, subject);
    }
    boolean own = context.region().equals(regions[region]);
    if (own) {
      // Wall clock: the position may travel to another instance in a consistency token.
      long now = System.currentTimeMillis();
      if (!recordedSince(context.lastWriteOrNull(), regions[region], now)) {
        context.recordWrite(WritePosition.committedAt(regions[region], now, clockId));
      }
    }
    if (subject != null || own) {
      topology.positionWanted(region); // a CAS at most: the probe runs on the monitor's side
    }
  }

  /**
   * Whether {@code last} already holds what recording a commit at {@code nowMillis} would keep
   * ({@link WritePosition#max} returns {@code last}): an unresolved write of that region committed at that
   * millisecond or later, or with an unknown commit time. Saves the position's allocation for the second and
   * later writes of a millisecond in one context; a resolved position never holds it (the unknown one is later).
   */
  static boolean recordedSince(WritePosition last, String region, long nowMillis) {
    return last != null && last.isUnknown() && last.region().equals(region)
        && (last.committedAtMillis() == 0 || last.committedAtMillis() >= nowMillis);
  }

  /**
   * A write of a connection in {@code region} may have committed: the connection to the primary was lost
   * while the statement or the commit ran. It may still commit after this moment, so not even its commit time
   * is known: the write is pinned as unknown (only the primary serves the subject, and the context, for the
   * window), which can never let a stale read through. No I/O.
   */
  void committedUncertain(int region, RegionContext context) {
    if (context == null || region < 0) {
      return;
    }
    String subject = context.subjectOrNull();
    if (subject != null) {
      pins.pinUnknown(region, subject);
    }
    if (context.region().equals(regions[region])) {
      context.recordWrite(new WritePosition(regions[region], WritePosition.UNKNOWN_LSN));
    }
  }

  /** The replica's replay position; one round trip. */
  private static final String REPLAY_SQL = "SELECT pg_last_wal_replay_lsn()::text";
  /** Longest pause between two polls of the replica's replay position while waiting. */
  private static final long MAX_REPLAY_POLL_PAUSE_NANOS = 2_000_000;

  /**
   * Rule 4's bounded wait. When {@code route} sends a pinned read to the primary only because no replica has
   * replayed the subject's write yet, and the nearest replica is near while the primary is far, waits for
   * that replica to replay the write — polling its replay position on a connection of its pool (PostgreSQL
   * 18 has no {@code WAIT FOR LSN}; it arrives in 19) — and then routes the read there. It waits only when
   * that is expected to be faster from the measured round trips: borrow-and-poll plus the read cost two
   * replica round trips, so the wait is bounded by the primary's round trip less those, and by
   * {@code readYourWritesWait}. An unresolved pin ({@link WritePosition#UNKNOWN_LSN}) has nothing to wait
   * for. Any failure of the replica leaves the primary route: the bind's own failover handles the node.
   *
   * @return {@code route}, or a pinned-read route to the replica once it has replayed {@code pin}
   */
  int awaitReplica(TopologySnapshot s, int region, int route, long pin, long excluded) {
    return awaitReplica(s, region, route, pin, excluded, null);
  }

  /**
   * {@link #awaitReplica(TopologySnapshot, int, int, long, long)}, and when the pin is not resolved yet only
   * because no primary poll has answered since the write committed (the kick asked for one at the commit),
   * first waits for that resolution — parking in small steps, within the same bound — then for the replica's
   * replay. A pin that cannot resolve soon (an uncertain commit, a commit time carried from another instance,
   * which waits out the clock-skew margin) goes to the primary at once.
   */
  int awaitReplica(TopologySnapshot s, int region, int route, long pin, long excluded, RegionContext context) {
    if (Router.reason(route) != Router.PRIMARY_PINNED || readYourWritesWaitNanos == 0
        || (pin == WritePosition.UNKNOWN_LSN && context == null)) {
      return route;
    }
    int replica = -1;
    for (int n : s.readOrder[region]) {
      if ((excluded & (1L << n)) == 0) {
        replica = n;
        break;
      }
    }
    long primaryRtt = s.states[Router.node(route)].rttNanos;
    long replicaRtt = replica < 0 ? -1 : s.states[replica].rttNanos;
    if (replicaRtt < 0 || primaryRtt <= 0) {
      return route;
    }
    long budget = Math.min(readYourWritesWaitNanos, primaryRtt - 2 * replicaRtt);
    if (budget <= 0 || (pin == WritePosition.UNKNOWN_LSN
        && resolvedIn(region, context, primaryRtt) > budget)) {
      return route; // the kick's answer is not expected in time: the primary is at least as fast
    }
    long deadline = System.nanoTime() + budget;
    while (pin == WritePosition.UNKNOWN_LSN) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return route;
      }
      LockSupport.parkNanos(Math.min(left, RESOLVE_POLL_PAUSE_NANOS));
      pin = pinFor(region, context);
    }
    Node node = s.nodes[replica];
    try (Connection c = node.pool.getConnection(); Statement st = c.createStatement()) {
      while (true) {
        try (ResultSet rs = st.executeQuery(REPLAY_SQL)) {
          String lsn = rs.next() ? rs.getString(1) : null;
          if (lsn != null && Long.compareUnsigned(WritePosition.parseLsn(lsn), pin) >= 0) {
            return (Router.READ_PINNED << 8) | replica;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return route;
        }
        LockSupport.parkNanos(Math.min(left, Math.min(MAX_REPLAY_POLL_PAUSE_NANOS, Math.max(replicaRtt, 100_000))));
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("region-router: waiting for '{}' to replay a pinned write failed; reading from the primary",
          node.name, e);
      return route;
    }
  }

  /** Beyond one primary round trip, what a kick takes: its millisecond boundary, a thread hand-off, JDBC. */
  private static final long KICK_SLACK_NANOS = 2_000_000;
  /** Pause between two looks at the primary's positions while waiting for a pin to resolve. */
  private static final long RESOLVE_POLL_PAUSE_NANOS = 500_000;

  /**
   * When the kick asked for at the commit should answer, in nanoseconds from now: one primary round trip after
   * the commit plus {@link #KICK_SLACK_NANOS}; the latest over the subject's pin and this context's own write.
   * {@link Long#MAX_VALUE} when a part cannot resolve soon: an uncertain commit, or a commit time carried from
   * another instance (it waits out the clock-skew margin). A commit time carried in a token minted here counts
   * as this context's own: the kick was asked for when it committed.
   */
  private long resolvedIn(int region, RegionContext context, long primaryRttNanos) {
    String name = regions[region];
    long in = 0;
    WritePosition carried = context.readAfterOrNull();
    if (carried != null && carried.region().equals(name) && !carried.isResolved()) {
      if (carried.clockId() != clockId) {
        return Long.MAX_VALUE;
      }
      in = kickAnswersIn(carried, primaryRttNanos);
    }
    WritePosition own = context.lastWriteOrNull();
    if (own != null && own.region().equals(name) && !own.isResolved()) {
      in = Math.max(in, kickAnswersIn(own, primaryRttNanos));
    }
    String subject = context.subjectOrNull();
    if (subject != null) {
      long committedAt = pins.committedAt(region, subject);
      if (committedAt == Pins.UNKNOWN) {
        return Long.MAX_VALUE;
      }
      if (committedAt != Pins.NONE) {
        in = Math.max(in, committedAt + primaryRttNanos + KICK_SLACK_NANOS - config.ticker().read());
      }
    }
    return in;
  }

  /** When the kick asked for at {@code p}'s commit (on this clock) should answer, in nanoseconds from now. */
  private static long kickAnswersIn(WritePosition p, long primaryRttNanos) {
    if (p.committedAtMillis() <= 0) {
      return Long.MAX_VALUE;
    }
    // whole milliseconds: the kick goes out in the millisecond after the commit's
    long sinceNanos = (System.currentTimeMillis() - p.committedAtMillis() - 1) * 1_000_000;
    return primaryRttNanos + KICK_SLACK_NANOS - sinceNanos;
  }

  /**
   * Turns the monitor's kicks and early position recording on or off; for measuring the router with and
   * without them in one run. A no-op without a monitor.
   */
  void fastPositions(boolean on) {
    if (topology instanceof ReplicaMonitor m) {
      m.fastPositions(on);
    }
  }

  /** Rule 9: a statement on a connection that has no region. */
  UnknownRegionException noRegion() {
    metrics.refusal(-1, RouterMetrics.UNKNOWN_REGION);
    return new UnknownRegionException(null, regions());
  }

  /**
   * Rule 9: the node that answers metadata for a connection without a region. An up node of the local
   * location, replicas before primaries (catalog reads need no write target, so primaries keep their connections
   * for writes), nearest first; else any up node, in the same order; else the first configured node (its pool
   * then reports the failure). Catalog metadata is schema, never user rows, so residency is not at stake.
   */
  Node metadataNode() {
    TopologySnapshot s = snapshot();
    // Tiers first (local before remote, a replica before a primary: catalog reads take nothing from a primary),
    // then the measured round trip. A primary once won on a round-trip penalty of 1 ms, which a loopback replica's
    // noisy measurement exceeded now and then (RoutingIntegrationTest failed on it in CI).
    Node best = null;
    int bestTier = Integer.MAX_VALUE;
    long bestRtt = Long.MAX_VALUE;
    for (Node n : nodes) {
      NodeState st = s.states[n.index];
      if (!st.up) {
        continue;
      }
      boolean local = config.localLocation() != null && config.localLocation().equals(n.location);
      int tier = (local ? 0 : 2) + (n.configuredRole == NodeRole.PRIMARY ? 1 : 0);
      long rtt = st.rttNanos < 0 ? Long.MAX_VALUE : st.rttNanos;
      if (tier < bestTier || (tier == bestTier && rtt < bestRtt)) {
        best = n;
        bestTier = tier;
        bestRtt = rtt;
      }
    }
    return best != null ? best : nodes[0];
  }

  /**
   * A read's first statement failed on {@code node} with a connection error (rule 7): take the node out at once,
   * which also aborts its other connections so no other caller meets the same failure — unless the monitor
   * aborted that read itself because it suspects the node (see {@link TopologySource#firstReadFailed}).
   */
  void statementFailed(Node node, SQLException e) {
    topology.firstReadFailed(node, "first statement failed: " + firstLine(e));
    metrics.failover(node.index);
  }

  /**
   * Checks a replica connection before the first statement runs on it: a replica that died or froze since
   * the monitor's last poll costs one bounded wait and a failover instead of an error to the caller.
   * A dead connection is evicted from its pool, never handed out again.
   */
  void validate(Node node, Connection c) throws SQLException {
    boolean valid;
    try {
      // the driver's check, never the monitor's word for it (VouchedConnection): this option exists to catch a
      // replica that died or froze since the last poll
      valid = c.isWrapperFor(VouchedConnection.class) ? c.unwrap(VouchedConnection.class).isValidNow(validationSeconds)
          : c.isValid(validationSeconds);
    } catch (SQLException e) {
      valid = false;
    }
    if (!valid) {
      if (node.ownedPool instanceof HikariDataSource pool) {
        pool.evictConnection(c);
      } else {
        c.close();
      }
      throw new SQLNonTransientConnectionException("replica '" + node.name + "' did not answer a validation "
          + "within " + validationSeconds + "s", "08006", new SQLException("connection is not valid", "08006"));
    }
  }

  /** The pool of {@code node} could not hand out a connection; take the node out if the node is at fault. */
  void borrowFailed(Node node, SQLException e) {
    // HikariCP's timeout carries the last connection failure as its cause when the node is unreachable;
    // without a cause the pool was merely exhausted, which says nothing about the node's health.
    Throwable cause = e.getCause();
    boolean nodeFault = cause != null || (e.getSQLState() != null && e.getSQLState().startsWith("08")
        && !(e instanceof java.sql.SQLTransientConnectionException));
    if (nodeFault) {
      boolean misconfigured = ConfigProblems.classify(e) != null;
      if (misconfigured) {
        node.configProblem = e;
      }
      topology.markDown(node, "borrow failed: " + (misconfigured ? Causes.describe(ConfigProblems.culprit(e))
          : firstLine(cause != null ? cause : e)));
    }
    metrics.failover(node.index);
  }

  /**
   * The typed failure when no node can serve. Each borrow failure is listed as the pool reported it: a
   * HikariCP timeout already says how long it waited and the pool's state, so nothing is timed here (a clock
   * read on every bind, only for this message, cost ~40 ns).
   */
  SQLException unavailable(TopologySnapshot s, int region, boolean readOnly, List<SQLException> failures) {
    SQLException misconfigured = misconfigured(s, region, readOnly);
    if (misconfigured != null) {
      metrics.refusal(region, readOnly ? RouterMetrics.NO_NODE : RouterMetrics.NO_PRIMARY);
      failures.forEach(misconfigured::addSuppressed);
      return misconfigured;
    }
    String name = regions[region];
    List<String> involved = new ArrayList<>();
    for (Node n : nodes) {
      if (n.regionIndex == region) {
        involved.add(n.name);
      }
    }
    Reason reason;
    String message;
    if (!failures.isEmpty() && (s.writeTarget[region] >= 0 || readOnly)) {
      reason = readOnly ? Reason.NO_NODE : Reason.NO_PRIMARY;
      message = "region '" + name + "': no node could hand out a connection for a "
          + (readOnly ? "read" : "write") + " (" + failures.stream()
          .map(RoutingDataSource::firstLine).collect(Collectors.joining("; ")) + ")"
          + (readOnly ? "" : ". Nothing was written; retry when the primary is back");
    } else {
      reason = s.writeProblem[region] == null ? Reason.NO_NODE : s.writeProblem[region];
      message = "region '" + name + "' cannot take " + (readOnly ? "reads" : "writes") + ": "
          + (readOnly ? "no eligible replica and " : "") + s.writeProblemDetail[region]
          + ". Nothing was sent to another region; retry when the region has exactly one primary again";
    }
    metrics.refusal(region, switch (reason) {
      case SPLIT_BRAIN -> RouterMetrics.SPLIT_BRAIN;
      case NO_PRIMARY -> RouterMetrics.NO_PRIMARY;
      case NO_NODE -> RouterMetrics.NO_NODE;
    });
    RegionUnavailableException ex = new RegionUnavailableException(name, reason, involved, message,
        failures.isEmpty() ? null : failures.get(0));
    for (int i = 1; i < failures.size(); i++) {
      ex.addSuppressed(failures.get(i));
    }
    return ex;
  }

  /**
   * A configuration mistake, not an outage, when the node that had to serve cannot be reached because of its
   * configuration: for a write, the region's configured primary (or, after a failover, every node of the
   * region); for a read, every node of the region. Null otherwise: then the region is unavailable, which is
   * transient.
   */
  private SQLException misconfigured(TopologySnapshot s, int region, boolean readOnly) {
    Node primary = null;
    Node any = null;
    boolean all = true;
    for (Node n : nodes) {
      if (n.regionIndex != region) {
        continue;
      }
      if (n.configProblem == null) {
        all = false;
      } else if (n.configuredRole == NodeRole.PRIMARY && primary == null) {
        primary = n;
      } else if (any == null) {
        any = n;
      }
    }
    Node culprit = all ? (primary != null ? primary : any) : readOnly ? null : primary;
    return culprit == null ? null : ConfigProblems.exception(culprit, url(culprit), culprit.configProblem);
  }

  private String url(Node node) {
    NodeConfig nc = config.nodes().get(node.index);
    return nc.hikari() == null ? null : nc.hikari().getJdbcUrl();
  }

  static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("local location ").append(config.localLocation() == null ? "-" : config.localLocation());
    for (String region : regions) {
      sb.append("; region ").append(region).append(" [");
      sb.append(Arrays.stream(nodes).filter(n -> n.region.equals(region))
          .map(n -> n.configuredRole.name().toLowerCase() + " " + n.name + "@" + n.location)
          .collect(Collectors.joining(", ")));
      Set<String> residency = config.residency().get(region);
      sb.append("] residency ").append(residency == null ? "any" : String.join("|", residency));
    }
    sb.append("; maxReplicaLag ").append(config.maxReplicaLag().toMillis()).append("ms, readYourWritesWindow ")
        .append(config.readYourWritesWindow().toMillis()).append("ms, monitor ")
        .append(config.monitorEnabled() ? "every " + config.monitorInterval().toMillis() + "ms" : "off");
    return sb.toString();
  }

  // ---------------------------------------------------------------- RoutingView

  @Override
  public List<String> nodeNames() {
    return Arrays.stream(nodes).map(n -> n.name).toList();
  }

  @Override
  public List<String> nodeRegions() {
    return Arrays.stream(nodes).map(n -> n.region).toList();
  }

  @Override
  public List<String> nodeRoles() {
    return Arrays.stream(nodes).map(n -> n.configuredRole.name().toLowerCase()).toList();
  }

  @Override
  public List<String> regionNames() {
    return List.of(regions);
  }

  @Override
  public List<String> reasonTags() {
    return List.of(Router.REASON_TAGS);
  }

  @Override
  public List<String> reasonRoles() {
    return List.of(Router.ROLE_TAGS);
  }

  @Override
  public double lagSeconds(int node) {
    long lag = topology.snapshot().states[node].lagNanos;
    return lag < 0 ? Double.NaN : lag / 1e9;
  }

  @Override
  public double lagBytes(int node) {
    long lag = topology.snapshot().states[node].lagBytes;
    return lag < 0 ? Double.NaN : lag;
  }

  @Override
  public double rttSeconds(int node) {
    long rtt = topology.snapshot().states[node].rttNanos;
    return rtt < 0 ? Double.NaN : rtt / 1e9;
  }

  @Override
  public double up(int node) {
    return topology.snapshot().states[node].up ? 1 : 0;
  }

  @Override
  public double pins(int region) {
    return pins.size(region);
  }
}
