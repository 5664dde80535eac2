package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Read-your-writes pins with a fake clock: the window, the later position, the sweep. */
class PinsTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Pins pins = new Pins(2, Duration.ofSeconds(5), now::get);

  @Test
  void aPinHoldsForTheWindowAfterTheNewestWrite_thenIsGone() {
    pins.pin(0, "ada", 100);
    now.addAndGet(Duration.ofMillis(4_999).toNanos());
    assertThat(pins.lsn(0, "ada")).isEqualTo(100);
    pins.pin(0, "ada", 90); // a newer write restarts the window and keeps the later position
    now.addAndGet(Duration.ofMillis(4_999).toNanos());
    assertThat(pins.lsn(0, "ada")).isEqualTo(100);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(pins.lsn(0, "ada")).isEqualTo(Router.NO_PIN);
  }

  @Test
  void pinsArePerRegionAndPerSubject() {
    pins.pin(0, "ada", 100);
    assertThat(pins.lsn(1, "ada")).isEqualTo(Router.NO_PIN);
    assertThat(pins.lsn(0, "bob")).isEqualTo(Router.NO_PIN);
  }

  @Test
  void anUnknownPositionWins_becauseItIsTheConservativeOne() {
    pins.pin(0, "ada", 100);
    pins.pin(0, "ada", -1L);
    assertThat(pins.lsn(0, "ada")).isEqualTo(-1L);
  }

  @Test
  void anExpiredPinIsReplaced_notMerged() {
    pins.pin(0, "ada", 500);
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    pins.pin(0, "ada", 100);
    assertThat(pins.lsn(0, "ada")).isEqualTo(100);
  }

  @Test
  void expiredPinsAreSweptByALaterWrite() {
    for (int i = 0; i < 100; i++) {
      pins.pin(0, "user-" + i, i + 1);
    }
    assertThat(pins.size(0)).isEqualTo(100);
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    pins.pin(1, "someone", 1);
    assertThat(pins.size(0)).isZero();
    assertThat(pins.size(1)).isEqualTo(1);
  }
}
