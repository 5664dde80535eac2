package io.github.regionrouter;

import com.github.benmanes.caffeine.cache.Ticker;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.internal.HealthSettings;
import io.github.regionrouter.internal.NodeConfig;
import io.github.regionrouter.internal.RouterConfig;
import io.github.regionrouter.internal.RoutingDataSource;
import io.github.regionrouter.internal.UserText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A drop-in {@link DataSource} that sends every connection to the right PostgreSQL node of the caller's
 * region: writes to the region's primary, reads to the nearest healthy, caught-up replica of that region
 * (else the primary), and a subject that just wrote to a node that has its write. Behind it sit one pool per
 * node and one background monitor that measures lag, round-trip time, health and role.
 *
 * <p>The region comes from the {@link RegionContext} open on the calling thread (else the default region).
 * A connection binds to a node at its first real use, so {@code setReadOnly(true)} (plain JDBC, or Spring's
 * {@code @Transactional(readOnly = true)}) decides whether a replica may serve it.
 *
 * <pre>{@code
 * RegionRoutingDataSource ds = RegionRoutingDataSource.builder()
 *     .localLocation("fra")
 *     .primary("eu-primary", "eu", "fra", euPrimaryConfig)
 *     .replica("eu-replica", "eu", "fra", euReplicaConfig)
 *     .primary("us-primary", "us", "iad", usPrimaryConfig)
 *     .replica("us-replica-fra", "us", "fra", usReplicaConfig)
 *     .residency("eu", "fra", "ams")
 *     .build();
 * }</pre>
 *
 * <p>Thread safety: instances are safe for concurrent use by any number of threads, like any pool.
 */
public interface RegionRoutingDataSource extends DataSource, AutoCloseable {

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The configured regions. */
  Set<String> regions();

  /** An immutable snapshot of every node as the router sees it now: role, health, lag, RTT, position. */
  TopologyStatus status();

  /**
   * Whether {@code level} is UP now, why not, and every node's details (see {@link HealthLevel}). Reads the
   * monitor's latest snapshot only: it never opens a connection, and the UP/DOWN decision allocates nothing
   * while everything is UP. After {@link #close()} every level is DOWN.
   *
   * @throws NullPointerException if {@code level} is null
   */
  HealthReport health(HealthLevel level);

  /** Stops the monitor and closes every pool this data source created. Idempotent. */
  @Override
  void close();

  /**
   * Builds a {@link RegionRoutingDataSource}. Setters reject a bad value at once with an
   * {@link IllegalArgumentException}, and a repeated or conflicting call with an
   * {@link IllegalStateException}; {@link #build()} checks the whole topology and lists every problem.
   *
   * <p>Not thread-safe; build on one thread.
   */
  final class Builder {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final Map<String, NodeConfig> nodes = new LinkedHashMap<>();
    private final Map<String, Set<String>> residency = new LinkedHashMap<>();
    private String localLocation;
    private String defaultRegion;
    private Duration maxReplicaLag = RouterConfig.DEFAULT_MAX_REPLICA_LAG;
    private Duration readYourWritesWindow = RouterConfig.DEFAULT_READ_YOUR_WRITES_WINDOW;
    private Duration monitorInterval = RouterConfig.DEFAULT_MONITOR_INTERVAL;
    private Duration latencyWindow = RouterConfig.DEFAULT_LATENCY_WINDOW;
    private Duration replicaBorrowTimeout = RouterConfig.DEFAULT_REPLICA_BORROW_TIMEOUT;
    private boolean monitorEnabled = true;
    private boolean validateReplicasOnBorrow;
    private Ticker ticker = Ticker.systemTicker();
    private Object meterRegistry;
    private Duration readYourWritesWait = RouterConfig.DEFAULT_READ_YOUR_WRITES_WAIT;
    private SubjectFence subjectFence;
    private Duration lagGrace = HealthSettings.DEFAULT_LAG_GRACE;
    private int fullMaxFailing = HealthSettings.DEFAULT_FULL_MAX_FAILING;

    Builder() {
    }

    /**
     * Where this app instance runs (e.g. {@code fra}). Used to prefer same-location replicas before the
     * monitor has measured round trips. Optional.
     *
     * @throws IllegalArgumentException if {@code location} is not a valid name
     * @throws IllegalStateException    if already set
     */
    public Builder localLocation(String location) {
      requireName("localLocation", location);
      requireUnset("localLocation", localLocation, location);
      this.localLocation = location;
      return this;
    }

    /**
     * Adds the primary of {@code region} with its own HikariCP pool built from {@code config} (copied; its
     * {@code jdbcUrl} is also used by the monitor for its own connection).
     *
     * @throws IllegalArgumentException if a name is invalid or the config has no {@code jdbcUrl}
     * @throws IllegalStateException    if a node of that name exists
     */
    public Builder primary(String name, String region, String location, HikariConfig config) {
      return node(name, region, location, NodeRole.PRIMARY, requireHikari(name, config), null);
    }

    /**
     * Adds the primary of {@code region} served by a ready {@link DataSource} (your own pool, tests,
     * benchmarks). The monitor borrows its probe connection from it too.
     *
     * @throws IllegalArgumentException if a name is invalid
     * @throws IllegalStateException    if a node of that name exists
     */
    public Builder primary(String name, String region, String location, DataSource dataSource) {
      return node(name, region, location, NodeRole.PRIMARY, null,
          Objects.requireNonNull(dataSource, "dataSource of node '" + name + "'"));
    }

    /**
     * Adds the primary of {@code region} served by your own, already started HikariCP pool (a
     * {@code HikariDataSource} is both a config and a data source; this overload says which is meant: the
     * data source). The monitor borrows its probe connection from it.
     *
     * @throws IllegalArgumentException if a name is invalid
     * @throws IllegalStateException    if a node of that name exists
     */
    public Builder primary(String name, String region, String location, HikariDataSource pool) {
      return primary(name, region, location, (DataSource) pool);
    }

    /**
     * Adds a replica (streaming standby) holding {@code region}'s data, with its own HikariCP pool. Its
     * connection timeout is replaced by {@link #replicaBorrowTimeout(Duration)}, so a dead replica costs
     * one short wait before failover.
     *
     * @throws IllegalArgumentException if a name is invalid or the config has no {@code jdbcUrl}
     * @throws IllegalStateException    if a node of that name exists
     */
    public Builder replica(String name, String region, String location, HikariConfig config) {
      return node(name, region, location, NodeRole.REPLICA, requireHikari(name, config), null);
    }

    /**
     * Adds a replica served by a ready {@link DataSource}.
     *
     * @throws IllegalArgumentException if a name is invalid
     * @throws IllegalStateException    if a node of that name exists
     */
    public Builder replica(String name, String region, String location, DataSource dataSource) {
      return node(name, region, location, NodeRole.REPLICA, null,
          Objects.requireNonNull(dataSource, "dataSource of node '" + name + "'"));
    }

    /**
     * Adds a replica served by your own, already started HikariCP pool (see
     * {@link #primary(String, String, String, HikariDataSource)}).
     *
     * @throws IllegalArgumentException if a name is invalid
     * @throws IllegalStateException    if a node of that name exists
     */
    public Builder replica(String name, String region, String location, HikariDataSource pool) {
      return replica(name, region, location, (DataSource) pool);
    }

    /**
     * Restricts where {@code region}'s data may live and be read: a node of that region outside these
     * locations fails {@link #build()}. Regions without a residency rule may live anywhere.
     *
     * @throws IllegalArgumentException if no location is given or a name is invalid
     * @throws IllegalStateException    if the region's residency is already set
     */
    public Builder residency(String region, String... locations) {
      requireName("region", region);
      if (locations == null || locations.length == 0) {
        throw new IllegalArgumentException("residency of region '" + region + "' needs at least one location");
      }
      Set<String> allowed = new LinkedHashSet<>();
      for (String location : locations) {
        requireName("residency location of region '" + region + "'", location);
        allowed.add(location);
      }
      if (residency.containsKey(region)) {
        throw new IllegalStateException("residency of region '" + region + "' was already set to "
            + residency.get(region));
      }
      residency.put(region, Set.copyOf(allowed));
      return this;
    }

    /**
     * The region of connections borrowed with no {@link RegionContext} open. Without it, such a borrow
     * fails with {@link UnknownRegionException}: there is no lenient default.
     *
     * @throws IllegalArgumentException if {@code region} is not a valid name
     * @throws IllegalStateException    if already set
     */
    public Builder defaultRegion(String region) {
      requireName("defaultRegion", region);
      requireUnset("defaultRegion", defaultRegion, region);
      this.defaultRegion = region;
      return this;
    }

    /**
     * A replica lagging more than this gets no reads, until it is back under half of it (hysteresis).
     * Default 500 ms.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxReplicaLag(Duration lag) {
      this.maxReplicaLag = requirePositive("maxReplicaLag", lag, Duration.ofMillis(1));
      return this;
    }

    /**
     * How long a subject that wrote reads only from nodes that have its write. Default 5 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder readYourWritesWindow(Duration window) {
      this.readYourWritesWindow = requirePositive("readYourWritesWindow", window, Duration.ofMillis(1));
      return this;
    }

    /**
     * How often the monitor polls every node. Default 250 ms; at least 10 ms.
     *
     * @throws IllegalArgumentException if less than 10 ms
     */
    public Builder monitorInterval(Duration interval) {
      this.monitorInterval = requirePositive("monitorInterval", interval, Duration.ofMillis(10));
      return this;
    }

    /**
     * The bounded wait of rule 4: how long a pinned read may wait for the nearest replica to replay the
     * subject's write instead of going to a far primary. The read waits only when that is expected to be
     * faster from the measured round trips (two replica round trips below the primary's), and never longer
     * than the primary's round trip less those two; it polls the replica's replay position on a connection of
     * its own pool. Default 100 ms: a little above one replication delay between continents (~70–90 ms one
     * way); within a region the primary's round trip bounds it to a millisecond or so. {@link Duration#ZERO}
     * turns it off.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder readYourWritesWait(Duration wait) {
      Objects.requireNonNull(wait, "readYourWritesWait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("readYourWritesWait cannot be negative, was " + wait);
      }
      this.readYourWritesWait = wait;
      return this;
    }

    /**
     * Replicas whose round trip is within this of the nearest one share reads: of two drawn at random, the one with
     * fewer connections in use serves.
     * Default 10 ms.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder latencyWindow(Duration window) {
      Objects.requireNonNull(window, "latencyWindow");
      if (window.isNegative()) {
        throw new IllegalArgumentException("latencyWindow cannot be negative, was " + window);
      }
      this.latencyWindow = window;
      return this;
    }

    /**
     * The connection timeout of replica pools built from a {@link HikariConfig}: how long a read waits for a
     * dead or exhausted replica before failing over. Default 1 s; at least 250 ms (HikariCP's minimum).
     *
     * @throws IllegalArgumentException if less than 250 ms
     */
    public Builder replicaBorrowTimeout(Duration timeout) {
      this.replicaBorrowTimeout = requirePositive("replicaBorrowTimeout", timeout, Duration.ofMillis(250));
      return this;
    }

    /**
     * Whether the monitor runs (default true). Without it every node is taken as up, in its configured
     * role, with no lag — meant for benchmarks and stub drivers, not for production.
     */
    public Builder monitorEnabled(boolean enabled) {
      this.monitorEnabled = enabled;
      return this;
    }

    /**
     * Whether a replica connection is checked ({@link java.sql.Connection#isValid(int)}, one round trip to a
     * near replica) before a read's first statement. Default false: without it, a read's first statement that
     * fails with a connection error (SQLState class 08) before any result reached the caller is run again on
     * the next candidate, and the failed node is taken out at once, which keeps the "no error for readers when
     * a replica dies or freezes" promise without a round trip per read (issue 13). Turn it on only when reads
     * bind streams or other parameters that cannot be replayed.
     */
    public Builder validateReplicasOnBorrow(boolean validate) {
      this.validateReplicasOnBorrow = validate;
      return this;
    }

    /**
     * How long a replica may stay over {@link #maxReplicaLag(Duration)} before {@link HealthLevel#DB} goes DOWN.
     * Default 60 s (the seed's "lag above 500 ms for more than 60 s: pause the deploy and alert"). Zero makes
     * any lag over the bound count at once.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder lagGrace(Duration grace) {
      Objects.requireNonNull(grace, "lagGrace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("lagGrace cannot be negative, was " + grace.toMillis() + "ms");
      }
      this.lagGrace = grace;
      return this;
    }

    /**
     * How many nodes may be failing (down or quarantined) while {@link HealthLevel#FULL} stays UP. Default 2
     * (the seed's "roll back if more than 2 fail").
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder fullMaxFailing(int nodes) {
      if (nodes < 0) {
        throw new IllegalArgumentException("fullMaxFailing cannot be negative, was " + nodes);
      }
      this.fullMaxFailing = nodes;
      return this;
    }

    /**
     * The time source of read-your-writes pins (tests). Default {@link Ticker#systemTicker()}.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Publishes the {@code regionrouter.*} metrics and each pool's HikariCP metrics to this registry.
     * Optional; Micrometer need not be on the class path unless this is called.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Consults {@code fence} before every execution that may write on a subject's writable primary connection, so a
     * subject being moved to another region (see {@code region-router-migration}) cannot write to its old
     * region: the statement fails with the fence's exception (typically {@link SubjectFencedException})
     * and never runs. Optional; without it no write is fenced.
     *
     * @throws IllegalStateException if already set
     */
    public Builder subjectFence(SubjectFence fence) {
      Objects.requireNonNull(fence, "subjectFence");
      if (subjectFence != null) {
        throw new IllegalStateException("subjectFence was already set to " + subjectFence);
      }
      this.subjectFence = fence;
      return this;
    }

    /**
     * Checks the whole configuration, starts one pool per node and the monitor, and polls every node once
     * (bounded by the poll timeout) so the first routing decision is based on measurements.
     *
     * @throws IllegalStateException if the topology is invalid; the message lists every problem
     */
    public RegionRoutingDataSource build() {
      RouterConfig config = new RouterConfig(new ArrayList<>(nodes.values()), residency, localLocation,
          defaultRegion, maxReplicaLag, readYourWritesWindow, monitorInterval, latencyWindow,
          replicaBorrowTimeout, monitorEnabled, validateReplicasOnBorrow, ticker, meterRegistry, subjectFence,
          readYourWritesWait);
      List<String> problems = config.problems();
      if (!problems.isEmpty()) {
        throw new IllegalStateException("Invalid region-router configuration:\n  - "
            + String.join("\n  - ", problems));
      }
      return RoutingDataSource.start(config, new HealthSettings(lagGrace, fullMaxFailing));
    }

    private Builder node(String name, String region, String location, NodeRole role, HikariConfig hikari,
        DataSource dataSource) {
      requireName("node name", name);
      requireName("region of node '" + name + "'", region);
      requireName("location of node '" + name + "'", location);
      if (nodes.containsKey(name)) {
        throw new IllegalStateException("a node named '" + name + "' is already configured: "
            + nodes.get(name).describe());
      }
      nodes.put(name, new NodeConfig(name, region, location, role, hikari, dataSource));
      return this;
    }

    private static HikariConfig requireHikari(String name, HikariConfig config) {
      Objects.requireNonNull(config, "HikariConfig of node '" + name + "'");
      if (config.getJdbcUrl() == null || config.getJdbcUrl().isBlank()) {
        throw new IllegalArgumentException("node '" + name + "': HikariConfig needs a jdbcUrl (the monitor "
            + "opens its own connection with it); or pass a ready DataSource instead");
      }
      return config;
    }

    private static void requireName(String what, String value) {
      Objects.requireNonNull(value, what);
      if (!NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(what + " " + UserText.quote(value) + " is not a valid name (letters, "
            + "digits, '.', '_', '-'; at most 63 characters; it appears in pool names and metric tags)");
      }
    }

    private static void requireUnset(String what, String current, String value) {
      if (current != null) {
        throw new IllegalStateException(what + " was already set to " + UserText.quote(current) + " (now "
            + UserText.quote(value) + ")");
      }
    }

    private static Duration requirePositive(String what, Duration value, Duration min) {
      Objects.requireNonNull(value, what);
      if (value.compareTo(min) < 0) {
        throw new IllegalArgumentException(what + " cannot be less than " + min.toMillis() + "ms, was "
            + value.toMillis() + "ms");
      }
      return value;
    }
  }
}
