package io.github.regionrouter.benchmarks;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The routed unit of work (as in {@link ConnectionCycleBenchmark}) with and without a Micrometer registry
 * ({@code SimpleMeterRegistry}): the cost of {@code regionrouter.connections} counting every bind. The same
 * {@link Cycles} as there: a write executes one update, a read one query.
 * Budget: on ≤ 1.05 × off.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class MetricsOverheadBenchmark {

  @Param({"off", "on"})
  public String metrics;

  private StubTopology topology;
  RegionRoutingDataSource router;

  @Setup(Level.Trial)
  public void start() {
    topology = new StubTopology();
    router = topology.router("on".equals(metrics) ? new SimpleMeterRegistry() : null);
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
    public void open(MetricsOverheadBenchmark benchmark) throws SQLException {
      open(benchmark.router);
    }
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
