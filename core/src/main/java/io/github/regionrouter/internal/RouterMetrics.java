package io.github.regionrouter.internal;

/**
 * What the router counts on its hot path. Meters are created once, when the data source is built; these
 * methods only increment. Implementations are thread-safe.
 */
public interface RouterMetrics extends AutoCloseable {

  /** Counts nothing. */
  RouterMetrics NOOP = new RouterMetrics() {
    @Override
    public void connection(int node, int reason) {
    }

    @Override
    public void refusal(int region, int reason) {
    }

    @Override
    public void failover(int node) {
    }

    @Override
    public void close() {
    }
  };

  /** Refusal reasons, as {@code regionrouter.refusals} {@code reason} tags, by index. */
  String[] REFUSAL_TAGS = {"unknown-region", "residency", "split-brain", "no-primary", "no-node"};
  /** A region or default region that is not configured, or none at all. */
  int UNKNOWN_REGION = 0;
  /** The only node that could serve is quarantined for its identity (rule 8). */
  int RESIDENCY = 1;
  /** Two writable nodes in the region. */
  int SPLIT_BRAIN = 2;
  /** No writable node in the region. */
  int NO_PRIMARY = 3;
  /** Reads found neither a replica nor a primary that could hand out a connection. */
  int NO_NODE = 4;

  /** A connection was bound to {@code node} for {@code reason} (see {@link RoutingView#reasonTags()}). */
  void connection(int node, int reason);

  /** A connection was refused; {@code region} is -1 when the region was unknown. */
  void refusal(int region, int reason);

  /** Binding failed over away from {@code node}. */
  void failover(int node);

  @Override
  void close();
}
