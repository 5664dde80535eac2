package io.github.regionrouter.jwt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The outage warning is logged once, then again only after the interval, even across nanoTime wrap-around. */
class OncePerIntervalTest {

  @Test
  void allowsTheFirstCall_thenOncePerInterval() {
    AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 10); // about to wrap around
    OncePerInterval once = new OncePerInterval(Duration.ofNanos(100), nanos::get);
    assertThat(once.tryAcquire()).isTrue();
    assertThat(once.tryAcquire()).isFalse();
    nanos.addAndGet(99);
    assertThat(once.tryAcquire()).isFalse();
    nanos.addAndGet(1);
    assertThat(once.tryAcquire()).isTrue();
    assertThat(once.tryAcquire()).isFalse();
  }
}
