package io.github.regionrouter.benchmarks;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The per-thread request contexts the benchmarks share. */
public final class Callers {

  private Callers() {
  }

  /** A thread's request context: region {@code eu}, a subject of its own that never wrote. */
  @State(Scope.Thread)
  public static class Caller {
    private RegionContext.Scope scope;

    @Setup(Level.Trial)
    public void open() {
      scope = RegionContext.open(StubTopology.REGION, "caller-" + Thread.currentThread().getName());
    }

    @TearDown(Level.Trial)
    public void close() {
      scope.close();
    }
  }

  /**
   * A thread's request context whose subject wrote once through a router, so its reads are pinned. Each
   * benchmark extends it with a {@code @Setup} that passes its own router (JMH injects only concrete
   * {@code @State} types into setup methods).
   */
  public abstract static class Pinned {
    private RegionContext.Scope scope;

    protected final void open(RegionRoutingDataSource router) throws SQLException {
      scope = RegionContext.open(StubTopology.REGION, "writer-" + Thread.currentThread().getName());
      Cycles.write(router);
    }

    @TearDown(Level.Trial)
    public void close() {
      scope.close();
    }
  }
}
