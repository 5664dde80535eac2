package io.github.regionrouter.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the servers of a new topology up, as fast as a small machine allows.
 *
 * <p>Per region, in parallel with the other regions: {@code initdb} of the primary (a separate cluster per region,
 * hence a distinct system identifier), the harness settings, a file copy of the never-started primary for each
 * replica (a cleanly shut down cluster is a valid base backup, so no {@code pg_basebackup} is needed, and the
 * replicas share their primary's system identifier), then the primary starts, then its replicas start in parallel.
 * Finally the launcher waits until every replica streams from its primary, so that a test's first write is
 * replicated without a reconnect delay.
 *
 * <p>Not thread-safe; used once, by one thread.
 */
final class TopologyLauncher {

  /** How long replicas may take to start streaming after their servers are up. */
  static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(TopologyLauncher.class);

  private final List<PgServer> servers;
  private final Map<String, String> extraSettings;
  private final ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());

  TopologyLauncher(List<PgServer> servers, Map<String, String> extraSettings) {
    this.servers = servers;
    this.extraSettings = extraSettings;
  }

  void launch() {
    try {
      List<Future<?>> regions = new ArrayList<>();
      for (PgServer primary : servers) {
        if (primary.isPrimary()) {
          regions.add(pool.submit(() -> {
            startRegion(primary, replicasOf(primary));
            return null;
          }));
        }
      }
      awaitAll(regions);
      long streaming = System.nanoTime();
      for (PgServer server : servers) {
        if (!server.isPrimary()) {
          awaitStreaming(server);
        }
      }
      LOG.debug("all replicas streaming {} ms after all servers were up", millisSince(streaming));
    } finally {
      pool.shutdownNow();
    }
  }

  private void startRegion(PgServer primary, List<PgServer> replicas) throws IOException {
    long started = System.nanoTime();
    primary.initdb();
    primary.writeClusterSettings(extraSettings);
    LOG.debug("{}: initdb done after {} ms", primary.name(), millisSince(started));
    for (PgServer replica : replicas) {
      replica.copyClusterFrom(primary);
    }
    LOG.debug("{}: replicas copied after {} ms", primary.name(), millisSince(started));
    primary.firstStart(0);
    LOG.debug("{}: primary up after {} ms", primary.name(), millisSince(started));
    List<Future<?>> starts = new ArrayList<>();
    for (PgServer replica : replicas) {
      starts.add(pool.submit(() -> {
        replica.firstStart(primary.port());
        return null;
      }));
    }
    awaitAll(starts);
    LOG.debug("{}: replicas up after {} ms", primary.name(), millisSince(started));
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private List<PgServer> replicasOf(PgServer primary) {
    List<PgServer> replicas = new ArrayList<>();
    for (PgServer server : servers) {
      if (primary.name().equals(server.primaryName())) {
        replicas.add(server);
      }
    }
    return replicas;
  }

  private void awaitStreaming(PgServer replica) {
    long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
    String status = "no WAL receiver";
    try (Connection connection = replica.connect(Duration.ofSeconds(10));
        Statement statement = connection.createStatement()) {
      while (true) {
        try (ResultSet rs = statement.executeQuery("SELECT status FROM pg_stat_wal_receiver")) {
          status = rs.next() ? rs.getString(1) : "no WAL receiver";
        }
        if ("streaming".equals(status)) {
          return;
        }
        if (System.nanoTime() - deadline > 0) {
          break;
        }
        Thread.sleep(20);
      }
    } catch (SQLException e) {
      throw new TopologyException("replica '" + replica.name() + "' (port " + replica.port()
          + ") is up but cannot be queried: " + e.getMessage() + "\n--- last lines of " + replica.logFile()
          + " ---\n" + replica.logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopologyException("interrupted while waiting for replica '" + replica.name() + "' to stream", e);
    }
    throw new TopologyException("replica '" + replica.name() + "' does not stream from '" + replica.primaryName()
        + "' after " + STREAMING_TIMEOUT.toSeconds() + " s (WAL receiver: " + status + ")\n--- last lines of "
        + replica.logFile() + " ---\n" + replica.logTail());
  }

  /** Waits for every task, even after one failed (nothing may still run when the caller cleans up). */
  private static void awaitAll(List<Future<?>> futures) {
    RuntimeException failure = null;
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof TopologyException ? (TopologyException) e.getCause()
            : new TopologyException("starting the topology failed: " + e.getCause(), e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TopologyException("interrupted while starting the topology", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger ids = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "region-router-topology-start-" + ids.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
