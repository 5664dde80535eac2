package io.github.regionrouter.testing;

/**
 * Runs in a separate JVM for {@link PostgresTopologyLifecycleTest#killedJvm_leavesNoServerBehind()}: starts a
 * topology, reports its postmaster and directory, then waits to be killed.
 */
final class TopologyInChildJvm {

  private TopologyInChildJvm() {
  }

  public static void main(String[] args) throws InterruptedException {
    PostgresTopology topology = PostgresTopology.builder().primary("eu-primary", "eu", "fra").start();
    System.out.println("READY " + topology.postmasterPid("eu-primary").orElseThrow() + " " + topology.directory());
    System.out.flush();
    Thread.sleep(120_000); // the test kills this JVM long before; the bound only limits an abandoned child
    topology.close();
  }
}
