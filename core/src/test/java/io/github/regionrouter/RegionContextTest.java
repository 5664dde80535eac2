package io.github.regionrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class RegionContextTest {

  @Test
  void nestedScopesRestoreTheOuterOne_andCloseLeavesNothing() {
    try (RegionContext.Scope outer = RegionContext.open("eu", "user-1")) {
      try (RegionContext.Scope inner = RegionContext.open("us", "user-2")) {
        assertThat(RegionContext.current()).get().extracting(RegionContext::region).isEqualTo("us");
      }
      assertThat(RegionContext.current()).get().isSameAs(outer.context());
    }
    assertThat(RegionContext.current()).isEmpty();
  }

  @Test
  void wrapCarriesTheContextToAnotherThread_andRecordsWritesInTheSameScope() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RegionContext.Scope scope = RegionContext.open("eu", "user-1")) {
      String seen = pool.submit(RegionContext.wrap(() -> {
        RegionContext.currentOrNull().recordWrite(new WritePosition("eu", 42));
        return RegionContext.currentOrNull().region();
      })).get();
      assertThat(seen).isEqualTo("eu");
      assertThat(scope.context().lastWrite()).contains(new WritePosition("eu", 42));
      assertThat(pool.submit(() -> RegionContext.current().isPresent()).get()).isFalse();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void ofTwoWritesKnownByCommitTimeTheLaterIsKept_andAnUnknownOneWins() {
    try (RegionContext.Scope scope = RegionContext.open("eu")) {
      scope.context().recordWrite(WritePosition.committedAt("eu", 2_000));
      scope.context().recordWrite(WritePosition.committedAt("eu", 1_000));
      assertThat(scope.context().lastWrite()).contains(WritePosition.committedAt("eu", 2_000));
      scope.context().recordWrite(new WritePosition("eu", 42));
      assertThat(scope.context().lastWrite()).contains(WritePosition.committedAt("eu", 2_000));
      scope.context().recordWrite(new WritePosition("eu", WritePosition.UNKNOWN_LSN));
      assertThat(scope.context().lastWrite()).contains(new WritePosition("eu", WritePosition.UNKNOWN_LSN));
    }
  }

  @Test
  void lastWriteKeepsTheNewestPosition() {
    try (RegionContext.Scope scope = RegionContext.open("eu")) {
      scope.context().recordWrite(new WritePosition("eu", 10));
      scope.context().recordWrite(new WritePosition("eu", 5));
      assertThat(scope.context().lastWrite()).contains(new WritePosition("eu", 10));
    }
  }

  @Test
  void blankRegionOrSubject_isRejected() {
    assertThatThrownBy(() -> RegionContext.open(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region must not be blank");
    assertThatThrownBy(() -> RegionContext.open("eu", "")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject must not be blank (pass null for no subject)");
    assertThat(RegionContext.current()).isEmpty();
  }

  @Test
  void lsnsRoundTripThroughPostgresTextForm() {
    assertThat(WritePosition.formatLsn(WritePosition.parseLsn("16/B374D848"))).isEqualTo("16/B374D848");
    assertThat(WritePosition.parseLsn("0/16B3748")).isEqualTo(0x16B3748L);
    assertThat(new WritePosition("eu", WritePosition.UNKNOWN_LSN).isReplayedBy(Long.MAX_VALUE)).isFalse();
    assertThatThrownBy(() -> WritePosition.parseLsn("16B3748")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a PostgreSQL LSN (expected X/Y in hex): '16B3748'");
  }
}
