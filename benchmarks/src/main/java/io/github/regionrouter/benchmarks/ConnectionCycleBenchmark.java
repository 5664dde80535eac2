package io.github.regionrouter.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One unit of work on a connection — {@code getConnection} → ({@code setReadOnly(true)} for reads) →
 * {@code createStatement()} (a write runs one {@code executeUpdate} on it, a read one {@code executeQuery}
 * whose one row it reads) → {@code close} (see {@link Cycles} for why an executed statement) — through raw
 * HikariCP, through Spring's hand-built routing, and through the router, over the same six stub pools
 * ({@link StubTopology}). The budget: routed ≤ 1.10 × raw, at 1 and 2 threads ({@code -t}).
 *
 * <ul>
 *   <li>{@link #rawHikari}, {@link #rawHikariReadOnly}: the region's primary pool, and a replica pool with
 *       {@code setReadOnly(true)}: the same JDBC calls as the routed write and read (the same query too),
 *       without any routing.
 *   <li>{@link #wrapperFloor}, {@link #wrapperFloorReadOnly}: the same pools behind a connection and a statement
 *       wrapper that only delegate ({@link WrapperFloor}): the price of wrapping alone, the floor under any
 *       router that sees the caller's statements.
 *   <li>{@link #springRouting}, {@link #springRoutingRead}: {@code AbstractRoutingDataSource} keyed by
 *       region under {@code LazyConnectionDataSourceProxy} with a read-only data source.
 *   <li>{@link #routedWrite}, {@link #routedRead}, {@link #routedPinnedRead}: the router, the region from
 *       {@link RegionContext} (opened once per thread, with a subject). A routed write executes one
 *       auto-commit {@code UPDATE} (so does the raw write), records its commit and pins the subject (clock
 *       reads, no I/O) — part of what a routed write costs. The
 *       pinned reader wrote once in set-up, so its reads carry a pin (window one hour) that the stub
 *       replicas have replayed: they go to a replica as {@code read-pinned}.
 * </ul>
 *
 * <p>The router is built with its defaults but for the monitor (off: the static topology) and the
 * read-your-writes window. A routed read no longer checks its replica connection with {@code isValid}
 * ({@code validateReplicasOnBorrow} is off by default: a failed first statement is retried instead).
 * Routed statements are {@code RoutedStatement} wrappers over the pool's statements: their creation, and a
 * read's first-execution watch (so a frozen replica's first read can be aborted and retried), are part of every
 * routed cycle.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class ConnectionCycleBenchmark {

  private StubTopology topology;
  private HikariDataSource primaryPool;
  private HikariDataSource replicaPool;
  private DataSource spring;
  private DataSource floor;
  private DataSource floorReadOnly;
  RegionRoutingDataSource router;

  @Setup(Level.Trial)
  public void start() {
    topology = new StubTopology();
    primaryPool = topology.pool(StubTopology.EU_PRIMARY);
    replicaPool = topology.pool(StubTopology.EU_REPLICA_1);
    spring = topology.springRouting();
    floor = new WrapperFloor(primaryPool);
    floorReadOnly = new WrapperFloor(replicaPool);
    router = topology.router(null);
  }

  @TearDown(Level.Trial)
  public void stop() {
    router.close();
    topology.close();
  }

  /** A thread whose subject wrote once through this benchmark's router: its reads are pinned. */
  @State(Scope.Thread)
  public static class PinnedCaller extends Callers.Pinned {
    @Setup(Level.Trial)
    public void open(ConnectionCycleBenchmark benchmark) throws SQLException {
      open(benchmark.router);
    }
  }

  @Benchmark
  public void rawHikari() throws SQLException {
    Cycles.write(primaryPool);
  }

  @Benchmark
  public void rawHikariReadOnly() throws SQLException {
    Cycles.read(replicaPool);
  }

  @Benchmark
  public void wrapperFloor() throws SQLException {
    Cycles.write(floor);
  }

  @Benchmark
  public void wrapperFloorReadOnly() throws SQLException {
    Cycles.read(floorReadOnly);
  }

  @Benchmark
  public void springRouting(Callers.Caller caller) throws SQLException {
    Cycles.write(spring);
  }

  @Benchmark
  public void springRoutingRead(Callers.Caller caller) throws SQLException {
    Cycles.read(spring);
  }

  @Benchmark
  public void routedWrite(Callers.Caller caller) throws SQLException {
    Cycles.write(router);
  }

  @Benchmark
  public void routedRead(Callers.Caller caller) throws SQLException {
    Cycles.read(router);
  }

  @Benchmark
  public void routedPinnedRead(PinnedCaller caller) throws SQLException {
    Cycles.read(router);
  }
}
