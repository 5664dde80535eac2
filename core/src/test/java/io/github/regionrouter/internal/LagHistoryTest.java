package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lag in time from the primary's LSN history, with an explicit clock. */
class LagHistoryTest {

  private static final long MS = 1_000_000L;

  @Test
  void anIdlePrimaryShowsNoLag_howeverLongItIsIdle() {
    LagHistory h = new LagHistory(16);
    h.record(100, 0);
    for (long t = 250; t < 60_000; t += 250) {
      h.record(100, t * MS); // idle: the position does not move
    }
    assertThat(h.lagNanos(100, 60_000 * MS)).isZero();
  }

  @Test
  void lagIsTheAgeOfTheFirstPrimaryPositionTheReplicaHasNotReplayed() {
    LagHistory h = new LagHistory(16);
    h.record(100, 0);
    h.record(200, 250 * MS);
    h.record(300, 500 * MS);
    assertThat(h.lagNanos(100, 900 * MS)).isEqualTo(650 * MS); // 200 first seen at 250 ms
    assertThat(h.lagNanos(250, 900 * MS)).isEqualTo(400 * MS);
    assertThat(h.lagNanos(300, 900 * MS)).isZero();
    assertThat(h.lagNanos(400, 900 * MS)).isZero(); // replica sampled after the primary
  }

  @Test
  void onlyNewPositionsAreRecorded_soTheFirstSightingCounts() {
    LagHistory h = new LagHistory(16);
    h.record(200, 100 * MS);
    h.record(200, 400 * MS);
    assertThat(h.lagNanos(100, 500 * MS)).isEqualTo(400 * MS);
  }

  @Test
  void whenTheRingWraps_lagIsALowerBoundFromTheOldestEntry() {
    LagHistory h = new LagHistory(4);
    for (int i = 1; i <= 10; i++) {
      h.record(i * 100L, i * 100 * MS);
    }
    assertThat(h.newest()).isEqualTo(1000);
    assertThat(h.lagNanos(50, 1100 * MS)).isEqualTo(400 * MS); // oldest kept: 700 at 700 ms
  }

  @Test
  void positionsCompareUnsigned() {
    LagHistory h = new LagHistory(4);
    h.record(0x7FFF_FFFF_FFFF_FFF0L, 0);
    h.record(0x8000_0000_0000_0010L, 100 * MS);
    assertThat(h.lagNanos(0x7FFF_FFFF_FFFF_FFF0L, 300 * MS)).isEqualTo(200 * MS);
  }
}
