package io.github.regionrouter.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** EXPERIMENT: counter variants selected by -Dregionrouter.inuse=adder|atomic|cached. */
final class InUse {

  static final String MODE = System.getProperty("regionrouter.inuse", "adder");
  static final boolean ATOMIC = MODE.equals("atomic");
  static final boolean CACHED = MODE.equals("cached");
  private static final int SLOT = 7;

  private final LongAdder adder = new LongAdder();
  private final AtomicLongArray padded = new AtomicLongArray(15);
  private volatile long cached;

  void increment() {
    if (ATOMIC) {
      padded.getAndIncrement(SLOT);
    } else {
      adder.increment();
    }
  }

  void decrement() {
    if (ATOMIC) {
      padded.getAndDecrement(SLOT);
    } else {
      adder.decrement();
    }
  }

  void add(long x) {
    if (ATOMIC) {
      padded.getAndAdd(SLOT, x);
    } else {
      adder.add(x);
    }
  }

  void reset() {
    padded.set(SLOT, 0);
    adder.reset();
    cached = 0;
  }

  long sum() {
    return ATOMIC ? padded.get(SLOT) : adder.sum();
  }

  int intValue() {
    return (int) sum();
  }

  /** What the router compares. */
  long load() {
    return CACHED ? cached : sum();
  }

  void refresh() {
    long now = adder.sum();
    if (now != cached) {
      cached = now;
    }
  }
}
