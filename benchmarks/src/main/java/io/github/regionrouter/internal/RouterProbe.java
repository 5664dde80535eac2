package io.github.regionrouter.internal;

import io.github.regionrouter.RegionContext;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Lets the benchmarks call the package-private routing decision ({@link Router#choose}) on a router's own
 * snapshot. It lives in the benchmarks module under core's package name (a split package, fine on the class
 * path) so that core exposes nothing for it. Not for production use. Thread-safe.
 */
public final class RouterProbe {

  /** The pin of a subject that has no pin. */
  public static final long NO_PIN = Router.NO_PIN;

  private final RoutingDataSource ds;
  private final TopologySnapshot snapshot;
  private final long windowNanos;

  private RouterProbe(RoutingDataSource ds) {
    this.ds = ds;
    this.snapshot = ds.snapshot();
    this.windowNanos = ds.latencyWindowNanos;
  }

  /**
   * A probe of the router behind {@code dataSource}, on the snapshot current now.
   *
   * @throws SQLException if {@code dataSource} is not a region-router data source
   */
  public static RouterProbe of(DataSource dataSource) throws SQLException {
    return new RouterProbe(dataSource.unwrap(RoutingDataSource.class));
  }

  /**
   * The index of {@code region}.
   *
   * @throws IllegalArgumentException if the router does not know {@code region}
   */
  public int region(String region) {
    for (int r = 0; r < ds.regions.length; r++) {
      if (ds.regions[r].equals(region)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown region '" + region + "'");
  }

  /**
   * The decision alone: {@link Router#choose} on the held snapshot, nothing excluded, drawing its two choices
   * among equally near replicas with the thread's {@link ThreadLocalRandom} as every bind does in production
   * ({@code RoutedConnection.spreadHint()}): one decision in {@link Router#REFRESH_EVERY} refreshes the
   * published in-use counts, the others compare them.
   */
  public int choose(int region, boolean readOnly, long pin) {
    return Router.choose(snapshot, region, readOnly, pin, 0L, windowNanos, ThreadLocalRandom.current().nextInt());
  }

  /**
   * The decision as one in {@link Router#REFRESH_EVERY} makes it: refreshing the two candidates' published
   * in-use counts (summing the shared counters) before comparing them; the first two candidates.
   */
  public int chooseRefreshing(int region, boolean readOnly, long pin) {
    return Router.choose(snapshot, region, readOnly, pin, 0L, windowNanos, 0);
  }

  /** The pin a read in {@code region} under the current {@link RegionContext} must honour (a pins lookup). */
  public long pinFor(int region) {
    return ds.pinFor(region, RegionContext.currentOrNull());
  }

  /** The name of the node a route goes to. */
  public String node(int route) {
    return snapshot.nodes[Router.node(route)].name;
  }

  /** The {@code reason} tag of a route, as in {@code regionrouter.connections}. */
  public static String reason(int route) {
    return Router.REASON_TAGS[Router.reason(route)];
  }
}
