package io.github.regionrouter.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link JwtResolveBenchmark}'s cache hit against its nimbus HS256 verification, timed in <em>thread CPU
 * time</em>, the arms interleaved round by round, with the ratio taken per round. The same idea as
 * {@link CpuTimeCycles}: on a shared machine JMH's wall-clock scores of arms run minutes apart swing with the
 * other load (nimbus HS256 measured 6 µs to 166 µs on one afternoon), while CPU time does not count time spent
 * descheduled. CPU time still grows with the other load (shared caches and cores): under a load of 7 both arms
 * took ~3x their quiet JMH time, nimbus more than the hit, so the ratio printed here is not the budget's figure;
 * it compares two builds run one after the other. Not a JMH benchmark and not a substitute for {@code run.sh}
 * on a quiet machine. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.regionrouter.benchmarks.JwtCpuTime [rounds]}.
 */
public final class JwtCpuTime {

  private interface Op {
    Object run() throws Exception;
  }

  /** Where every result goes, so that no arm's work can be optimised away. */
  static Object sink;

  private JwtCpuTime() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int warmupRounds = 10;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    JwtResolveBenchmark benchmark = new JwtResolveBenchmark();
    benchmark.start();
    try {
      String[] names = {"headerOnly", "resolverCacheHit", "nimbusHs256"};
      Op[] ops = {benchmark::headerOnly, benchmark::resolverCacheHit, benchmark::nimbusHs256};
      int[] opsPerRound = {200_000, 200_000, 5_000}; // each arm ~10-50 ms of CPU per round
      List<List<Double>> nanos = new ArrayList<>();
      for (int i = 0; i < ops.length; i++) {
        nanos.add(new ArrayList<>());
      }
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round < warmupRounds + rounds; round++) {
        double[] perOp = new double[ops.length];
        for (int i = 0; i < ops.length; i++) {
          long start = mx.getCurrentThreadCpuTime();
          for (int k = 0; k < opsPerRound[i]; k++) {
            sink = ops[i].run();
          }
          perOp[i] = (mx.getCurrentThreadCpuTime() - start) / (double) opsPerRound[i];
        }
        if (round >= warmupRounds) {
          for (int i = 0; i < ops.length; i++) {
            nanos.get(i).add(perOp[i]);
          }
          ratios.add(perOp[1] / perOp[2]);
        }
      }
      System.out.printf("CPU ns per op, 1 thread, %d rounds (median, p25-p75)%n", rounds);
      for (int i = 0; i < ops.length; i++) {
        List<Double> v = nanos.get(i);
        Collections.sort(v);
        System.out.printf("%-18s %9.1f  (%.1f-%.1f)%n", names[i], v.get(v.size() / 2), v.get(v.size() / 4),
            v.get(3 * v.size() / 4));
      }
      Collections.sort(ratios);
      System.out.printf("hit / nimbusHs256 per round: %.4f = 1/%.0f  (%.4f-%.4f)%n", ratios.get(ratios.size() / 2),
          1 / ratios.get(ratios.size() / 2), ratios.get(ratios.size() / 4), ratios.get(3 * ratios.size() / 4));
    } finally {
      benchmark.stop();
    }
  }
}
