package io.github.regionrouter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Finding and signalling the processes of one server: the postmaster named in {@code postmaster.pid} and its
 * children (checkpointer, walwriter, walreceiver, one backend per connection...).
 *
 * <p>Every postmaster child calls {@code setsid()}, so process-group signals do not reach them; they are found
 * through their parent pid ({@link ProcessHandle#descendants()}, which reads {@code /proc} on Linux). Signals are
 * sent with the {@code kill} program: Java can only send TERM and KILL. As root it can signal the servers of the
 * unprivileged server user.
 *
 * <p>Stateless and thread-safe.
 */
final class Postmaster {

  private Postmaster() {
  }

  /**
   * The pid of the live postmaster of {@code dataDir}: the first line of {@code postmaster.pid}, when that process
   * is alive and (where {@code /proc} can tell) its command line names this data directory, so that a stale pid
   * file whose pid was reused by an unrelated process is never signalled.
   */
  static OptionalLong pid(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    long pid;
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      if (lines.isEmpty() || lines.get(0).isBlank()) {
        return OptionalLong.empty(); // being written right now by a starting server
      }
      pid = Long.parseLong(lines.get(0).trim());
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    if (!isAlive(pid)) {
      return OptionalLong.empty();
    }
    Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
    if (Files.exists(cmdline)) {
      try {
        String command = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        if (!command.contains(dataDir.toString())) {
          return OptionalLong.empty();
        }
      } catch (IOException e) {
        return OptionalLong.empty(); // exited meanwhile
      }
    }
    return OptionalLong.of(pid);
  }

  /**
   * Whether the process exists and is not a zombie. Servers started by {@code pg_ctl} are re-parented to pid 1;
   * until an init process reaps them, exited servers linger as zombies, which can no longer hold a port or a file.
   */
  static boolean isAlive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return true; // no /proc (macOS): trust ProcessHandle
    }
    try {
      String line = Files.readString(stat, StandardCharsets.UTF_8);
      int endOfName = line.lastIndexOf(')');
      return endOfName < 0 || endOfName + 2 >= line.length() || line.charAt(endOfName + 2) != 'Z';
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  /** The postmaster first, then every live descendant. */
  static List<Long> withDescendants(long pid) {
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
    return pids;
  }

  /**
   * Sends {@code signal} (a name such as {@code STOP}) to the given processes. Processes that exited meanwhile are
   * not an error ({@code kill} reports "No such process" for them and signals the others); any other complaint,
   * such as a permission error, is.
   *
   * @throws TopologyException if {@code kill} fails for another reason than processes that are gone
   */
  static void signal(ProcessRunner runner, String signal, List<Long> pids) {
    if (pids.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    command.addAll(pids.stream().map(String::valueOf).collect(Collectors.toList()));
    ProcessRunner.Result result = runner.runAsJvmUser("kill -" + signal, Duration.ofSeconds(10), command);
    if (result.exitCode() != 0 && !result.output().lines().allMatch(line -> line.contains("No such process"))) {
      result.orThrow("sending SIG" + signal + " to " + pids);
    }
  }

  /**
   * Makes sure none of the given postmasters nor their children survive: resumes them (a stopped process cannot
   * act on a signal), asks for immediate shutdown ({@code SIGQUIT}), waits up to {@code grace}, then kills what is
   * left with {@code SIGKILL}.
   *
   * @return whether every process was gone before the deadline (after {@code SIGKILL} at the latest)
   */
  static boolean terminate(ProcessRunner runner, List<Long> postmasters, Duration grace) {
    if (postmasters.isEmpty()) {
      return true;
    }
    List<Long> all = new ArrayList<>();
    postmasters.forEach(pid -> all.addAll(withDescendants(pid)));
    signal(runner, "QUIT", postmasters);
    signal(runner, "CONT", all);
    if (awaitExit(all, grace)) {
      return true;
    }
    List<Long> survivors = new ArrayList<>();
    postmasters.forEach(pid -> survivors.addAll(withDescendants(pid)));
    all.stream().filter(Postmaster::isAlive).filter(pid -> !survivors.contains(pid)).forEach(survivors::add);
    signal(runner, "KILL", survivors);
    return awaitExit(survivors, Duration.ofSeconds(5));
  }

  /** Polls until none of the processes is alive; {@code false} on timeout. */
  static boolean awaitExit(List<Long> pids, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pids.stream().anyMatch(Postmaster::isAlive)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
