package io.github.regionrouter.internal;

/** Where the router gets its snapshot: the live monitor, or a static view for benchmarks. */
interface TopologySource extends AutoCloseable {

  /** The current snapshot; a volatile read. */
  TopologySnapshot snapshot();

  /** The router could not borrow from {@code node} for a reason that points at the node: take it out now. */
  void markDown(Node node, String reason);

  @Override
  void close();
}
