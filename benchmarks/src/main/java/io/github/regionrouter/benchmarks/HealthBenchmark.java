package io.github.regionrouter.benchmarks;

import io.github.regionrouter.HealthLevel;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.TopologyStatus;
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
 * What a health check costs on the six-node {@link StubTopology} with everything UP (a load balancer's normal
 * case): the UP/DOWN decision of each level, the full JSON body an endpoint sends, and {@code status()} for
 * comparison. The budget: the decision well under a microsecond and without opening a connection.
 * Run with {@code -prof gc} for bytes per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class HealthBenchmark {

  private StubTopology topology;
  private RegionRoutingDataSource router;

  @Setup(Level.Trial)
  public void start() {
    topology = new StubTopology();
    router = topology.router(null);
  }

  @TearDown(Level.Trial)
  public void stop() {
    router.close();
    topology.close();
  }

  @Benchmark
  public boolean basic() {
    return router.health(HealthLevel.BASIC).isUp();
  }

  @Benchmark
  public boolean db() {
    return router.health(HealthLevel.DB).isUp();
  }

  @Benchmark
  public boolean full() {
    return router.health(HealthLevel.FULL).isUp();
  }

  /** What {@code /health/db} serializes: the decision, every node's details and the JSON. */
  @Benchmark
  public String dbJson() {
    return router.health(HealthLevel.DB).toJson();
  }

  @Benchmark
  public TopologyStatus status() {
    return router.status();
  }
}
