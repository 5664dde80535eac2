package io.github.regionrouter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the external programs of the harness ({@code initdb}, {@code pg_ctl}, {@code kill}, {@code chown}) with a
 * deadline, and switches to an unprivileged user for the PostgreSQL programs when the JVM runs as root.
 *
 * <p>Why the switch: {@code initdb} and {@code postgres} refuse to run as root ("cannot be run as root"), and CI
 * containers run builds as root. The server programs then run as {@value #SERVER_USER} through
 * {@code runuser -u nobody --}, or {@code su nobody -s /bin/sh -c} where util-linux' runuser is missing.
 *
 * <p>Output goes to a temporary file rather than a pipe: {@code pg_ctl start} leaves a daemon behind, and a pipe
 * inherited by a daemon would make "read until end of stream" wait for the server to exit.
 *
 * <p>Instances are immutable and thread-safe.
 */
final class ProcessRunner {

  /** The unprivileged account that runs the servers when the JVM is root. */
  static final String SERVER_USER = "nobody";

  private final boolean root;
  private final List<String> switchUserPrefix;
  private final boolean switchWithSu;

  private ProcessRunner(boolean root, List<String> switchUserPrefix, boolean switchWithSu) {
    this.root = root;
    this.switchUserPrefix = switchUserPrefix;
    this.switchWithSu = switchWithSu;
  }

  /** A runner for this JVM: switching to {@value #SERVER_USER} when the JVM runs as root, not switching otherwise. */
  static ProcessRunner forThisJvm() {
    if (!jvmIsRoot()) {
      return new ProcessRunner(false, List.of(), false);
    }
    for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return new ProcessRunner(true, List.of(candidate, "-u", SERVER_USER, "--"), false);
      }
    }
    return new ProcessRunner(true, List.of("su", SERVER_USER, "-s", "/bin/sh", "-c"), true);
  }

  static boolean jvmIsRoot() {
    if ("root".equals(System.getProperty("user.name"))) {
      return true;
    }
    try {
      Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return id.waitFor(10, TimeUnit.SECONDS) && "0".equals(uid);
    } catch (IOException e) {
      return false; // no `id`: not a Unix we can switch users on anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the servers run as another user than the JVM (because the JVM is root). */
  boolean switchesUser() {
    return root;
  }

  /** The account the servers run as, for messages. */
  String serverUser() {
    return root ? SERVER_USER : System.getProperty("user.name");
  }

  /**
   * Runs a PostgreSQL program as the server user; the caller decides what a non-zero exit means
   * ({@link Result#orThrow(String)}).
   *
   * @param what what is being done, for the error message, e.g. {@code "initdb of eu-primary"}
   */
  Result runAsServerUser(String what, Duration timeout, Path workDir, List<String> command) {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(switchUserPrefix);
      if (switchWithSu) {
        full.add(command.stream().map(ProcessRunner::shellQuote).collect(Collectors.joining(" ")));
      } else {
        full.addAll(command);
      }
    } else {
      full.addAll(command);
    }
    return run(what, timeout, workDir, full);
  }

  /** Runs a program as the JVM's own user; the caller decides what a non-zero exit means. */
  Result runAsJvmUser(String what, Duration timeout, List<String> command) {
    return run(what, timeout, null, command);
  }

  /** Hands a file tree to the server user ({@code chown -R}); does nothing when the JVM is not root. */
  void giveToServerUser(Path path) {
    if (root) {
      runAsJvmUser("chown of " + path, Duration.ofSeconds(30), List.of("chown", "-R", SERVER_USER, path.toString()))
          .orThrow("handing " + path + " to user " + SERVER_USER);
    }
  }

  private static Result run(String what, Duration timeout, Path workDir, List<String> command) {
    Path output = null;
    try {
      output = Files.createTempFile("region-router-cmd-", ".out");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      if (workDir != null) {
        // The server user may not be allowed into the JVM's working directory, and initdb resolves its own
        // path relative to it.
        builder.directory(workDir.toFile());
      }
      Map<String, String> env = builder.environment();
      // PGDATA, PGPORT, PGOPTIONS... from the developer's shell must not steer the servers we start.
      env.keySet().removeIf(key -> key.startsWith("PG"));
      env.put("LC_ALL", "C");
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new TopologyException(what + " did not finish within " + timeout.toMillis() + " ms: "
            + String.join(" ", command) + "\n" + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip(), command);
    } catch (IOException e) {
      throw new TopologyException(what + " could not run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopologyException(what + " was interrupted", e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a leftover empty temp file is harmless
        }
      }
    }
  }

  private static String shellQuote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** The outcome of one program run. */
  static final class Result {
    private final int exitCode;
    private final String output;
    private final List<String> command;

    Result(int exitCode, String output, List<String> command) {
      this.exitCode = exitCode;
      this.output = output;
      this.command = command;
    }

    int exitCode() {
      return exitCode;
    }

    /** Standard output and error, merged and stripped. */
    String output() {
      return output;
    }

    Result orThrow(String what) {
      if (exitCode != 0) {
        throw new TopologyException(what + " failed (exit code " + exitCode + "): " + String.join(" ", command)
            + (output.isEmpty() ? "" : "\n" + output));
      }
      return this;
    }
  }
}
