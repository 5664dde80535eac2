package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.WritePosition;
import org.junit.jupiter.api.Test;

/** Resolving a write known by its commit time to the first primary poll that started after it. */
class PrimaryPositionsTest {

  private final PrimaryPositions.Log log = new PrimaryPositions.Log(4);

  @Test
  void aCommitResolvesToTheFirstPollStartedAfterIt_elseStaysUnknown() {
    log.record(100, 1_000, 0x10);
    log.record(200, 1_100, 0x20);
    PrimaryPositions p = log.view();
    assertThat(p.afterNanos(50)).isEqualTo(0x10);
    assertThat(p.afterNanos(100)).as("a poll started at the commit's instant may have run before it")
        .isEqualTo(0x20);
    assertThat(p.afterNanos(150)).isEqualTo(0x20);
    assertThat(p.afterNanos(200)).isEqualTo(WritePosition.UNKNOWN_LSN);
    assertThat(p.afterMillis(1_050)).isEqualTo(0x20);
    assertThat(p.afterMillis(1_100)).isEqualTo(WritePosition.UNKNOWN_LSN);
  }

  @Test
  void pollsOfAnIdlePrimaryShareOneEntry_stampedWithTheLastStart() {
    log.record(100, 1_000, 0x10);
    PrimaryPositions before = log.view();
    log.record(200, 1_100, 0x10);
    log.record(300, 1_200, 0x10);
    assertThat(log.view().size()).isEqualTo(1);
    assertThat(log.view().afterNanos(250)).isEqualTo(0x10);
    assertThat(before.afterNanos(150)).as("a published view never changes").isEqualTo(WritePosition.UNKNOWN_LSN);
  }

  @Test
  void aFullLogDropsTheOldest_andOlderCommitsResolveToTheOldestKept() {
    for (int i = 1; i <= 6; i++) {
      log.record(i * 100, i * 1_000, i);
    }
    assertThat(log.view().size()).isEqualTo(4);
    assertThat(log.view().afterNanos(50)).isEqualTo(3);
    assertThat(log.view().afterNanos(650)).isEqualTo(WritePosition.UNKNOWN_LSN);
  }

  @Test
  void theInsertPositionOfAnEmptyPageResolvesToThePageStart() {
    assertThat(NodeProbe.recordEnd(0x3000018L)).isEqualTo(0x3000000L);
    assertThat(NodeProbe.recordEnd(0x3000028L)).isEqualTo(0x3000000L);
    assertThat(NodeProbe.recordEnd(0x3000030L)).isEqualTo(0x3000030L);
  }

  @Test
  void withoutAMonitorEveryWriteIsResolved() {
    assertThat(PrimaryPositions.STATIC.afterNanos(Long.MAX_VALUE)).isEqualTo(1L);
    assertThat(PrimaryPositions.EMPTY.afterNanos(0)).isEqualTo(WritePosition.UNKNOWN_LSN);
  }

  @Test
  void aPollAnsweringAfterANewerOneIsIgnored_theLogStaysOrderedByStart() {
    // the kick's probe (started at 300) answered before the round's poll (started at 200)
    log.record(100, 1_000, 0x10);
    log.record(300, 1_200, 0x30);
    log.record(200, 1_100, 0x20);
    PrimaryPositions view = log.view();
    assertThat(view.size()).isEqualTo(2);
    assertThat(view.afterNanos(150)).as("resolves to the newer poll: later, so only more conservative")
        .isEqualTo(0x30);
    assertThat(view.afterMillis(1_050)).isEqualTo(0x30);
  }
}
