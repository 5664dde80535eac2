package io.github.regionrouter.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on {@code 127.0.0.1} that simulates the network between a location and a server: a one-way delay
 * in each direction, and link faults.
 *
 * <ul>
 *   <li>{@link #delay(Duration)}: every chunk of bytes is forwarded {@code oneWay} after it arrived, in each
 *       direction, so a request/response round trip takes {@code 2 × oneWay} more. Chunks are stamped on arrival
 *       and sent when due by a separate writer, so the delay does not throttle throughput. The TCP handshake
 *       with the proxy itself is not delayed.</li>
 *   <li>{@link #cut()}: every open connection is reset (RST) on both sides, and new connections are accepted and
 *       reset at once, until {@link #restore()}. Clients fail fast, as when a link or host is down. (The port stays
 *       bound, so that {@code restore()} can never find it taken.)</li>
 *   <li>{@link #blackhole()}: connections stay open and new ones are accepted, but no byte is forwarded; clients
 *       hang until their own timeouts, as behind a partition that drops packets or in front of a frozen host.
 *       Bytes sent meanwhile are held, like TCP retransmits them, and delivered after {@link #restore()}.</li>
 * </ul>
 *
 * <p>Each connection uses daemon threads named {@code region-router-proxy-<port>-*}; {@link #close()} ends them.
 *
 * <p>Thread-safe: all methods may be called from any thread, also while traffic flows.
 */
public final class LatencyProxy implements AutoCloseable {

  /** What the proxy does with traffic. */
  enum Mode { FORWARD, CUT, BLACKHOLE }

  private static final Logger LOG = LoggerFactory.getLogger(LatencyProxy.class);

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final String threadPrefix;
  private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connectionIds = new AtomicInteger();
  private final java.util.concurrent.atomic.LongAdder roundTrips = new java.util.concurrent.atomic.LongAdder();
  private final Object modeLock = new Object();
  private volatile Mode mode = Mode.FORWARD;
  private volatile long delayNanos;
  private volatile boolean closed;

  private LatencyProxy(String targetHost, int targetPort, Duration delay, ServerSocket server) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = server;
    this.delayNanos = delay.toNanos();
    this.threadPrefix = "region-router-proxy-" + server.getLocalPort();
  }

  /**
   * Starts a proxy on an ephemeral port of {@code 127.0.0.1} that forwards to {@code targetHost:targetPort}.
   *
   * @param targetHost the host to forward to, e.g. {@code 127.0.0.1}
   * @param targetPort the port to forward to
   * @param delay the one-way delay added in each direction; {@link Duration#ZERO} for none
   * @return the started proxy; the caller closes it
   * @throws NullPointerException if {@code targetHost} or {@code delay} is null
   * @throws IllegalArgumentException if {@code targetPort} is not in 1..65535 or {@code delay} is negative
   * @throws TopologyException if no local port can be bound
   */
  public static LatencyProxy start(String targetHost, int targetPort, Duration delay) {
    Objects.requireNonNull(targetHost, "targetHost");
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort must be in 1..65535, was " + targetPort);
    }
    checkDelay(delay);
    ServerSocket server;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(PgNode.HOST), 0), 128);
    } catch (IOException e) {
      throw new TopologyException("cannot open a proxy port on " + PgNode.HOST + " for " + targetHost + ":"
          + targetPort + ": " + e, e);
    }
    LatencyProxy proxy = new LatencyProxy(targetHost, targetPort, delay, server);
    Thread acceptor = new Thread(proxy::acceptLoop, proxy.threadPrefix + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.debug("Proxy {}:{} -> {}:{} started with {} ms one-way delay", PgNode.HOST, proxy.port(), targetHost,
        targetPort, delay.toMillis());
    return proxy;
  }

  /**
   * The address the proxy listens on.
   *
   * @return always {@code 127.0.0.1}
   */
  public String host() {
    return PgNode.HOST;
  }

  /**
   * The port the proxy listens on; connect here instead of to the target.
   *
   * @return the ephemeral port chosen at start
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * The one-way delay currently added in each direction.
   *
   * @return the delay, {@link Duration#ZERO} for none
   */
  public Duration delay() {
    return Duration.ofNanos(delayNanos);
  }

  /**
   * Sets the one-way delay added in each direction. Applies to bytes arriving from now on; bytes already in
   * flight keep their schedule, and order is always kept.
   *
   * @param oneWay the delay to add in each direction; {@link Duration#ZERO} for none
   * @throws NullPointerException if {@code oneWay} is null
   * @throws IllegalArgumentException if {@code oneWay} is negative
   */
  public void delay(Duration oneWay) {
    checkDelay(oneWay);
    delayNanos = oneWay.toNanos();
  }

  /**
   * Round trips the proxy has carried so far, over all its connections: each time a client sends bytes after
   * the server's last answer (or first) counts one. Benchmarks and tests read it before and after an operation
   * to count that operation's round trips (other clients of the same proxy, e.g. a monitor, count too).
   *
   * @return the number of client request turns forwarded since the proxy started
   */
  public long roundTrips() {
    return roundTrips.sum();
  }

  void countRoundTrip() {
    roundTrips.increment();
  }

  /** Resets every open connection (both sides) and resets new ones at once, until {@link #restore()}. */
  public void cut() {
    setMode(Mode.CUT);
    for (ProxiedConnection connection : new ArrayList<>(connections)) {
      connection.close(true);
    }
  }

  /** Stops forwarding any byte, in both directions, while keeping and accepting connections; see the class doc. */
  public void blackhole() {
    setMode(Mode.BLACKHOLE);
  }

  /** Forwards normally again, with the configured delay; held bytes of a black hole are delivered now. */
  public void restore() {
    setMode(Mode.FORWARD);
  }

  /** Stops accepting, closes every connection and ends every thread of the proxy. Idempotent. */
  @Override
  public void close() {
    closed = true;
    synchronized (modeLock) {
      modeLock.notifyAll();
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("Closing proxy port {} failed: {}", port(), e.toString());
    }
    for (ProxiedConnection connection : new ArrayList<>(connections)) {
      connection.close(false);
    }
  }

  @Override
  public String toString() {
    return "LatencyProxy[" + PgNode.HOST + ":" + port() + " -> " + targetHost + ":" + targetPort + ", delay "
        + delay().toMillis() + " ms, " + (closed ? "closed" : mode.name().toLowerCase(Locale.ROOT)) + "]";
  }

  /** The number of connections currently open through the proxy. */
  int openConnections() {
    return connections.size();
  }

  String targetHost() {
    return targetHost;
  }

  int targetPort() {
    return targetPort;
  }

  long delayNanos() {
    return delayNanos;
  }

  String threadPrefix() {
    return threadPrefix;
  }

  /**
   * Blocks while the proxy is a black hole.
   *
   * @return {@code true} to forward, {@code false} when the link is cut or the proxy closed
   */
  boolean awaitForwarding() throws InterruptedException {
    synchronized (modeLock) {
      while (mode == Mode.BLACKHOLE && !closed) {
        modeLock.wait();
      }
      return mode == Mode.FORWARD && !closed;
    }
  }

  void forget(ProxiedConnection connection) {
    connections.remove(connection);
  }

  private void setMode(Mode next) {
    synchronized (modeLock) {
      mode = next;
      modeLock.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("Proxy port {} stopped accepting: {}", port(), e.toString());
        }
        return;
      }
      if (mode == Mode.CUT || closed) {
        ProxiedConnection.reset(socket);
        continue;
      }
      ProxiedConnection connection = new ProxiedConnection(this, socket, connectionIds.incrementAndGet());
      connections.add(connection);
      if (closed) {
        connection.close(false);
        return;
      }
      connection.start();
    }
  }

  private static void checkDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay.toMillis() + " ms");
    }
  }
}
