package io.github.regionrouter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The clock id of a commit time: kept by {@link WritePosition#max}, dropped when two clocks meet. */
class WritePositionClockTest {

  @Test
  void ofTwoCommitTimesOnOneClock_theLaterKeepsItsClock() {
    WritePosition early = WritePosition.committedAt("us", 1_000, 7);
    WritePosition late = WritePosition.committedAt("us", 1_200, 7);
    assertThat(early.max(late)).isSameAs(late);
    assertThat(late.max(early)).isSameAs(late);
  }

  @Test
  void ofTwoCommitTimesOnTwoClocks_theLaterTimeIsKept_withNoClock_soTheMarginCoversBoth() {
    WritePosition here = WritePosition.committedAt("us", 1_200, 7);
    WritePosition elsewhere = WritePosition.committedAt("us", 1_000, 9);
    WritePosition combined = WritePosition.committedAt("us", 1_200);
    assertThat(here.max(elsewhere)).isEqualTo(combined);
    assertThat(elsewhere.max(here)).isEqualTo(combined);
    assertThat(here.max(WritePosition.committedAt("us", 1_000))).as("an unknown clock is foreign")
        .isEqualTo(combined);
    assertThat(WritePosition.committedAt("us", 1_300).max(here)).isEqualTo(WritePosition.committedAt("us", 1_300));
  }

  @Test
  void theThreeArgumentConstructorAndCommittedAt_leaveTheClockUnknown() {
    assertThat(new WritePosition("us", 5, 0).clockId()).isZero();
    assertThat(WritePosition.committedAt("us", 5).clockId()).isZero();
    assertThat(WritePosition.committedAt("us", 5, 3).clockId()).isEqualTo(3);
    assertThat(WritePosition.committedAt("us", 5, 3)).isNotEqualTo(WritePosition.committedAt("us", 5));
  }
}
