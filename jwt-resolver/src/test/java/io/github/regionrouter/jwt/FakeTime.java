package io.github.regionrouter.jwt;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock and a Caffeine ticker that move together, only when told to: tests never sleep for time. */
public final class FakeTime extends Clock implements Ticker {

  private final Instant start;
  private final AtomicLong elapsedNanos = new AtomicLong();

  public FakeTime(Instant start) {
    this.start = start;
  }

  /** Starts at the current real time, so tokens minted "now" by other code line up. */
  public static FakeTime now() {
    return new FakeTime(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  public void advance(Duration duration) {
    elapsedNanos.addAndGet(duration.toNanos());
  }

  @Override
  public long read() {
    return elapsedNanos.get();
  }

  @Override
  public Instant instant() {
    return start.plusNanos(elapsedNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
