package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.WritePosition;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A commit skips allocating its position only when recording it would change nothing: the shortcut must agree
 * with {@link WritePosition#max} for every kind of position the context may already hold.
 */
class RecordedSinceTest {

  private static final long NOW = 1_700_000_000_000L;

  @Test
  void aCommitIsSkippedExactlyWhenTheContextsPositionWouldWinMax() {
    List<WritePosition> held = Arrays.asList(
        null,
        WritePosition.committedAt("eu", NOW - 1),
        WritePosition.committedAt("eu", NOW),
        WritePosition.committedAt("eu", NOW + 1),
        new WritePosition("eu", WritePosition.UNKNOWN_LSN), // uncertain commit: no time
        new WritePosition("eu", 0x16B3748L),
        WritePosition.committedAt("us", NOW + 5));
    for (WritePosition last : held) {
      WritePosition recorded = WritePosition.committedAt("eu", NOW);
      boolean wouldKeepLast = last != null && last.region().equals("eu") && last.max(recorded) == last;
      assertThat(RoutingDataSource.recordedSince(last, "eu", NOW)).as(String.valueOf(last)).isEqualTo(wouldKeepLast);
    }
    assertThat(RoutingDataSource.recordedSince(WritePosition.committedAt("eu", NOW), "eu", NOW))
        .as("a second write in the same millisecond allocates nothing").isTrue();
    assertThat(RoutingDataSource.recordedSince(WritePosition.committedAt("eu", NOW - 1), "eu", NOW))
        .as("a later millisecond is recorded").isFalse();
  }
}
