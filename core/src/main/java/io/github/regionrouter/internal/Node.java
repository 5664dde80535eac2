package io.github.regionrouter.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.NodeRole;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.sql.DataSource;

/**
 * One PostgreSQL node as the router holds it: identity, its pool, and the count of connections bound to it.
 * Immutable but for {@link #inUse}.
 */
final class Node {

  /** Slots of {@link #firstReads}: a power of two; enough that threads rarely share one. */
  private static final int WATCH_SLOTS = 64;
  /** References per 64-byte cache line (compressed oops: 4 bytes), so two slots never share a line. */
  private static final int SLOT_SPACING = 16;
  /** {@link #watchFirstRead}'s answer when the connection went to the overflow set. */
  static final int OVERFLOW = -1;

  final int index;
  final String name;
  final String region;
  final int regionIndex;
  final String location;
  final NodeRole configuredRole;
  /** Where application connections come from. */
  final DataSource pool;
  /** Non-null when this data source created the pool and must close it. */
  final AutoCloseable ownedPool;
  /** How the monitor opens its own probe connection. */
  final ProbeConnector probe;
  /** The physical connections of a pool this data source built; null for a caller's data source. */
  final LiveConnections live;
  /**
   * Connections bound to this node and not yet closed; spreads reads among equally near replicas (power of two
   * choices on a published copy, see {@link InUse} for why not on the live count).
   */
  final InUse inUse = new InUse();
  /**
   * Connections running a read's first statement here: a failure of theirs is retried on another node, so
   * they can be aborted as soon as the node is merely suspected (a poll failed), without waiting for it to be
   * declared down (issue 13: a frozen replica costs a reader one poll timeout, not two). Each reader claims a
   * slot picked by its thread, one cache line apart from the others' ({@link #watchFirstRead}): a shared set
   * cost every read an add and a remove on shared counters and bins (JMH, issue 13: contended at 2 threads).
   * Two threads that pick the same slot at once: the second goes to {@link #firstReadsOverflow}.
   */
  private final AtomicReferenceArray<Connection> firstReads = new AtomicReferenceArray<>(WATCH_SLOTS * SLOT_SPACING);
  /** First reads whose thread found its slot taken; rarely used. */
  private final Set<Connection> firstReadsOverflow = ConcurrentHashMap.newKeySet();
  /**
   * The last failure to reach this node that a configuration change must fix (wrong password, unknown database
   * or host, no driver for the URL), from the monitor's probe or a borrow; null once the node answers again.
   */
  volatile SQLException configProblem;
  /** When ({@code System.nanoTime()}) the monitor last aborted the first reads here; 0 before it ever did. */
  private volatile long firstReadsAbortedNanos;

  Node(int index, NodeConfig config, int regionIndex, DataSource pool, AutoCloseable ownedPool,
      ProbeConnector probe) {
    this(index, config, regionIndex, pool, ownedPool, probe, null);
  }

  Node(int index, NodeConfig config, int regionIndex, DataSource pool, AutoCloseable ownedPool,
      ProbeConnector probe, LiveConnections live) {
    this.live = live;
    this.index = index;
    this.name = config.name();
    this.region = config.region();
    this.regionIndex = regionIndex;
    this.location = config.location();
    this.configuredRole = config.role();
    this.pool = pool;
    this.ownedPool = ownedPool;
    this.probe = probe;
  }

  /** The node was found down: abort its physical connections so no caller hangs on a frozen server. */
  int abortConnections() {
    if (ownedPool instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
      // idle connections to a dead node must not be handed out (HikariCP skips validation within 500 ms of use)
      hikari.getHikariPoolMXBean().softEvictConnections();
    }
    return live == null ? 0 : live.abortAll();
  }

  /**
   * {@code c} starts a read's first statement here; the answer is handed back to {@link #unwatchFirstRead}.
   * Thread-safe; allocation-free unless two threads share a slot.
   */
  int watchFirstRead(Connection c) {
    int slot = ((int) Thread.currentThread().getId() & (WATCH_SLOTS - 1)) * SLOT_SPACING;
    if (firstReads.get(slot) == null && firstReads.compareAndSet(slot, null, c)) {
      return slot;
    }
    firstReadsOverflow.add(c);
    return OVERFLOW;
  }

  /** The first statement of {@code c}, watched in {@code slot}, is over. */
  void unwatchFirstRead(int slot, Connection c) {
    if (slot == OVERFLOW) {
      firstReadsOverflow.remove(c);
    } else {
      // A release store, not a full fence: a monitor that still sees c for a moment aborts a connection whose
      // first statement just ended — the same race the monitor always had with a statement that ends as it looks.
      firstReads.lazySet(slot, null);
    }
  }

  /** A poll of this node failed: abort the reads whose first statement would be retried elsewhere anyway. */
  int abortFirstReads() {
    firstReadsAbortedNanos = System.nanoTime();
    int aborted = 0;
    for (int slot = 0; slot < firstReads.length(); slot += SLOT_SPACING) {
      Connection c = firstReads.get(slot);
      if (c != null && abort(c)) {
        aborted++;
      }
    }
    for (Connection c : firstReadsOverflow) {
      if (abort(c)) {
        aborted++;
      }
    }
    return aborted;
  }

  /**
   * Whether {@link #abortFirstReads} ran within {@code boundNanos} before {@code nowNanos}: a first read that failed
   * then was (most likely) aborted by the monitor's suspicion, which says nothing new about the node.
   */
  boolean firstReadsAbortedWithin(long nowNanos, long boundNanos) {
    long at = firstReadsAbortedNanos;
    return at != 0 && nowNanos - at < boundNanos;
  }

  private static boolean abort(Connection c) {
    try {
      c.abort(Runnable::run);
      return true;
    } catch (SQLException | RuntimeException e) {
      return false; // already closed or aborted: nothing waits on it
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
