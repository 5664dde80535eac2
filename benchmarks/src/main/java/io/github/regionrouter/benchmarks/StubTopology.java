package io.github.regionrouter.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.benchmarks.stub.StubDriver;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The benchmarked topology: two regions, each one primary and two replicas, all in the app's location
 * ({@code fra}), every node a HikariCP pool over the {@link StubDriver}. The raw baseline, Spring's
 * hand-built routing and the router are all built on these same pools, so the only difference between the
 * benchmarks is the layer above the pool. Not thread-safe to build; the data sources it hands out are.
 */
public final class StubTopology implements AutoCloseable {

  /** The region every benchmark routes to. */
  public static final String REGION = "eu";
  /** Where the app runs; every node is here, so every node is "nearest". */
  public static final String LOCATION = "fra";
  public static final String EU_PRIMARY = "eu-primary";
  public static final String EU_REPLICA_1 = "eu-replica-1";
  public static final String EU_REPLICA_2 = "eu-replica-2";
  public static final String US_PRIMARY = "us-primary";
  public static final String US_REPLICA_1 = "us-replica-1";
  public static final String US_REPLICA_2 = "us-replica-2";
  /**
   * Connections per pool: more than the benchmark threads, so a thread never waits for another's
   * connection and the borrow stays on HikariCP's thread-local fast path.
   */
  static final int POOL_SIZE = 4;

  private final Map<String, HikariDataSource> pools = new LinkedHashMap<>();

  public StubTopology() {
    for (String node : new String[] {EU_PRIMARY, EU_REPLICA_1, EU_REPLICA_2, US_PRIMARY, US_REPLICA_1,
        US_REPLICA_2}) {
      pools.put(node, newPool(node));
    }
  }

  private static HikariDataSource newPool(String node) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("bench-" + node);
    config.setDriverClassName(StubDriver.class.getName());
    config.setJdbcUrl(StubDriver.url(node));
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(POOL_SIZE);
    config.setRegisterMbeans(false);
    return new HikariDataSource(config);
  }

  /** The pool of {@code node}. */
  public HikariDataSource pool(String node) {
    HikariDataSource pool = pools.get(node);
    if (pool == null) {
      throw new IllegalArgumentException("no node '" + node + "' (nodes: " + pools.keySet() + ")");
    }
    return pool;
  }

  /**
   * The router over these pools with the static topology (monitor off: every node up in its configured
   * role, no lag) and a read-your-writes window of an hour, so a pin made in set-up holds for the whole run.
   *
   * @param meterRegistry a Micrometer {@code MeterRegistry}, or null for no metrics
   */
  public RegionRoutingDataSource router(io.micrometer.core.instrument.MeterRegistry meterRegistry) {
    RegionRoutingDataSource.Builder builder = RegionRoutingDataSource.builder()
        .localLocation(LOCATION)
        .primary(EU_PRIMARY, "eu", LOCATION, ready(EU_PRIMARY))
        .replica(EU_REPLICA_1, "eu", LOCATION, ready(EU_REPLICA_1))
        .replica(EU_REPLICA_2, "eu", LOCATION, ready(EU_REPLICA_2))
        .primary(US_PRIMARY, "us", LOCATION, ready(US_PRIMARY))
        .replica(US_REPLICA_1, "us", LOCATION, ready(US_REPLICA_1))
        .replica(US_REPLICA_2, "us", LOCATION, ready(US_REPLICA_2))
        .monitorEnabled(false)
        .readYourWritesWindow(Duration.ofHours(1));
    if (meterRegistry != null) {
      builder.meterRegistry(meterRegistry);
    }
    return builder.build();
  }

  /**
   * The pool of {@code node} as a plain {@link DataSource}: a {@link HikariDataSource} is also a
   * {@link HikariConfig}, so the builder's {@code primary}/{@code replica} overloads need to be told which
   * one is meant (the ready pool, not a configuration to build a new pool from).
   */
  private DataSource ready(String node) {
    return pool(node);
  }

  /**
   * What a user builds by hand with Spring today: an {@link AbstractRoutingDataSource} per role keyed by
   * the region of the current {@link RegionContext}, under a {@link LazyConnectionDataSourceProxy} whose
   * read-only data source takes connections that are read-only at first use. Each region's reads go to its
   * first replica (a hand-built setup has no RTT, lag or load to choose by).
   */
  public DataSource springRouting() {
    Map<Object, Object> writes = new LinkedHashMap<>();
    writes.put("eu", pool(EU_PRIMARY));
    writes.put("us", pool(US_PRIMARY));
    Map<Object, Object> reads = new LinkedHashMap<>();
    reads.put("eu", pool(EU_REPLICA_1));
    reads.put("us", pool(US_REPLICA_1));
    LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy(regionRouting(writes));
    proxy.setReadOnlyDataSource(regionRouting(reads));
    // Known defaults, so the proxy does not borrow a connection (without a region) to find them out.
    proxy.setDefaultAutoCommit(true);
    proxy.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    proxy.afterPropertiesSet();
    return proxy;
  }

  private static DataSource regionRouting(Map<Object, Object> targets) {
    AbstractRoutingDataSource routing = new AbstractRoutingDataSource() {
      @Override
      protected Object determineCurrentLookupKey() {
        RegionContext context = RegionContext.currentOrNull();
        return context == null ? null : context.region();
      }
    };
    routing.setTargetDataSources(targets);
    // No default target: an unknown region fails rather than landing in another region.
    routing.setLenientFallback(false);
    routing.afterPropertiesSet();
    return routing;
  }

  @Override
  public void close() {
    pools.values().forEach(HikariDataSource::close);
  }
}
