package io.github.regionrouter.internal;

/** Where the router gets its snapshot: the live monitor, or a static view for benchmarks. */
interface TopologySource extends AutoCloseable {

  /** The current snapshot; a volatile read. */
  TopologySnapshot snapshot();

  /** The router could not borrow from {@code node} for a reason that points at the node: take it out now. */
  void markDown(Node node, String reason);

  /**
   * Region {@code region}'s primary positions, to resolve pins known by commit time: at least as new as
   * {@link #snapshot()}'s. A volatile read.
   */
  default PrimaryPositions positions(int region) {
    return snapshot().positions[region];
  }

  /**
   * A write in {@code region} just committed: a poll of its write target that starts after now would resolve
   * its pin. Returns at once (no I/O on the caller's thread); a no-op without a monitor.
   */
  default void positionWanted(int region) {
  }

  @Override
  void close();
}
