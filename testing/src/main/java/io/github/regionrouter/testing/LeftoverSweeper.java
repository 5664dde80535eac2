package io.github.regionrouter.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what earlier JVMs left behind when they died before cleaning up and their watchdog could not help
 * either: topology directories whose owner JVM is gone (their servers are stopped first) and half-extracted
 * binaries.
 *
 * <p>A directory whose owner is alive is never touched: other modules' tests may be running in parallel JVMs.
 *
 * <p>Thread-safe.
 */
final class LeftoverSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweeper.class);
  /** A directory without an owner file may be being created right now; only older ones are leftovers. */
  private static final Duration OWNERLESS_GRACE = Duration.ofMinutes(1);
  private static final Duration STAGING_GRACE = Duration.ofHours(1);
  private static final AtomicBoolean SWEPT = new AtomicBoolean();

  private LeftoverSweeper() {
  }

  /**
   * Sweeps every {@linkplain Workspace#possibleBaseDirectories() base directory} once per JVM; never fails (a failed
   * sweep must not fail a test).
   */
  static void sweepOnce(ProcessRunner runner) {
    if (SWEPT.compareAndSet(false, true)) {
      for (Path base : Workspace.possibleBaseDirectories()) {
        try {
          sweep(runner, base);
        } catch (RuntimeException e) {
          LOG.warn("Sweeping leftovers of earlier runs in {} failed: {}", base, e.toString());
        }
      }
    }
  }

  /**
   * Removes every dead JVM's topology directory under {@code tmp}, stopping its servers first.
   *
   * @return the directories removed
   */
  static List<Path> sweep(ProcessRunner runner, Path tmp) {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, Workspace.PREFIX + "*")) {
      for (Path dir : dirs) {
        if (isLeftover(dir) && remove(runner, dir)) {
          removed.add(dir);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list {} for leftover topologies: {}", tmp, e.toString());
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PostgresBinaries.CACHE_PREFIX + "*.tmp-*")) {
      for (Path dir : dirs) {
        if (olderThan(dir, STAGING_GRACE)) {
          FileTrees.deleteQuietly(dir);
        }
      }
    } catch (IOException e) {
      LOG.debug("Cannot list {} for half-extracted binaries: {}", tmp, e.toString());
    }
    return removed;
  }

  private static boolean isLeftover(Path dir) {
    Optional<Workspace.Owner> owner = Workspace.owner(dir);
    return owner.isPresent() ? !owner.get().isAlive() : olderThan(dir, OWNERLESS_GRACE);
  }

  private static boolean remove(ProcessRunner runner, Path dir) {
    List<Long> postmasters = new ArrayList<>();
    try (DirectoryStream<Path> nodes = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path node : nodes) {
        Postmaster.pid(node.resolve("data")).ifPresent(postmasters::add);
      }
    } catch (IOException e) {
      LOG.warn("Cannot list leftover topology {}: {}", dir, e.toString());
      return false;
    }
    if (!Postmaster.terminate(runner, postmasters, Duration.ofSeconds(10))) {
      LOG.warn("Leftover topology {}: servers {} did not exit; leaving the directory", dir, postmasters);
      return false;
    }
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      LOG.warn("Cannot delete leftover topology {}: {}", dir, e.toString());
      return false;
    }
    LOG.info("Removed leftover topology {} of a JVM that is gone (stopped {} PostgreSQL servers)", dir,
        postmasters.size());
    return true;
  }

  private static boolean olderThan(Path path, Duration age) {
    try {
      return Files.getLastModifiedTime(path).toInstant().isBefore(Instant.now().minus(age));
    } catch (IOException e) {
      return false;
    }
  }
}
