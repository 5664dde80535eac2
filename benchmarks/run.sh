#!/usr/bin/env bash
# Runs the JMH suite with fixed settings and writes benchmarks/results/REPORT.md
# (scores, ratios against raw HikariCP and nimbus, PASS/MISS against DESIGN.md's performance budget).
# Takes about 20 minutes on 2 cores. Run it on a quiet machine: the ratios are only as steady as the box.
#
#   benchmarks/run.sh            # from the repository root (or anywhere: it finds the root itself)
#
# Raw JMH results stay in benchmarks/results/*.json (git-ignored); REPORT.md is the readable summary.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -ntp -pl benchmarks -am package -DskipTests

JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/results
mkdir -p "$OUT"
rm -f "$OUT"/*.json

# Fixed settings, the same for every benchmark of one group so that ratios compare like with like.
# A fixed heap keeps heap resizing out of the numbers; -prof gc adds B/op (gc.alloc.rate.norm) everywhere.
JVM=(-jvmArgsAppend "-Xms1g -Xmx1g")
# The per-connection benchmarks compare scores within a few per cent: two forks average out JIT luck.
CYCLE=(-f 2 -wi 4 -w 1s -i 6 -r 1s -prof gc -rf json "${JVM[@]}")
# At 2 threads raw HikariCP itself is bimodal from fork to fork (about 260 or about 550 ns): three forks.
CYCLE2=(-f 3 -wi 4 -w 1s -i 6 -r 1s -prof gc -rf json "${JVM[@]}")
# The decision and the JWT benchmarks are far from their budgets' limits or very steady: one fork.
SINGLE=(-f 1 -wi 4 -w 1s -i 6 -r 1s -prof gc -rf json "${JVM[@]}")

java -jar "$JAR" ConnectionCycleBenchmark -t 1 "${CYCLE[@]}" -rff "$OUT/cycle-1-thread.json"
java -jar "$JAR" ConnectionCycleBenchmark -t 2 "${CYCLE2[@]}" -rff "$OUT/cycle-2-threads.json"
java -jar "$JAR" MetricsOverheadBenchmark -t 1 "${CYCLE[@]}" -rff "$OUT/metrics-1-thread.json"
java -jar "$JAR" RoutingDecisionBenchmark JwtResolveBenchmark -t 1 "${SINGLE[@]}" -rff "$OUT/single.json"

java -cp "$JAR" io.github.regionrouter.benchmarks.report.ReportWriter "$OUT" "$OUT/REPORT.md"

# The real-PostgreSQL harness: raw HikariCP vs the router to the same node, op by op, through the test
# topology's latency proxy at near and far-primary settings (about 3 minutes). Writes POSTGRES.md.
java -cp "$JAR" io.github.regionrouter.benchmarks.postgres.PostgresHarness 1000 200 "$OUT/POSTGRES.md"
