package io.github.regionrouter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One client connection through a {@link LatencyProxy} and its upstream connection to the target.
 *
 * <p>Per direction a reader stamps each chunk it receives with the time it is due ({@code arrival + delay}) and
 * queues it; a writer sends chunks in order when due. The delay thus shifts the stream in time without limiting
 * its throughput. End of stream travels the same way and becomes a half-close on the other side.
 *
 * <p>The upstream connection is opened by a setup thread that first waits out a black hole, so a connection made
 * during a black hole sees nothing, not even a refusal by a stopped target.
 *
 * <p>Thread-safe: {@link #close(boolean)} may be called from any thread, any number of times.
 */
final class ProxiedConnection {

  private static final int CHUNK = 16 * 1024;
  private static final int QUEUED_CHUNKS = 256;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final LatencyProxy proxy;
  private final Socket client;
  private final String name;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger finishedDirections = new AtomicInteger();
  private volatile Socket upstream;
  /** Whether the client has sent a request that the server has not started answering yet. */
  private volatile boolean requestOpen;

  ProxiedConnection(LatencyProxy proxy, Socket client, int id) {
    this.proxy = proxy;
    this.client = client;
    this.name = proxy.threadPrefix() + "-" + id;
  }

  void start() {
    spawn(name + "-setup", this::setUp);
  }

  private void setUp() {
    try {
      if (!proxy.awaitForwarding()) {
        close(true);
        return;
      }
      Socket socket = new Socket();
      upstream = socket;
      socket.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(proxy.targetHost(), proxy.targetPort()), CONNECT_TIMEOUT_MILLIS);
      if (closed.get()) {
        reset(socket);
        return;
      }
      pump("c2s", client, socket);
      pump("s2c", socket, client);
    } catch (IOException e) {
      close(true); // target down: the client sees its connection reset at once, as with a refused connect
    } catch (InterruptedException e) {
      close(true);
    }
  }

  private void pump(String direction, Socket from, Socket to) throws IOException {
    BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    boolean fromClient = "c2s".equals(direction);
    spawn(name + "-" + direction + "-read", () -> read(in, queue, fromClient));
    spawn(name + "-" + direction + "-write", () -> write(queue, out, to));
  }

  private void read(InputStream in, BlockingQueue<Chunk> queue, boolean fromClient) {
    byte[] buffer = new byte[CHUNK];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n > 0) {
          // A round trip is a turn of the conversation: client bytes after the server's last answer. Counting
          // turns, not chunks, keeps a request that TCP split in two (or pipelined messages) at one.
          if (fromClient && !requestOpen) {
            requestOpen = true;
            proxy.countRoundTrip();
          } else if (!fromClient) {
            requestOpen = false;
          }
          queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + proxy.delayNanos()));
        }
      }
      queue.put(new Chunk(null, System.nanoTime() + proxy.delayNanos()));
    } catch (IOException | InterruptedException e) {
      close(false);
    }
  }

  private void write(BlockingQueue<Chunk> queue, OutputStream out, Socket to) {
    try {
      while (true) {
        Chunk chunk = queue.take();
        sleepUntil(chunk.dueNanos);
        if (!proxy.awaitForwarding()) {
          close(true);
          return;
        }
        if (chunk.bytes == null) {
          to.shutdownOutput();
          if (finishedDirections.incrementAndGet() == 2) {
            close(false);
          }
          return;
        }
        out.write(chunk.bytes);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      close(false);
    }
  }

  private static void sleepUntil(long dueNanos) throws InterruptedException {
    long wait;
    while ((wait = dueNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /**
   * Closes both sockets and ends the threads.
   *
   * @param reset send RST instead of FIN, so that the peers fail at once ("connection reset")
   */
  void close(boolean reset) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    proxy.forget(this);
    if (reset) {
      reset(client);
      reset(upstream);
    } else {
      closeQuietly(client);
      closeQuietly(upstream);
    }
    Thread self = Thread.currentThread();
    threads.stream().filter(t -> t != self).forEach(Thread::interrupt);
  }

  /** Closes with {@code SO_LINGER 0}: the kernel sends RST instead of FIN. */
  static void reset(Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // not connected any more: closing is all that is left
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  private void spawn(String threadName, Runnable body) {
    Thread thread = new Thread(body, threadName);
    thread.setDaemon(true);
    threads.add(thread);
    if (closed.get()) {
      return;
    }
    thread.start();
  }

  /** Bytes and when to send them; {@code bytes == null} marks the end of the stream. */
  private static final class Chunk {
    final byte[] bytes;
    final long dueNanos;

    Chunk(byte[] bytes, long dueNanos) {
      this.bytes = bytes;
      this.dueNanos = dueNanos;
    }
  }
}
