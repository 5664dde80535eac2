package io.github.regionrouter.testing;

import java.time.Duration;

/** Bounded polling for tests: no bare sleeps where a condition can be awaited. */
final class Awaits {

  private Awaits() {
  }

  /** A condition that may throw (JDBC). */
  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls every 10 ms until the condition holds; fails with {@code what} after {@code timeout}. */
  static void await(String what, Duration timeout, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
