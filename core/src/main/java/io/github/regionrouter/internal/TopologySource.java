package io.github.regionrouter.internal;

/** Where the router gets its snapshot: the live monitor, or a static view for benchmarks. */
interface TopologySource extends AutoCloseable {

  /** The current snapshot; a volatile read. */
  TopologySnapshot snapshot();

  /** The router could not borrow from {@code node} for a reason that points at the node: take it out now. */
  void markDown(Node node, String reason);

  /**
   * A read's first statement failed on {@code node} with a connection error and is being retried elsewhere
   * (rule 7): take the node out now, unless the failure is the monitor's own doing (it aborts first reads on a
   * node it merely suspects).
   */
  default void firstReadFailed(Node node, String reason) {
    markDown(node, reason);
  }

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
