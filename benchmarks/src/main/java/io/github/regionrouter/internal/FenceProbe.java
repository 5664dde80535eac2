package io.github.regionrouter.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Lets the benchmarks borrow from a region's write target the two ways core can: through the
 * {@link WriteFence} (what a routed write does since issue 9) and straight from the pool (what it did before),
 * so that the fence's cost per write is one difference in one run. Lives in the benchmarks module under core's
 * package name, like {@link RouterProbe}. Not for production use. Thread-safe.
 */
public final class FenceProbe {

  private final RoutingDataSource ds;
  private final Node target;
  private final int region;

  private FenceProbe(RoutingDataSource ds, String region) {
    this.ds = ds;
    int index = -1;
    for (int r = 0; r < ds.regions.length; r++) {
      if (ds.regions[r].equals(region)) {
        index = r;
      }
    }
    if (index < 0) {
      throw new IllegalArgumentException("unknown region '" + region + "'");
    }
    this.region = index;
    this.target = ds.snapshot().nodes[ds.snapshot().writeTarget[this.region]];
  }

  /**
   * A probe of the write target of {@code region} behind {@code dataSource}.
   *
   * @throws SQLException if {@code dataSource} is not a region-router data source
   */
  public static FenceProbe of(DataSource dataSource, String region) throws SQLException {
    return new FenceProbe(dataSource.unwrap(RoutingDataSource.class), region);
  }

  /** A connection of the write target, through the fence (sliced borrow, hand-over check). */
  public Connection fenced() throws SQLException {
    return ds.borrow(target, region, Router.WRITE);
  }

  /** A connection of the write target straight from its pool, as before the fence. */
  public Connection unfenced() throws SQLException {
    return target.pool.getConnection();
  }
}
