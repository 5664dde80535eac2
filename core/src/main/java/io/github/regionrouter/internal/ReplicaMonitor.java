package io.github.regionrouter.internal;

import io.github.regionrouter.NodeRole;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every node every {@code monitorInterval}, each on its own thread and its own connection with a
 * timeout, and publishes one immutable {@link TopologySnapshot} per round through one volatile write.
 * Measures role, health (with thresholds and back-off), RTT (moving average), lag in bytes and in time
 * (idle-safe, see {@link LagHistory}) and identity (system identifier per region, rule 8).
 *
 * <p>A primary's answer is recorded into its region's {@link PrimaryPositions} as soon as it arrives, on the
 * poller's thread, not at the next round's harvest: a far primary's poll often outlasts the round's wait, and
 * every pin waiting for it would wait a round more. A commit may also ask for a <em>kick</em>
 * ({@link #positionWanted}): one extra position probe of the write target on a connection of its own (the
 * round's poll owns its own; one JDBC connection cannot serve two statements at once). Up to
 * {@link #KICK_PROBES} kicks run at once per node, each on its own lazily opened connection, so a commit
 * while another's kick is in flight gets a probe that starts at once instead of waiting for that one (which
 * started before it, so cannot resolve it: issue 13, the Asian read of one's own new write); a request while
 * all are busy leaves one more to run after the first to finish. The cost: up to {@link #KICK_PROBES}
 * connections to a far write target besides the round's (only as many as kicks ever ran at once), none to a
 * near one (it gets no kicks). Kicks touch positions only; health and roles stay the rounds' work.
 *
 * <p>Thread-safety: rounds run on the {@code region-router-monitor} thread; {@link #markDown} may be called
 * by any thread; both mutate under one lock. {@link #snapshot()} is a lock-free volatile read.
 */
final class ReplicaMonitor implements TopologySource {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaMonitor.class);
  private static final int HISTORY = 1024;
  /** A node that goes down again within this long of its last "is down" WARN is logged at DEBUG (flapping). */
  private static final long FLAP_QUIET_NANOS = 60_000_000_000L;

  private final Node[] nodes;
  private final int regionCount;
  private final long intervalNanos;
  private final long pollTimeoutNanos;
  /** How long a poll that is opening the monitor's connection may take: the connect timeout, then a poll's. */
  private final long connectingTimeoutNanos;
  private final long maxLagNanos;
  private final NodeHealth[] health;
  private final NodeProbe[] probes;
  private final LagHistory[] history;
  private final PrimaryPositions.Log[] positions;
  private final int[] lastTarget;
  private final long[] regionSystemId;
  private final Future<Sample>[] inFlight;
  private final long[] inFlightSince;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService[] pollers;
  private final Object lock = new Object();
  /** Per node, the kicks' own probes (each its own connection, opened on the first kick that takes it). */
  private final NodeProbe[][] kickProbes;
  /**
   * Per node, the kick probes not in use; a kick takes the first and puts it back first, so a connection opens
   * only when that many kicks ever ran at once, and the most recently used (open) ones serve the next.
   */
  private final ConcurrentLinkedDeque<NodeProbe>[] freeKickProbes;
  /** Per node: kicks in flight (0 to {@link #KICK_PROBES}) plus {@link #KICK_PENDING} when one more is owed. */
  private final AtomicIntegerArray kickState;
  private final ExecutorService kicker;
  private final long latencyWindowNanos;
  /** Off only to measure the router without kicks and early recording in the same run (tests). */
  private volatile boolean fastPositions = true;
  /**
   * Kicks in flight at most per node, so kick connections at most per far write target (besides the round's).
   * A kick lasts one primary round trip; three cover up to three commits within one round trip with a probe
   * each, and a fourth then waits for the first to finish (at most one round trip more). Small, as every
   * instance of the application opens them to every far primary its commits go to.
   */
  static final int KICK_PROBES = 3;
  /** Set in {@link #kickState} with all {@link #KICK_PROBES} in flight: one more runs after the first to finish. */
  private static final int KICK_PENDING = 1 << 8;
  private volatile TopologySnapshot snapshot;
  private volatile boolean closed;
  /** The start-up WARNs were written; later first failures are logged as they come. */
  private boolean startupLogged;

  @SuppressWarnings("unchecked")
  private ReplicaMonitor(Node[] nodes, int regionCount, RouterConfig config) {
    this.nodes = nodes;
    this.regionCount = regionCount;
    this.intervalNanos = config.monitorInterval().toNanos();
    this.pollTimeoutNanos = pollTimeout(config).toNanos();
    this.connectingTimeoutNanos = connectTimeout(config).toNanos() + pollTimeoutNanos;
    this.maxLagNanos = config.maxReplicaLag().toNanos();
    this.health = new NodeHealth[nodes.length];
    this.probes = new NodeProbe[nodes.length];
    this.pollers = new ExecutorService[nodes.length];
    this.inFlight = new Future[nodes.length];
    this.inFlightSince = new long[nodes.length];
    this.kickProbes = new NodeProbe[nodes.length][KICK_PROBES];
    this.freeKickProbes = new ConcurrentLinkedDeque[nodes.length];
    this.kickState = new AtomicIntegerArray(nodes.length);
    this.latencyWindowNanos = config.latencyWindow().toNanos();
    long connectMillis = connectTimeout(config).toMillis();
    for (Node node : nodes) {
      health[node.index] = new NodeHealth(node);
      probes[node.index] = new NodeProbe(node, (int) (pollTimeoutNanos / 1_000_000), connectMillis, config.ticker());
      freeKickProbes[node.index] = new ConcurrentLinkedDeque<>();
      for (int k = 0; k < KICK_PROBES; k++) {
        kickProbes[node.index][k] = new NodeProbe(node, (int) (pollTimeoutNanos / 1_000_000), connectMillis,
            config.ticker()); // no connection until a kick polls it
        freeKickProbes[node.index].addLast(kickProbes[node.index][k]);
      }
      pollers[node.index] = Executors.newSingleThreadExecutor(daemon("region-router-monitor-" + node.name));
    }
    this.history = new LagHistory[regionCount];
    this.positions = new PrimaryPositions.Log[regionCount];
    int positionCapacity = positionCapacity(config);
    this.lastTarget = new int[regionCount];
    this.regionSystemId = new long[regionCount];
    for (int r = 0; r < regionCount; r++) {
      history[r] = new LagHistory(HISTORY);
      positions[r] = new PrimaryPositions.Log(positionCapacity);
      lastTarget[r] = -1;
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("region-router-monitor"));
    // at most KICK_PROBES kicks in flight per node, so at most that many threads per far primary
    this.kicker = Executors.newCachedThreadPool(daemon("region-router-kick"));
  }

  /**
   * How long one poll may take before the node counts as not answering: at least 1 s (pgjdbc's connect and
   * login timeouts are whole seconds) and at least four intervals.
   */
  static Duration pollTimeout(RouterConfig config) {
    Duration four = config.monitorInterval().multipliedBy(4);
    return four.compareTo(Duration.ofSeconds(1)) > 0 ? four : Duration.ofSeconds(1);
  }

  /**
   * How long the monitor's connection to a node may take to open (pgjdbc's {@code connectTimeout} and
   * {@code loginTimeout}, whole seconds): at least 2 s and at least the poll timeout. Opening one costs several
   * round trips (TCP, the SSL request, start-up and authentication, the system identifier), which exceeds 1 s
   * to a node an ocean away (issue 13: the {@code sin} instance's first poll of the {@code iad} primary, 216 ms
   * a round trip, was failed at 1 s and the node logged "down at start-up"). A poll still connecting is
   * therefore given this plus a poll's timeout before it counts as not answering; a frozen node is still
   * failed by the driver's own login timeout.
   */
  static Duration connectTimeout(RouterConfig config) {
    long seconds = Math.max(2, (pollTimeout(config).toMillis() + 999) / 1000);
    return Duration.ofSeconds(seconds);
  }

  /**
   * Enough primary positions to resolve any pin still inside its window (one per poll at most, fewer on an
   * idle primary), plus slack for rounds that run late; bounded, so a tiny interval cannot grow it unchecked.
   */
  static int positionCapacity(RouterConfig config) {
    long perWindow = config.readYourWritesWindow().toNanos() / Math.max(1, config.monitorInterval().toNanos());
    return (int) Math.min(4096, perWindow + 16);
  }

  /**
   * Starts the monitor after one first round, so the first decision rests on measurements. The round waits
   * for the first connections as long as they may take to open (a far node's), returning as soon as every
   * node has answered or failed.
   */
  static ReplicaMonitor start(Node[] nodes, int regionCount, RouterConfig config) {
    ReplicaMonitor monitor = new ReplicaMonitor(nodes, regionCount, config);
    monitor.round(monitor.connectingTimeoutNanos);
    monitor.logStartup();
    monitor.scheduler.scheduleAtFixedRate(monitor::safeRound, monitor.intervalNanos, monitor.intervalNanos,
        TimeUnit.NANOSECONDS);
    return monitor;
  }

  @Override
  public TopologySnapshot snapshot() {
    return snapshot;
  }

  @Override
  public PrimaryPositions positions(int region) {
    return positions[region].view();
  }

  /**
   * Asks for a position probe of {@code region}'s write target that starts after now, without waiting: a CAS
   * on the caller's thread, and a task handed to the kick executor when fewer than {@link #KICK_PROBES} are in
   * flight (a probe in flight started before now, so cannot answer for this request); with all in flight, one
   * more is owed after the first to finish, shared by every request until it starts. Only when the
   * write target is farther than the region's nearest eligible replica by more than the latency window: a
   * near primary serves a pinned read as fast as the replica, so its pins need no hurry.
   */
  @Override
  public void positionWanted(int region) {
    TopologySnapshot s = snapshot;
    if (closed || s == null || !fastPositions) {
      return;
    }
    int target = s.writeTarget[region];
    int[] order = s.readOrder[region];
    if (target < 0 || order.length == 0) {
      return;
    }
    long primaryRtt = s.states[target].rttNanos;
    long replicaRtt = s.states[order[0]].rttNanos;
    if (primaryRtt < 0 || replicaRtt < 0 || primaryRtt - replicaRtt <= latencyWindowNanos) {
      return;
    }
    while (true) {
      int state = kickState.get(target);
      if (state == (KICK_PROBES | KICK_PENDING)) {
        return; // one more runs after the first in flight to finish, and it starts after now
      }
      if (state == KICK_PROBES) {
        if (kickState.compareAndSet(target, KICK_PROBES, KICK_PROBES | KICK_PENDING)) {
          return;
        }
        continue;
      }
      if (kickState.compareAndSet(target, state, state + 1)) {
        try {
          kicker.execute(() -> kick(target));
        } catch (RejectedExecutionException e) {
          kickState.decrementAndGet(target); // closed meanwhile
        }
        return;
      }
    }
  }

  /** Turns kicks and early recording on or off (to measure both in one run); on by default. */
  void fastPositions(boolean on) {
    fastPositions = on;
  }

  /**
   * Runs kicks of node {@code i} until none is owed; records each answer's position. The caller counted this
   * kick in {@link #kickState}, so a probe is free to take: at most {@link #KICK_PROBES} kicks are counted, and
   * each holds one probe only while counted (it puts it back before it stops counting).
   */
  private void kick(int i) {
    while (true) {
      NodeProbe probe = freeKickProbes[i].pollFirst();
      try {
        if (!closed) {
          // A commit time is known in whole milliseconds and resolves only to a poll stamped in a later one:
          // the request came at or before this millisecond, so the probe goes out in the next (under 1 ms).
          long requestedBy = System.currentTimeMillis();
          while (System.currentTimeMillis() <= requestedBy) {
            LockSupport.parkNanos(100_000);
          }
          recordPosition(i, probe.poll());
        }
      } finally {
        freeKickProbes[i].addFirst(probe);
      }
      while (true) {
        int state = kickState.get(i);
        if (closed || (state & KICK_PENDING) == 0) {
          if (kickState.compareAndSet(i, state, (state & ~KICK_PENDING) - 1)) {
            return;
          }
        } else if (kickState.compareAndSet(i, state, state & ~KICK_PENDING)) {
          break; // one was owed: one more, started after the request, still counted as this one
        }
      }
    }
  }

  /**
   * Records a primary's answered poll into its region's positions at once, if the node is its region's write
   * target in the published snapshot (before the first snapshot, the first round's publish records it).
   * Returns {@code s} for the round's harvest.
   */
  private Sample recordPosition(int i, Sample s) {
    TopologySnapshot published = snapshot;
    if (fastPositions && s.ok() && !s.inRecovery() && s.insertLsn() != 0 && published != null) {
      int region = nodes[i].regionIndex;
      if (published.writeTarget[region] == i) {
        positions[region].record(s.startNanos(), s.startMillis(), s.insertLsn());
      }
    }
    return s;
  }

  @Override
  public void markDown(Node node, String reason) {
    synchronized (lock) {
      NodeHealth h = health[node.index];
      boolean wasUp = h.up;
      h.markDown(reason);
      troubleWith(node);
      if (wasUp) {
        warnDown(h, System.nanoTime(), "taken out of routing");
      }
      h.nextPollNanos = 0; // poll it again next round: it may have been one bad borrow
      publish(System.nanoTime());
      if (wasUp) {
        abort(node);
      }
    }
  }

  /**
   * A first read failed on {@code node}. When the monitor suspects the node (its last poll failed or was slow) or
   * has just aborted its first reads, that is most likely the abort itself: the node stays suspect — no new reads,
   * no connection of it aborted — and its next poll decides. Otherwise the read met a failure the monitor has not
   * seen: down at once, as a failed borrow.
   */
  @Override
  public void firstReadFailed(Node node, String reason) {
    synchronized (lock) {
      NodeHealth h = health[node.index];
      if (h.up && (h.suspect() || node.firstReadsAbortedWithin(System.nanoTime(), pollTimeoutNanos))) {
        LOG.debug("region-router: a first read on suspect node '{}' failed ({}); its next poll decides", node.name,
            reason);
        return;
      }
      markDown(node, reason);
    }
  }

  private void safeRound() {
    try {
      round((long) (intervalNanos * 0.8));
    } catch (RuntimeException e) {
      LOG.warn("region-router: monitor round failed; next round in {}ms", intervalNanos / 1_000_000, e);
    }
  }

  private void round(long waitNanos) {
    if (closed) {
      return;
    }
    long start = System.nanoTime();
    for (Node node : nodes) {
      int i = node.index;
      if ((inFlight[i] == null || inFlight[i].isDone()) && start - health[i].nextPollNanos >= 0) {
        if (inFlight[i] == null || harvest(i, start)) {
          inFlightSince[i] = start;
          inFlight[i] = pollers[i].submit(() -> recordPosition(i, probes[i].poll()));
        }
      }
    }
    long deadline = start + waitNanos;
    for (Future<Sample> f : inFlight) {
      if (f != null && !f.isDone()) {
        try {
          f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // a slow node keeps its previous state this round; a stuck one is failed below
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    synchronized (lock) {
      long now = System.nanoTime();
      for (Node node : nodes) {
        int i = node.index;
        Future<Sample> f = inFlight[i];
        // read once: the probe may finish connecting in between, and the message must name the bound applied
        long limit = f == null ? 0 : probes[i].connecting() ? connectingTimeoutNanos : pollTimeoutNanos;
        if (f != null && f.isDone()) {
          harvest(i, now);
          inFlight[i] = null;
        } else if (f != null && now - inFlightSince[i] > limit) {
          // A frozen node: the poll thread stays stuck until its network timeout; count it now.
          boolean wasUp = health[i].up;
          health[i].failed("no answer within " + limit / 1_000_000 + "ms", false, now, intervalNanos);
          troubleWith(node);
          node.abortFirstReads();
          if (wasUp && !health[i].up) {
            warnDown(health[i], now, "is down");
            probes[i].abort();
            abortKickProbes(i);
            abort(node);
          } else if (!health[i].up && startupLogged) {
            warnDown(health[i], now, health[i].seen ? "is down" : "never came up");
          }
        }
      }
      warnQuietOutages(now);
      publish(now);
    }
  }

  /**
   * A flapping node's outage that began within a minute of its last WARN was logged at DEBUG; if it has lasted
   * past that minute it is no flap: say so at WARN, so the last WARN/INFO line never says "up" for a down node.
   */
  private void warnQuietOutages(long now) {
    for (NodeHealth h : health) {
      if (!h.up && h.downLogged && !h.downWarned && now - h.lastDownWarnNanos >= FLAP_QUIET_NANOS) {
        h.downLogged = false;
        h.lastDownWarnNanos = 0;
        warnDown(h, now, "is still down");
      }
    }
  }

  /** Applies a finished poll to the node's health; returns true so a new poll may be submitted. */
  private boolean harvest(int i, long now) {
    Future<Sample> f = inFlight[i];
    if (f == null) {
      return true;
    }
    Sample s;
    try {
      s = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      s = Sample.failed(false, String.valueOf(e.getCause()), now);
    }
    synchronized (lock) {
      NodeHealth h = health[i];
      boolean wasUp = h.up;
      boolean wasSeen = h.seen;
      NodeRole before = h.role;
      if (s.ok()) {
        h.answered(s);
        logRole(h, before);
        if (h.up && h.node.live != null) {
          // until its next poll has answered or been counted failed (that poll starts within an interval, and a
          // stuck one is counted at the first round end past the poll timeout), and never for long
          h.node.live.vouchUntil(now, now + Math.min(2 * intervalNanos + pollTimeoutNanos,
              LiveConnections.VOUCH_MAX_AGE_NANOS));
        }
      } else {
        h.failed(s.error(), s.refused(), now, intervalNanos);
        troubleWith(h.node);
        h.node.abortFirstReads(); // retried elsewhere by the router: no reason to wait for a second failure
      }
      if (wasUp != h.up) {
        if (h.up) {
          logUp(h);
        } else {
          warnDown(h, now, "is down");
          abort(h.node);
        }
      } else if (!h.up && !h.downLogged && h.failures > 0 && startupLogged) {
        // down since start-up without an answer (its first poll was still pending then), or never seen up
        warnDown(h, now, wasSeen ? "is down" : "never came up");
      }
    }
    inFlight[i] = null;
    return true;
  }

  /** One WARN per node that is down after the first round, with the cause and what to check. */
  private void logStartup() {
    synchronized (lock) {
      long now = System.nanoTime();
      for (NodeHealth h : health) {
        if (!h.up && h.failures > 0) {
          warnDown(h, now, "is down at start-up");
        }
      }
      startupLogged = true;
    }
  }

  /** The "is down" WARN, once per outage; a node flapping within a minute of its last WARN is logged at DEBUG. */
  private void warnDown(NodeHealth h, long now, String what) {
    if (h.downLogged) {
      return;
    }
    h.downLogged = true;
    h.downWarned = false;
    Node n = h.node;
    if (h.lastDownWarnNanos != 0 && now - h.lastDownWarnNanos < FLAP_QUIET_NANOS) {
      h.unloggedOutages++; // its return is logged at DEBUG too, see logUp
      LOG.debug("region-router: node '{}' {} again: {}", n.name, what, h.downReason);
      return;
    }
    String flaps = h.unloggedOutages == 0 ? "" : " (and " + h.unloggedOutages + " shorter outage(s) in the last "
        + "minute logged at DEBUG)";
    h.unloggedOutages = 0;
    h.downWarned = true;
    h.lastDownWarnNanos = now == 0 ? 1 : now;
    String reason = h.downReason.endsWith(".") ? h.downReason.substring(0, h.downReason.length() - 1)
        : h.downReason;
    LOG.warn("region-router: node '{}' ({} of region '{}' at {}) {}: {}{}. {}", n.name,
        n.configuredRole.name().toLowerCase(), n.region, n.location, what, reason, flaps,
        Causes.advice(h.downReason));
  }

  private void logUp(NodeHealth h) {
    if (!startupLogged) {
      // the first round: the "region-router started" line describes the topology; only problems stand out
      LOG.debug("region-router: node '{}' is up ({})", h.node.name, h.role.name().toLowerCase());
    } else if (h.downWarned) {
      LOG.info("region-router: node '{}' is up again ({})", h.node.name, h.role.name().toLowerCase());
    } else if (h.lastDownWarnNanos == 0 && h.unloggedOutages == 0) {
      LOG.info("region-router: node '{}' is up ({})", h.node.name, h.role.name().toLowerCase());
    } else {
      LOG.debug("region-router: node '{}' is up again ({})", h.node.name, h.role.name().toLowerCase());
    }
    h.downLogged = false;
    h.downWarned = false;
  }

  /** INFO when a node's observed role changes (a promotion, a demotion), or differs from its configured role. */
  private static void logRole(NodeHealth h, NodeRole before) {
    if (before == h.role) {
      return;
    }
    String name = h.node.name;
    String now = h.role.name().toLowerCase();
    if (before != NodeRole.UNKNOWN) {
      LOG.info("region-router: node '{}' is now {} (was {})", name, now, before.name().toLowerCase());
    } else if (h.role != h.node.configuredRole) {
      LOG.info("region-router: node '{}' is configured as {} but answers as {}", name,
          h.node.configuredRole.name().toLowerCase(), now);
    }
  }

  /** A poll failed or the node was taken down: HikariCP's alive checks of its connections go to the server. */
  private static void troubleWith(Node node) {
    if (node.live != null) {
      node.live.trouble();
    }
  }

  private static void abort(Node node) {
    int aborted = node.abortConnections();
    if (aborted > 0) {
      LOG.warn("region-router: aborted {} connection(s) to '{}' so no caller waits on it", aborted, node.name);
    }
  }

  /** Computes roles, lag and eligibility from the nodes' health and publishes one snapshot. */
  private void publish(long now) {
    checkIdentity();
    NodeState[] states = new NodeState[nodes.length];
    int[] target = writeTargets();
    boolean[] lost = null;
    for (int r = 0; r < regionCount; r++) {
      if (target[r] != lastTarget[r]) {
        history[r].clear();
        // The primary positions are kept: a promoted standby continues its old primary's WAL, so a pin
        // resolved before an outage still tells which standby has the write (rule 3's degraded reads).
        if (target[r] >= 0 && lastTarget[r] >= 0) {
          LOG.info("region-router: region '{}' writes go to '{}' (was '{}'): failover", nodes[target[r]].region,
              nodes[target[r]].name, nodes[lastTarget[r]].name);
        } else if (target[r] >= 0 && !startupLogged) {
          LOG.debug("region-router: region '{}' writes go to '{}'", nodes[target[r]].region, nodes[target[r]].name);
        } else if (target[r] >= 0) {
          LOG.info("region-router: region '{}' writes go to '{}'", nodes[target[r]].region, nodes[target[r]].name);
        } else {
          lost = lost == null ? new boolean[regionCount] : lost;
          lost[r] = true;
        }
        lastTarget[r] = target[r];
      }
      if (target[r] >= 0) {
        NodeHealth p = health[target[r]];
        history[r].record(p.lsn, p.sampledAtNanos);
        if (p.insertLsn != 0) {
          positions[r].record(p.pollStartNanos, p.pollStartMillis, p.insertLsn);
        }
      }
    }
    PrimaryPositions[] positionViews = new PrimaryPositions[regionCount];
    for (int r = 0; r < regionCount; r++) {
      positionViews[r] = positions[r].view();
    }
    for (Node node : nodes) {
      states[node.index] = state(health[node.index], target[node.regionIndex], now);
    }
    TopologySnapshot published = new TopologySnapshot(System.currentTimeMillis(), nodes, states, regionCount, positionViews);
    snapshot = published;
    for (int r = 0; lost != null && r < regionCount; r++) {
      if (lost[r]) {
        LOG.warn("region-router: region '{}' has no write target now ({}): its writes fail fast until exactly "
            + "one primary is up", regions(r), published.writeProblemDetail[r]);
      }
    }
  }

  /** Per region, the unique up, writable, not quarantined node; -1 when none or several. */
  private int[] writeTargets() {
    int[] target = new int[regionCount];
    java.util.Arrays.fill(target, -1);
    int[] count = new int[regionCount];
    for (NodeHealth h : health) {
      if (h.up && h.role == NodeRole.PRIMARY && !quarantined(h)) {
        target[h.node.regionIndex] = h.node.index;
        count[h.node.regionIndex]++;
      }
    }
    for (int r = 0; r < regionCount; r++) {
      if (count[r] != 1) {
        target[r] = -1;
      }
    }
    return target;
  }

  private NodeState state(NodeHealth h, int target, long now) {
    boolean quarantined = quarantined(h);
    logQuarantine(h, quarantined);
    if (!h.up) {
      h.overLag = false;
      return new NodeState(false, h.role, -1, -1, h.rttNanos, h.lsn == 0 ? NodeState.UNKNOWN : h.lsn, false,
          "down: " + h.downReason, quarantined);
    }
    String quarantine = quarantined ? "quarantined: system identifier " + Long.toUnsignedString(h.systemId)
        + " is not region '" + h.node.region + "''s " + Long.toUnsignedString(regionSystemId[h.node.regionIndex])
        + " (wrong server behind this node's URL?)" : null;
    if (h.role == NodeRole.PRIMARY) {
      boolean isTarget = target == h.node.index;
      return new NodeState(true, h.role, isTarget ? 0 : -1, isTarget ? 0 : -1, h.rttNanos, h.lsn, false,
          quarantine, quarantined);
    }
    long lagNanos = -1;
    long lagBytes = -1;
    if (target >= 0 && !history[h.node.regionIndex].isEmpty()) {
      long newest = history[h.node.regionIndex].newest();
      lagBytes = Long.compareUnsigned(newest, h.lsn) > 0 ? newest - h.lsn : 0;
      lagNanos = history[h.node.regionIndex].lagNanos(h.lsn, h.sampledAtNanos);
      if (h.lagExcluded ? lagNanos <= maxLagNanos / 2 : lagNanos > maxLagNanos) {
        h.lagExcluded = !h.lagExcluded;
        logLagExclusion(h, lagNanos, lagBytes);
      }
    }
    boolean over = lagNanos > maxLagNanos;
    if (over && !h.overLag) {
      h.overLagSinceNanos = now;
    }
    h.overLag = over;
    String excluded = quarantine;
    if (excluded == null && h.suspect()) {
      excluded = "suspect: " + h.failureReason + " (" + h.failures + " failed poll(s); down after "
          + NodeHealth.FAILURES_TO_DOWN + ")";
    } else if (excluded == null && lagNanos < 0) {
      excluded = "lag unknown: region '" + h.node.region + "' has no primary to compare with";
    } else if (excluded == null && h.lagExcluded) {
      excluded = "lagging " + lagNanos / 1_000_000 + "ms (max " + maxLagNanos / 1_000_000 + "ms, back under "
          + maxLagNanos / 2_000_000 + "ms)";
    }
    return new NodeState(true, h.role, lagNanos, lagBytes, h.rttNanos, h.lsn, excluded == null, excluded,
        quarantined, over, h.overLagSinceNanos);
  }

  private void logLagExclusion(NodeHealth h, long lagNanos, long lagBytes) {
    if (h.lagExcluded) {
      LOG.warn("region-router: replica '{}' excluded from reads: {}ms ({} bytes) behind region '{}''s primary, "
          + "over maxReplicaLag {}ms; re-admitted once under {}ms", h.node.name, lagNanos / 1_000_000, lagBytes,
          h.node.region, maxLagNanos / 1_000_000, maxLagNanos / 2_000_000);
    } else {
      LOG.warn("region-router: replica '{}' re-admitted to reads: lag {}ms, back under {}ms", h.node.name,
          lagNanos / 1_000_000, maxLagNanos / 2_000_000);
    }
  }

  private void logQuarantine(NodeHealth h, boolean quarantined) {
    if (quarantined && !h.quarantineLogged) {
      h.quarantineLogged = true;
      LOG.warn("region-router: node '{}' quarantined: its PostgreSQL system identifier is {} but region '{}''s is "
          + "{}; it gets no connections. Its URL points at another cluster: fix the node's jdbcUrl",
          h.node.name, Long.toUnsignedString(h.systemId), h.node.region,
          Long.toUnsignedString(regionSystemId[h.node.regionIndex]));
    } else if (!quarantined && h.quarantineLogged && h.systemId != 0) {
      h.quarantineLogged = false;
      LOG.info("region-router: node '{}' is no longer quarantined: its system identifier now matches region '{}'",
          h.node.name, h.node.region);
    }
  }

  /**
   * Rule 8: all nodes of a region share one system identifier. The region's identifier is learned once, from
   * its configured primary when it answers, else from the identifier most of its nodes report, and kept.
   */
  private void checkIdentity() {
    for (int r = 0; r < regionCount; r++) {
      if (regionSystemId[r] != 0) {
        continue;
      }
      Map<Long, Integer> votes = new HashMap<>();
      for (NodeHealth h : health) {
        if (h.node.regionIndex == r && h.systemId != 0) {
          if (h.node.configuredRole == NodeRole.PRIMARY) {
            votes.put(h.systemId, Integer.MAX_VALUE);
          } else {
            votes.merge(h.systemId, 1, (a, b) -> a == Integer.MAX_VALUE ? a : a + b);
          }
        }
      }
      int region = r;
      votes.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(e -> {
        regionSystemId[region] = e.getKey();
        LOG.info("region-router: region '{}' is PostgreSQL system {}", regions(region), Long.toUnsignedString(e.getKey()));
      });
    }
  }

  private String regions(int region) {
    for (Node n : nodes) {
      if (n.regionIndex == region) {
        return n.region;
      }
    }
    return "?";
  }

  private boolean quarantined(NodeHealth h) {
    long expected = regionSystemId[h.node.regionIndex];
    boolean q = h.systemId != 0 && expected != 0 && h.systemId != expected;
    return q;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdownNow();
    kicker.shutdownNow();
    for (int i = 0; i < nodes.length; i++) {
      pollers[i].shutdownNow();
      probes[i].abort();
      abortKickProbes(i);
    }
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
      for (ExecutorService poller : pollers) {
        poller.awaitTermination(2, TimeUnit.SECONDS);
      }
      kicker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (NodeProbe probe : probes) {
      probe.abort(); // a poll that finished during shutdown may have opened a new connection
    }
    for (int i = 0; i < nodes.length; i++) {
      abortKickProbes(i);
    }
  }

  /** Drops every kick connection of node {@code i}, those in use too (their polls fail at once). */
  private void abortKickProbes(int i) {
    for (NodeProbe probe : kickProbes[i]) {
      probe.abort();
    }
  }

  private static ThreadFactory daemon(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    };
  }
}
