package io.github.regionrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy on its own, in front of an in-JVM echo server. */
class LatencyProxyTest {

  private EchoServer echo;
  private LatencyProxy proxy;

  @BeforeEach
  void startEchoServer() throws IOException {
    echo = new EchoServer();
  }

  @AfterEach
  void stopEverything() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    echo.close();
  }

  @Test
  void delay_isAddedInEachDirection_soARoundTripTakesTwice() throws Exception {
    proxy = LatencyProxy.start("127.0.0.1", echo.port(), Duration.ofMillis(40));

    try (Socket socket = connect()) {
      assertThat(medianRoundTripMillis(socket)).isBetween(80L, 80L + 150L);

      proxy.delay(Duration.ZERO);

      assertThat(proxy.delay()).isEqualTo(Duration.ZERO);
      assertThat(medianRoundTripMillis(socket)).isLessThan(40L);
    }
  }

  @Test
  void delay_doesNotThrottleThroughput() throws Exception {
    proxy = LatencyProxy.start("127.0.0.1", echo.port(), Duration.ofMillis(40));
    byte[] payload = new byte[4 * 1024 * 1024];

    try (Socket socket = connect()) {
      long started = System.nanoTime();
      Thread writer = new Thread(() -> {
        try {
          socket.getOutputStream().write(payload);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      writer.start();
      socket.getInputStream().readNBytes(payload.length);
      writer.join();

      // 4 MiB in 16 KiB chunks would take > 20 s if each chunk waited out the delay on its own.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void cut_resetsOpenConnectionsAndNewOnes_andRestoreForwardsAgain() throws Exception {
    proxy = LatencyProxy.start("127.0.0.1", echo.port(), Duration.ZERO);
    try (Socket open = connect()) {
      assertThat(roundTrip(open)).isTrue();

      proxy.cut();

      assertThatThrownBy(() -> roundTrip(open)).isInstanceOf(IOException.class);
      try (Socket fresh = connect()) {
        assertThatThrownBy(() -> roundTrip(fresh)).isInstanceOf(IOException.class);
      }
    }

    proxy.restore();

    try (Socket again = connect()) {
      assertThat(roundTrip(again)).isTrue();
    }
  }

  @Test
  void blackhole_holdsEveryByte_untilRestoreDeliversIt() throws Exception {
    proxy = LatencyProxy.start("127.0.0.1", echo.port(), Duration.ZERO);
    try (Socket open = connect(); Socket fresh = connect()) {
      assertThat(roundTrip(open)).isTrue();

      proxy.blackhole();

      open.setSoTimeout(500);
      open.getOutputStream().write('x');
      assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      fresh.setSoTimeout(500);
      fresh.getOutputStream().write('y');
      assertThatThrownBy(() -> fresh.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

      proxy.restore();

      open.setSoTimeout(5000);
      fresh.setSoTimeout(5000);
      assertThat(open.getInputStream().read()).isEqualTo('x');
      assertThat(fresh.getInputStream().read()).isEqualTo('y');
    }
  }

  @Test
  void stoppedTarget_resetsTheClientAtOnce() throws Exception {
    // The target: a port held by a bound socket that does not listen. Connecting to it is refused, and no other
    // server can take it meanwhile; a closed server's port could be bound again by any test's server on this
    // machine before the proxy connects (a suspected cause of this test's one failure under load, 2026-12-01).
    try (Socket holder = new Socket()) {
      holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      proxy = LatencyProxy.start("127.0.0.1", holder.getLocalPort(), Duration.ZERO);

      try (Socket socket = connect()) {
        long started = System.nanoTime();
        // The reset may already hit the write, or only the read: either way the client learns at once.
        assertThatThrownBy(() -> roundTrip(socket)).isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void close_endsEveryProxyThread_andFreesThePort() throws Exception {
    proxy = LatencyProxy.start("127.0.0.1", echo.port(), Duration.ofMillis(5));
    String prefix = "region-router-proxy-" + proxy.port();
    try (Socket a = connect(); Socket b = connect()) {
      assertThat(roundTrip(a)).isTrue();
      assertThat(roundTrip(b)).isTrue();
      assertThat(threadsNamed(prefix)).isNotEmpty().allMatch(Thread::isDaemon);

      proxy.close();

      Awaits.await("proxy threads to end", Duration.ofSeconds(5), () -> threadsNamed(prefix).isEmpty());
      assertThat(proxy.openConnections()).isZero();
    }
    assertThatThrownBy(this::connect).isInstanceOf(IOException.class);
  }

  @Test
  void start_rejectsBadArguments_namingThem() {
    assertThatThrownBy(() -> LatencyProxy.start("127.0.0.1", 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("targetPort must be in 1..65535, was 0");
    assertThatThrownBy(() -> LatencyProxy.start("127.0.0.1", 5432, Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative, was -5 ms");
    assertThatThrownBy(() -> LatencyProxy.start(null, 5432, Duration.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("targetHost");
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(proxy.host(), proxy.port());
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(5000);
    return socket;
  }

  private static boolean roundTrip(Socket socket) throws IOException {
    socket.getOutputStream().write('p');
    socket.getOutputStream().flush();
    int answer = socket.getInputStream().read();
    if (answer < 0) {
      throw new IOException("end of stream");
    }
    return answer == 'p';
  }

  private static long medianRoundTripMillis(Socket socket) throws IOException {
    roundTrip(socket); // warm-up
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      long started = System.nanoTime();
      roundTrip(socket);
      samples.add((System.nanoTime() - started) / 1_000_000);
    }
    samples.sort(null);
    return samples.get(samples.size() / 2);
  }

  private static List<Thread> threadsNamed(String prefix) {
    List<Thread> threads = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith(prefix) && thread.isAlive()) {
        threads.add(thread);
      }
    }
    return threads;
  }

  /** Echoes every byte back, one thread per connection. */
  private static final class EchoServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final List<Socket> accepted = new ArrayList<>();

    EchoServer() throws IOException {
      Thread acceptor = new Thread(this::acceptLoop, "echo-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void acceptLoop() {
      try {
        while (true) {
          Socket socket = server.accept();
          socket.setTcpNoDelay(true);
          synchronized (accepted) {
            accepted.add(socket);
          }
          Thread pump = new Thread(() -> echo(socket), "echo-pump");
          pump.setDaemon(true);
          pump.start();
        }
      } catch (IOException closed) {
        // server closed
      }
    }

    private static void echo(Socket socket) {
      try (InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // connection gone
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (accepted) {
        for (Socket socket : accepted) {
          socket.close();
        }
      }
    }
  }
}
