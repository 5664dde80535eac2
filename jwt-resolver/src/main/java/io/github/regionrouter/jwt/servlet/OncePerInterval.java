package io.github.regionrouter.jwt.servlet;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Says yes at most once per interval: keeps a log line that repeats on every request during an outage
 * (a JWKS endpoint down) to one line a minute. Compares {@code nanoTime} differences, never absolute
 * values, so it is safe across the wrap-around of the nanosecond counter.
 *
 * <p>Thread safety: safe for concurrent use; exactly one of the racing callers gets the yes.
 */
final class OncePerInterval {

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAllowed;

  OncePerInterval(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.nextAllowed = new AtomicLong(nanoTime.getAsLong()); // the first call is allowed
  }

  boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    long due = nextAllowed.get();
    return now - due >= 0 && nextAllowed.compareAndSet(due, now + intervalNanos);
  }
}
