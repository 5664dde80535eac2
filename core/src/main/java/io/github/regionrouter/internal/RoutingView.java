package io.github.regionrouter.internal;

import java.util.List;

/**
 * What metrics binders may read of a running router: names by index and the current measurements.
 * Every reader is lock-free. Implemented by {@link RoutingDataSource}.
 */
public interface RoutingView {

  /** Node names, by node index. */
  List<String> nodeNames();

  /** Node regions, by node index. */
  List<String> nodeRegions();

  /** Configured node roles ("primary" or "replica"), by node index. */
  List<String> nodeRoles();

  /** Region names, by region index. */
  List<String> regionNames();

  /** The {@code reason} tags of {@code regionrouter.connections}, by reason index. */
  List<String> reasonTags();

  /** The {@code role} tag that goes with each reason. */
  List<String> reasonRoles();

  /** Replication lag of a node in seconds; NaN when unknown. */
  double lagSeconds(int node);

  /** Replication lag of a node in bytes; NaN when unknown. */
  double lagBytes(int node);

  /** Moving-average round trip of a node in seconds; NaN before the first answer. */
  double rttSeconds(int node);

  /** 1 when the node is up, else 0. */
  double up(int node);

  /** Read-your-writes pins held in a region. */
  double pins(int region);
}
