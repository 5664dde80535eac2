package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Read-your-writes pins with a fake clock: the window, the newest commit, the sweep. */
class PinsTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final Pins pins = new Pins(2, Duration.ofSeconds(5), now::get);

  @Test
  void aPinHoldsForTheWindowAfterTheNewestWrite_thenIsGone() {
    pins.pin(0, "ada");
    now.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(pins.committedAt(0, "ada")).isEqualTo(1_000);
    pins.pin(0, "ada"); // a newer write restarts the window and is the one reads must see
    long second = now.get();
    now.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(pins.committedAt(0, "ada")).isEqualTo(second);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(pins.committedAt(0, "ada")).isEqualTo(Pins.NONE);
  }

  @Test
  void aWriteWithAnUncertainCommitPinsAsUnknownForTheWindow() {
    pins.pin(0, "ada");
    pins.pinUnknown(0, "ada");
    pins.pin(0, "ada"); // a later certain write does not make the uncertain one known
    assertThat(pins.committedAt(0, "ada")).isEqualTo(Pins.UNKNOWN);
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(pins.committedAt(0, "ada")).isEqualTo(Pins.NONE);
  }

  @Test
  void newestCommitReadsNoClock_andLiveSaysWhetherItsWindowStillHolds() {
    AtomicLong reads = new AtomicLong();
    Pins counted = new Pins(1, Duration.ofSeconds(5), () -> {
      reads.incrementAndGet();
      return now.get();
    });
    counted.pin(0, "ada");
    counted.pinUnknown(0, "bob");
    reads.set(0);
    assertThat(counted.newestCommit(0, "ada")).isEqualTo(1_000);
    assertThat(counted.newestCommit(0, "bob")).isEqualTo(Pins.UNKNOWN);
    assertThat(counted.newestCommit(0, "eve")).isEqualTo(Pins.NONE);
    assertThat(reads).hasValue(0);
    now.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
    assertThat(counted.live(1_000)).isTrue();
    now.incrementAndGet();
    assertThat(counted.live(1_000)).isFalse();
    assertThat(counted.newestCommit(0, "ada")).isEqualTo(1_000); // not swept yet: the caller asks live()
    assertThat(reads).hasValue(2);
  }

  @Test
  void pinsArePerRegionAndPerSubject() {
    pins.pin(0, "ada");
    assertThat(pins.committedAt(1, "ada")).isEqualTo(Pins.NONE);
    assertThat(pins.committedAt(0, "bob")).isEqualTo(Pins.NONE);
  }

  @Test
  void aWriteAfterTheSweepRetiredThePinStartsAFreshOne() {
    pins.pin(0, "ada");
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    pins.pin(1, "someone"); // sweeps: ada's pin is retired and removed
    assertThat(pins.size(0)).isZero();
    pins.pin(0, "ada");
    assertThat(pins.committedAt(0, "ada")).isEqualTo(now.get());
  }

  @Test
  void expiredPinsAreSweptByALaterWrite() {
    for (int i = 0; i < 100; i++) {
      pins.pin(0, "user-" + i);
    }
    assertThat(pins.size(0)).isEqualTo(100);
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    pins.pin(1, "someone");
    assertThat(pins.size(0)).isZero();
    assertThat(pins.size(1)).isEqualTo(1);
  }
}
