package io.github.regionrouter.benchmarks;

import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.internal.FenceProbe;
import java.sql.Connection;
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
 * What fencing costs a write (issue 9): borrow and close one connection of the region's write target through
 * the {@code WriteFence} (HikariCP's {@code getConnection(slice)} plus one volatile read of the snapshot and
 * one compare) against the same pool's plain {@code getConnection()}. On the stub driver, so the difference
 * is CPU only; on PostgreSQL the fence adds no round trip (it sends nothing).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class WriteFenceBenchmark {

  private StubTopology topology;
  private RegionRoutingDataSource router;
  private FenceProbe probe;

  @Setup(Level.Trial)
  public void start() throws SQLException {
    topology = new StubTopology();
    router = topology.router(null);
    probe = FenceProbe.of(router, StubTopology.REGION);
  }

  @TearDown(Level.Trial)
  public void stop() {
    router.close();
    topology.close();
  }

  /** The write target's pool as a routed write borrowed before issue 9. */
  @Benchmark
  public Connection unfenced() throws SQLException {
    Connection c = probe.unfenced();
    c.close();
    return c;
  }

  /** The same borrow through the fence, as a routed write borrows now. */
  @Benchmark
  public Connection fenced() throws SQLException {
    Connection c = probe.fenced();
    c.close();
    return c;
  }
}
