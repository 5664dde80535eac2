package io.github.regionrouter.benchmarks;

import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.internal.RouterProbe;
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

/** EXPERIMENT: spread variants side by side (each param value forks its own JVM). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SpreadBenchmark {

  @Param({"thread-adder", "p2c-adder", "p2c-atomic", "p2c-cached"})
  public String spread;

  private StubTopology topology;
  private RegionRoutingDataSource router;
  private RouterProbe probe;
  private int region;

  @Setup(Level.Trial)
  public void start() throws SQLException {
    String[] parts = spread.split("-");
    System.setProperty("regionrouter.spread", parts[0]);
    System.setProperty("regionrouter.inuse", parts[1]);
    topology = new StubTopology();
    router = topology.router(null);
    probe = RouterProbe.of(router);
    region = probe.region(StubTopology.REGION);
  }

  @TearDown(Level.Trial)
  public void stop() {
    router.close();
    topology.close();
  }

  @Benchmark
  public int decision() {
    return probe.choose(region, true, RouterProbe.NO_PIN);
  }

  @Benchmark
  public void routedRead(Callers.Caller caller) throws SQLException {
    Cycles.read(router);
  }
}
