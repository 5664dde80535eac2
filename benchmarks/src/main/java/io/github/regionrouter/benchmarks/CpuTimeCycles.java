package io.github.regionrouter.benchmarks;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link ConnectionCycleBenchmark}'s arms at one thread, timed in <em>thread CPU time</em> instead of wall time,
 * the arms interleaved round by round: on a shared machine (other builds on the same two cores) JMH's wall-clock
 * scores swung by ±100–1000 % during issue 13, while CPU time per cycle stayed within a few percent, because
 * time spent descheduled is not counted. Not a JMH benchmark and not a substitute for {@code run.sh} on a quiet
 * machine; a way to compare two builds when no quiet machine is at hand. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.regionrouter.benchmarks.CpuTimeCycles [rounds]}.
 */
public final class CpuTimeCycles {

  private interface Op {
    void run() throws SQLException;
  }

  private CpuTimeCycles() {
  }

  public static void main(String[] args) throws SQLException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int opsPerRound = 20_000;
    int warmupRounds = 10;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (StubTopology topology = new StubTopology(); RegionRoutingDataSource router = topology.router(null)) {
      DataSource primary = topology.pool(StubTopology.EU_PRIMARY);
      DataSource replica = topology.pool(StubTopology.EU_REPLICA_1);
      DataSource spring = topology.springRouting();
      DataSource floor = new WrapperFloor(primary);
      DataSource floorReadOnly = new WrapperFloor(replica);
      String[] names = {"rawHikari", "rawHikariReadOnly", "springRouting", "springRoutingRead", "routedWrite",
          "routedRead", "routedPinnedRead", "wrapperFloor", "wrapperFloorReadOnly"};
      Op[] ops = {() -> Cycles.write(primary), () -> Cycles.read(replica), () -> Cycles.write(spring),
          () -> Cycles.read(spring), () -> Cycles.write(router), () -> Cycles.read(router), () -> Cycles.read(router),
          () -> Cycles.write(floor), () -> Cycles.read(floorReadOnly)};
      try (RegionContext.Scope s = RegionContext.open(StubTopology.REGION, "writer")) {
        Cycles.write(router); // the pinned reader's subject wrote once, as in ConnectionCycleBenchmark
      }
      List<List<Double>> nanos = new ArrayList<>();
      for (int i = 0; i < ops.length; i++) {
        nanos.add(new ArrayList<>());
      }
      for (int round = 0; round < warmupRounds + rounds; round++) {
        for (int i = 0; i < ops.length; i++) {
          // a context per arm, open for the whole round, as JMH's per-thread Caller state is
          try (RegionContext.Scope s = RegionContext.open(StubTopology.REGION, i == 6 ? "writer" : "caller")) {
            long start = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < opsPerRound; k++) {
              ops[i].run();
            }
            long took = mx.getCurrentThreadCpuTime() - start;
            if (round >= warmupRounds) {
              nanos.get(i).add(took / (double) opsPerRound);
            }
          }
        }
      }
      System.out.printf("CPU ns per cycle, 1 thread, %d rounds of %d ops (median, p25-p75)%n", rounds, opsPerRound);
      for (int i = 0; i < ops.length; i++) {
        List<Double> v = nanos.get(i);
        Collections.sort(v);
        System.out.printf("%-18s %7.1f  (%.1f-%.1f)%n", names[i], v.get(v.size() / 2), v.get(v.size() / 4),
            v.get(3 * v.size() / 4));
      }
    }
  }
}
