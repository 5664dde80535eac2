package io.github.regionrouter.benchmarks;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.WritePosition;
import io.github.regionrouter.benchmarks.stub.StubStatement;
import io.github.regionrouter.internal.RouterProbe;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
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
 * The routing decision alone ({@code Router.choose} on the router's snapshot of the six-node
 * {@link StubTopology}): a write, a read, and a pinned read (the two eu replicas are equally near, so every read
 * draws its power of two choices). Run with {@code -prof gc}: the budget is
 * ≤ 25 ns and 0 bytes allocated per decision. {@link #pinLookup} shows what finding a subject's pin
 * (a map lookup and a clock read, done once per read before the decision) adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RoutingDecisionBenchmark {

  private StubTopology topology;
  private RegionRoutingDataSource router;
  private RouterProbe probe;
  /** Fields, not constants, so the JIT cannot fold the decision away. */
  private int region;
  private long pin;

  @Setup(Level.Trial)
  public void start() throws SQLException {
    topology = new StubTopology();
    router = topology.router(null);
    probe = RouterProbe.of(router);
    region = probe.region(StubTopology.REGION);
    pin = WritePosition.parseLsn(StubStatement.LSN);
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
    public void open(RoutingDecisionBenchmark benchmark) throws SQLException {
      open(benchmark.router);
    }
  }

  @Benchmark
  public int write() {
    return probe.choose(region, false, RouterProbe.NO_PIN);
  }

  @Benchmark
  public int read() {
    return probe.choose(region, true, RouterProbe.NO_PIN);
  }

  @Benchmark
  public int pinnedRead() {
    return probe.choose(region, true, pin);
  }

  /**
   * A read as 1 decision in 8 makes it: refreshing the two candidates' published in-use counts (summing the
   * shared counters) before comparing them. {@link #read} averages 7 decisions without this and 1 with it.
   */
  @Benchmark
  public int readRefreshing() {
    return probe.chooseRefreshing(region, true, RouterProbe.NO_PIN);
  }

  @Benchmark
  public long pinLookup(PinnedCaller caller) {
    return probe.pinFor(region);
  }
}
