package io.github.regionrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up failures and clean-up: nothing of a topology survives it, whatever happens to the JVM. */
class PostgresTopologyLifecycleTest {

  private static final Duration AWAIT = Duration.ofSeconds(20);

  @Test
  void close_leavesNoServerProcessAndNoDirectory_evenWithAFrozenNode() throws Exception {
    PostgresTopology topology = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .start();
    Path directory = topology.directory();
    List<Long> processes = new ArrayList<>();
    for (PgNode node : topology.nodes()) {
      processes.addAll(Postmaster.withDescendants(topology.postmasterPid(node.name()).orElseThrow()));
    }
    LatencyProxy link = topology.link("sin", "eu-primary");
    topology.freeze("eu-replica");

    topology.close();

    assertThat(processes).hasSizeGreaterThan(2).noneMatch(Postmaster::isAlive);
    assertThat(directory).doesNotExist();
    assertThatThrownBy(() -> DriverManager.getConnection(PgNode.jdbcUrl(link.host(), link.port()),
        PostgresTopologyReplicationTest.properties(1))).isInstanceOf(SQLException.class);
    topology.close(); // idempotent
    assertThat(topology.node("eu-primary").name()).isEqualTo("eu-primary");
    assertThatThrownBy(() -> topology.stop("eu-primary", StopMode.FAST))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the topology is closed");
  }

  @Test
  void failedStart_reportsTheServerLogTail_andLeavesNothingBehind() throws Exception {
    List<Path> before = directoriesOwnedByThisJvm();

    assertThatThrownBy(() -> PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .serverSetting("shared_buffers", "plenty")
        .start())
        .isInstanceOf(TopologyException.class)
        .hasMessageStartingWith("node 'eu-primary' (port ")
        .hasMessageContaining(") did not start (pg_ctl exit code 1)")
        .hasMessageContaining("--- last lines of ")
        .hasMessageContaining("invalid value for parameter \"shared_buffers\": \"plenty\"");
    assertThat(directoriesOwnedByThisJvm()).isEqualTo(before);
  }

  @Test
  void sweep_stopsServersAndRemovesDirectory_ofATopologyWhoseJvmIsGone() throws Exception {
    PostgresTopology topology = PostgresTopology.builder().primary("eu-primary", "eu", "fra").start();
    try {
      Path directory = topology.directory();
      long postmaster = topology.postmasterPid("eu-primary").orElseThrow();
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor(10, TimeUnit.SECONDS);
      Files.writeString(directory.resolve(Workspace.OWNER_FILE), gone.pid() + " 0\n");

      List<Path> removed = LeftoverSweeper.sweep(ProcessRunner.forThisJvm(), directory.getParent());

      assertThat(removed).containsExactly(directory);
      assertThat(Postmaster.isAlive(postmaster)).isFalse();
      assertThat(directory).doesNotExist();
    } finally {
      topology.close(); // what the sweep left to do is nothing; close must cope
    }
  }

  @Test
  void sweep_leavesTopologiesOfLiveJvmsAlone() throws Exception {
    try (PostgresTopology topology = PostgresTopology.builder().primary("eu-primary", "eu", "fra").start()) {
      List<Path> removed = LeftoverSweeper.sweep(ProcessRunner.forThisJvm(), topology.directory().getParent());

      assertThat(removed).doesNotContain(topology.directory());
      assertThat(Sql.queryString(topology, "eu-primary", "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void killedJvm_leavesNoServerBehind() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", classpath, TopologyInChildJvm.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    long postmaster;
    Path directory;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String[] ready = out.readLine().split(" ");
      assertThat(ready[0]).isEqualTo("READY");
      postmaster = Long.parseLong(ready[1]);
      directory = Path.of(ready[2]);
      assertThat(Postmaster.isAlive(postmaster)).isTrue();

      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      child.waitFor(10, TimeUnit.SECONDS);
    }

    Awaits.await("the watchdog to stop postmaster " + postmaster, AWAIT, () -> !Postmaster.isAlive(postmaster));
    Awaits.await("the watchdog to delete " + directory, AWAIT, () -> !Files.exists(directory));
  }

  private static List<Path> directoriesOwnedByThisJvm() throws IOException {
    List<Path> owned = new ArrayList<>();
    for (Path base : Workspace.possibleBaseDirectories()) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, Workspace.PREFIX + "*")) {
        for (Path dir : dirs) {
          Workspace.owner(dir).filter(o -> o.pid() == ProcessHandle.current().pid()).ifPresent(o -> owned.add(dir));
        }
      }
    }
    owned.sort(null);
    return owned;
  }
}
