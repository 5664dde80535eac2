package io.github.regionrouter.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks free TCP ports on 127.0.0.1 for the servers.
 *
 * <p>Ports are taken below the kernel's ephemeral range where it is known ({@code ip_local_port_range} on Linux):
 * the kernel hands ephemeral ports to outgoing connections, and a server that is stopped and restarted by a test
 * must find its port still free. Inside the ephemeral range any client connection of the test could have taken it
 * meanwhile. Every pick is checked by binding it, like PostgreSQL does (with {@code SO_REUSEADDR}); a port taken
 * between the check and the server's own bind is handled by the caller, which retries with a new port.
 *
 * <p>Stateless and thread-safe.
 */
final class Ports {

  private static final int LOWEST = 15000;

  private Ports() {
  }

  /** A port that was free a moment ago. */
  static int pick() {
    int ephemeralLow = ephemeralRangeStart();
    if (ephemeralLow - LOWEST >= 1000) {
      for (int attempt = 0; attempt < 50; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralLow);
        if (isFree(port)) {
          return port;
        }
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(PgNode.HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new TopologyException("no free TCP port on " + PgNode.HOST + ": " + e, e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(PgNode.HOST), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralRangeStart() {
    try {
      // Read by line: a whole-file read of a sysctl file returns only its first byte on some kernels.
      try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"),
          StandardCharsets.US_ASCII)) {
        String range = reader.readLine();
        return range == null ? 0 : Integer.parseInt(range.trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      return 0; // unknown: fall back to a kernel-chosen port
    }
  }
}
