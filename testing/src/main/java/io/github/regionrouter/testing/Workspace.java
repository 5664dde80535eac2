package io.github.regionrouter.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary directory of one topology ({@code <base>/region-router-topology-*}) and the guards that make sure
 * neither it nor its servers outlive the JVM.
 *
 * <p>The base is the directory named by {@value #BASE_PROPERTY} (or {@value #BASE_ENV}), else {@code /dev/shm} when it
 * has room (at least 2 GiB free), else {@code java.io.tmpdir}. Why memory first: creating the ~1000 files of a
 * cluster dominates start-up on a disk file system; on tmpfs {@code initdb} takes about half the time and copying a
 * data directory for a replica 40 ms instead of 600 ms (measured on a 2-core CI machine). The 2 GiB floor keeps
 * Docker's default 64 MB {@code /dev/shm} out.
 *
 * <p>Three guards, from the common case to the worst one: {@link PostgresTopology#close()} (called by the test, or
 * by the topology's shutdown hook on a normal JVM exit); a watchdog shell started per topology, which waits on a
 * pipe from this JVM and, when the pipe breaks without a goodbye because the JVM was killed ({@code kill -9}, an
 * OOM killer, a CI timeout), stops the servers and deletes the directory; and the {@value #OWNER_FILE} file, which
 * lets the {@link LeftoverSweeper} of a later JVM clean up whatever the first two missed.
 *
 * <p>Thread-safe: {@link #close()} is synchronized; the rest is immutable.
 */
final class Workspace {

  /** Name prefix of topology directories. */
  static final String PREFIX = "region-router-topology-";
  /** System property naming the directory in which topology directories are created. */
  static final String BASE_PROPERTY = "regionrouter.topology.dir";
  /** Environment variable naming the directory in which topology directories are created. */
  static final String BASE_ENV = "REGIONROUTER_TOPOLOGY_DIR";

  private static final Path SHM = Path.of("/dev/shm");
  private static final long SHM_MIN_FREE_BYTES = 2L << 30;
  /** The file naming the JVM that owns a topology directory: {@code <pid> <start time in epoch millis>}. */
  static final String OWNER_FILE = "owner.pid";

  private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);

  /**
   * The watchdog: blocks on standard input; on "closed" it exits, on end of input (the JVM died) it resumes and
   * stops every postmaster of the directory (and its children, which may be frozen), then deletes the directory.
   */
  private static final String WATCHDOG_SCRIPT = String.join("\n",
      "root=$1",
      "IFS= read -r line",
      "[ \"$line\" = closed ] && exit 0",
      "children() { ps -A -o pid= -o ppid= 2>/dev/null | awk -v p=\"$1\" '$2 == p { print $1 }'; }",
      "pids=''",
      "for f in \"$root\"/*/data/postmaster.pid; do",
      "  [ -f \"$f\" ] || continue",
      "  pid=$(head -n 1 \"$f\")",
      "  case \"$pid\" in ''|*[!0-9]*) continue ;; esac",
      "  if [ -r \"/proc/$pid/cmdline\" ]; then",
      "    tr '\\000' ' ' < \"/proc/$pid/cmdline\" | grep -qF -- \"${f%/postmaster.pid}\" || continue",
      "  fi",
      "  pids=\"$pids $pid\"",
      "done",
      "for pid in $pids; do kill -QUIT \"$pid\" 2>/dev/null; kill -CONT \"$pid\" $(children \"$pid\") 2>/dev/null; done",
      "alive=$pids",
      "i=0",
      "while [ -n \"$alive\" ] && [ $i -lt 100 ]; do",
      "  sleep 0.1; i=$((i + 1)); next=''",
      "  for pid in $alive; do kill -0 \"$pid\" 2>/dev/null && next=\"$next $pid\"; done",
      "  alive=$next",
      "done",
      "for pid in $alive; do kill -KILL \"$pid\" $(children \"$pid\") 2>/dev/null; done",
      "rm -rf \"$root\"",
      "");

  private final Path root;
  private final Process watchdog;
  private boolean closed;

  private Workspace(Path root, Process watchdog) {
    this.root = root;
    this.watchdog = watchdog;
  }

  /** Creates the directory, records this JVM as its owner, and starts the watchdog. */
  static Workspace create(ProcessRunner runner) {
    Path tmp = baseDirectory();
    Path root;
    try {
      root = Files.createTempDirectory(tmp, PREFIX);
      ProcessHandle self = ProcessHandle.current();
      long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      Files.writeString(root.resolve(OWNER_FILE), self.pid() + " " + started + "\n", StandardCharsets.US_ASCII);
      // createTempDirectory makes 0700: the server user must be able to traverse to its node directory.
      PostgresBinaries.setPermissions(root, 0755);
    } catch (IOException e) {
      throw new TopologyException("cannot create the topology directory in " + tmp + ": " + e, e);
    }
    if (runner.switchesUser()) {
      checkTraversable(root);
    }
    return new Workspace(root, startWatchdog(root));
  }

  private static Process startWatchdog(Path root) {
    if (!Files.isExecutable(Path.of("/bin/sh"))) {
      return null; // no POSIX shell: the shutdown hook and the sweep of the next run remain
    }
    try {
      return new ProcessBuilder("/bin/sh", "-c", WATCHDOG_SCRIPT, "region-router-watchdog", root.toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      LOG.warn("No watchdog for {} ({}); servers survive a killed JVM until the next run sweeps them", root, e);
      return null;
    }
  }

  /** Fails early, with the fix, when the server user cannot reach {@code dir} through its parents. */
  private static void checkTraversable(Path dir) {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      try {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        if (mode.charAt(8) != 'x' && mode.charAt(8) != 't') {
          throw new TopologyException("the servers run as user '" + ProcessRunner.SERVER_USER + "' (the JVM is root),"
              + " who cannot enter " + p + " (mode " + mode + "); run with -D" + BASE_PROPERTY + " set to a"
              + " directory every user can reach, such as /tmp");
        }
      } catch (IOException | UnsupportedOperationException e) {
        return; // cannot tell; initdb will say what is wrong
      }
    }
  }

  /** Where new topology directories go; see the class documentation. */
  static Path baseDirectory() {
    Optional<Path> configured = configuredBase();
    if (configured.isPresent()) {
      return configured.get();
    }
    try {
      if (Files.isDirectory(SHM) && Files.isWritable(SHM)
          && Files.getFileStore(SHM).getUsableSpace() >= SHM_MIN_FREE_BYTES) {
        return SHM;
      }
    } catch (IOException e) {
      // no usable /dev/shm
    }
    return tmpdir();
  }

  /** Every directory a topology directory of this or an earlier JVM may be in, for the leftover sweep. */
  static Set<Path> possibleBaseDirectories() {
    Set<Path> bases = new LinkedHashSet<>();
    configuredBase().ifPresent(bases::add);
    if (Files.isDirectory(SHM)) {
      bases.add(SHM);
    }
    bases.add(tmpdir());
    return bases;
  }

  private static Optional<Path> configuredBase() {
    String configured = System.getProperty(BASE_PROPERTY, System.getenv(BASE_ENV));
    return configured == null || configured.isBlank() ? Optional.empty()
        : Optional.of(Path.of(configured).toAbsolutePath());
  }

  private static Path tmpdir() {
    return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
  }

  /** The topology directory. */
  Path root() {
    return root;
  }

  /** Deletes the directory and dismisses the watchdog; idempotent. */
  synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      FileTrees.delete(root);
    } finally {
      dismissWatchdog();
    }
  }

  private void dismissWatchdog() {
    if (watchdog == null) {
      return;
    }
    try (OutputStream in = watchdog.getOutputStream()) {
      in.write("closed\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // the watchdog is gone already
    }
    try {
      if (!watchdog.waitFor(5, TimeUnit.SECONDS)) {
        watchdog.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      watchdog.destroyForcibly();
    }
  }

  /** The owner recorded in a topology directory, if readable. */
  static Optional<Owner> owner(Path dir) {
    try {
      String[] parts = Files.readString(dir.resolve(OWNER_FILE), StandardCharsets.US_ASCII).trim().split("\\s+");
      return Optional.of(new Owner(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0L));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A JVM, identified by pid and start time (the pid alone may have been reused since). */
  static final class Owner {
    private final long pid;
    private final long startEpochMillis;

    Owner(long pid, long startEpochMillis) {
      this.pid = pid;
      this.startEpochMillis = startEpochMillis;
    }

    long pid() {
      return pid;
    }

    boolean isAlive() {
      Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (handle.isEmpty()) {
        return false;
      }
      Optional<Instant> started = handle.get().info().startInstant();
      if (startEpochMillis == 0 || started.isEmpty()) {
        return true; // cannot tell a reused pid apart: assume alive, never delete a live JVM's servers
      }
      return Math.abs(started.get().toEpochMilli() - startEpochMillis) < Duration.ofSeconds(2).toMillis();
    }
  }
}
