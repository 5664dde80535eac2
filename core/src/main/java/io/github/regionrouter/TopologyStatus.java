package io.github.regionrouter;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every node as the router sees it, for health endpoints and diagnostics.
 *
 * @param takenAt      when the snapshot was published
 * @param nodes        every node, in configuration order
 * @param writeTargets per region, the node that takes its writes now; a region without one (no primary up,
 *                     or two writable nodes) is absent
 * @param writeProblems per region without a write target, why
 */
public record TopologyStatus(
    Instant takenAt,
    List<NodeStatus> nodes,
    Map<String, String> writeTargets,
    Map<String, String> writeProblems) {

  /** Canonical constructor; copies the collections. */
  public TopologyStatus {
    nodes = List.copyOf(nodes);
    writeTargets = Map.copyOf(writeTargets);
    writeProblems = Map.copyOf(writeProblems);
  }

  /**
   * A small table, one line per node, for logs and consoles: role as configured and as observed, up, lag in
   * ms and bytes, RTT in ms, WAL position in PostgreSQL's {@code X/Y} form, connections in use, and why the
   * node is excluded; then one line per region without a write target.
   *
   * <pre>
   * topology at 2026-12-01T06:10:00.123Z
   *   node        region  location  role             up    lag ms  lag bytes  rtt ms  wal        in use  serves  excluded
   *   eu-primary  eu      fra       primary          up         0          0   0.412  0/174EDD0       0  writes  -
   *   eu-replica  eu      fra       replica          up         3        120   0.377  0/174ED58       1  reads   -
   * </pre>
   */
  @Override
  public String toString() {
    String[] head = {"node", "region", "location", "role", "up", "lag ms", "lag bytes", "rtt ms", "wal", "in use",
        "serves", "excluded"};
    java.util.List<String[]> rows = new java.util.ArrayList<>();
    rows.add(head);
    for (NodeStatus n : nodes) {
      String configured = n.configuredRole().name().toLowerCase(java.util.Locale.ROOT);
      String observed = n.observedRole().name().toLowerCase(java.util.Locale.ROOT);
      rows.add(new String[] {
          n.name(), n.region(), n.location(),
          observed.equals(configured) ? configured : configured + " (is " + observed + ")",
          n.up() ? "up" : "DOWN",
          n.lagTime() == null ? "-" : Long.toString(n.lagTime().toMillis()),
          n.lagBytes() < 0 ? "-" : Long.toString(n.lagBytes()),
          n.rtt() == null ? "-" : String.format(java.util.Locale.ROOT, "%.3f", n.rtt().toNanos() / 1e6),
          n.walPosition() == WritePosition.UNKNOWN_LSN || n.walPosition() == 0 ? "-"
              : WritePosition.formatLsn(n.walPosition()),
          Integer.toString(n.inUse()),
          n.writeTarget() ? "writes" : n.readEligible() ? "reads" : "-",
          n.excludedReason() == null ? "-" : n.excludedReason()});
    }
    int[] width = new int[head.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    boolean[] right = {false, false, false, false, false, true, true, true, false, true, false, false};
    StringBuilder sb = new StringBuilder("topology at ").append(takenAt);
    for (String[] row : rows) {
      sb.append("\n ");
      for (int i = 0; i < row.length; i++) {
        String cell = row[i];
        String pad = " ".repeat(width[i] - cell.length());
        sb.append(' ');
        if (i == row.length - 1) {
          sb.append(cell);
        } else {
          sb.append(right[i] ? pad + cell : cell + pad).append(' ');
        }
      }
    }
    new java.util.TreeMap<>(writeProblems).forEach((region, problem) ->
        sb.append("\n  region ").append(region).append(": no write target: ").append(problem));
    return sb.toString();
  }

  /** Returns the node of that name, if configured. */
  public Optional<NodeStatus> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
