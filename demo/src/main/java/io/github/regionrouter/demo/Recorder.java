package io.github.regionrouter.demo;

import io.github.regionrouter.demo.Geography.Group;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every request the simulated users made: when, how long, and how it ended, per phase, group and kind. Latency
 * percentiles count successful requests only; failures are counted by outcome.
 *
 * <p>Thread-safe: users record concurrently; reads take a copy.
 */
final class Recorder {

  /** The three parts of the story. */
  enum Phase {
    /** Everything served from {@code iad} by one primary, the way the seed's team started. */
    SINGLE("single region"),
    /** One app instance per location, region-router routing. */
    ROUTER("region-router"),
    /** region-router while replicas and primaries fail. */
    DRILL("drill");

    final String title;

    Phase(String title) {
      this.title = title;
    }
  }

  /** What a request did. */
  enum Kind { READ, WRITE }

  /** How a request ended. */
  enum Outcome {
    /** Answered as expected. */
    OK,
    /** A read after the user's own write that did not see it. */
    STALE,
    /**
     * Refused by the router's fail-closed rules (HTTP 503 naming the reason): a write while its region has no
     * unique primary; a read during a split brain; a read-your-writes read while the region has no primary and
     * the surviving standby cannot be proven to hold the reader's write.
     */
    REFUSED,
    /** Anything else: an HTTP error, a timeout, a broken connection. */
    ERROR
  }

  /** One request. */
  record Sample(long atMillis, Group group, Kind kind, boolean afterOwnWrite, long latencyMicros,
      Outcome outcome) {
  }

  private final long startNanos = System.nanoTime();
  private final Map<Phase, List<Sample>> samples = new EnumMap<>(Phase.class);
  private final Map<String, java.util.concurrent.atomic.LongAdder> refusals =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  private final Map<String, List<Long>> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();

  Recorder() {
    for (Phase phase : Phase.values()) {
      samples.put(phase, new ArrayList<>());
    }
  }

  /** Milliseconds since this recorder was created; the time axis of the timeline and the chart. */
  long nowMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Records one request that started at {@code startedNanos} and just ended; a null phase is warm-up. */
  void record(Phase phase, Group group, Kind kind, long startedNanos, Outcome outcome) {
    record(phase, group, kind, false, startedNanos, outcome);
  }

  /** Records one request; {@code afterOwnWrite}: a read of the note the user has just written. */
  void record(Phase phase, Group group, Kind kind, boolean afterOwnWrite, long startedNanos, Outcome outcome) {
    if (phase == null) {
      return;
    }
    long micros = (System.nanoTime() - startedNanos) / 1_000;
    Sample sample = new Sample((startedNanos - startNanos) / 1_000_000, group, kind, afterOwnWrite, micros,
        outcome);
    List<Sample> list = samples.get(phase);
    synchronized (list) {
      list.add(sample);
    }
  }

  /** Counts a refusal by the router, by phase, kind and the router's reason tag ({@code no-primary}, ...). */
  void refusal(Phase phase, Kind kind, String reason) {
    if (phase != null) {
      refusals.computeIfAbsent(phase.title + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + reason,
          k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }
  }

  /** Refusals as "phase kind reason" → count, sorted. */
  Map<String, Long> refusals() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    refusals.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** Notes a write of the region-router phases that the API acknowledged with that id, in that data region. */
  void acknowledged(String region, long id) {
    List<Long> ids = acknowledged.computeIfAbsent(region, r -> new ArrayList<>());
    synchronized (ids) {
      ids.add(id);
    }
  }

  /** The acknowledged ids of a data region, in no particular order. */
  long[] acknowledgedIds(String region) {
    List<Long> ids = acknowledged.getOrDefault(region, List.of());
    synchronized (ids) {
      return ids.stream().mapToLong(Long::longValue).toArray();
    }
  }

  /** A copy of the samples of one phase, in the order they were recorded. */
  List<Sample> samples(Phase phase) {
    List<Sample> list = samples.get(phase);
    synchronized (list) {
      return new ArrayList<>(list);
    }
  }

  /** Successful latencies (µs) of a phase, group and kind ({@code null}: both kinds), sorted. */
  long[] latencies(Phase phase, Group group, Kind kind) {
    return samples(phase).stream()
        .filter(s -> s.group() == group && (kind == null || s.kind() == kind) && s.outcome() == Outcome.OK)
        .mapToLong(Sample::latencyMicros).sorted().toArray();
  }

  /** Successful read latencies (µs) of a phase and group, right after one's own write or not, sorted. */
  long[] readLatencies(Phase phase, Group group, boolean afterOwnWrite) {
    return samples(phase).stream()
        .filter(s -> s.group() == group && s.kind() == Kind.READ && s.afterOwnWrite() == afterOwnWrite
            && s.outcome() == Outcome.OK)
        .mapToLong(Sample::latencyMicros).sorted().toArray();
  }

  /** How many requests of a phase ({@code null}: all phases), group ({@code null}: all) and kind ended so. */
  long count(Phase phase, Group group, Kind kind, Outcome outcome) {
    long n = 0;
    for (Phase p : Phase.values()) {
      if (phase != null && p != phase) {
        continue;
      }
      n += samples(p).stream().filter(s -> (group == null || s.group() == group)
          && (kind == null || s.kind() == kind) && s.outcome() == outcome).count();
    }
    return n;
  }

  /** The nearest-rank percentile of sorted values, in milliseconds; NaN when there are none. */
  static double percentileMillis(long[] sortedMicros, double p) {
    if (sortedMicros.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedMicros.length);
    return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, rank - 1))] / 1000.0;
  }
}
