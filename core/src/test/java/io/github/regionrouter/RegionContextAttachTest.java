package io.github.regionrouter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link RegionContext#attach(RegionContext)}: what context-propagation libraries use to carry a context. */
class RegionContextAttachTest {

  @Test
  void attachMakesTheSameContextObjectCurrent_andCloseRestoresThePreviousOne() {
    RegionContext carried;
    try (RegionContext.Scope origin = RegionContext.open("eu", "ada")) {
      carried = origin.context();
    }
    try (RegionContext.Scope outer = RegionContext.open("us")) {
      try (RegionContext.Scope attached = RegionContext.attach(carried)) {
        assertThat(RegionContext.currentOrNull()).isSameAs(carried);
        carried.recordWrite(new WritePosition("eu", 7));
      }
      assertThat(RegionContext.currentOrNull()).isSameAs(outer.context());
    }
    assertThat(carried.lastWrite()).contains(new WritePosition("eu", 7));
    assertThat(RegionContext.current()).isEmpty();
  }

  @Test
  void attachingNullClearsTheThreadsContext_untilClosed() {
    try (RegionContext.Scope outer = RegionContext.open("eu")) {
      try (RegionContext.Scope none = RegionContext.attach(null)) {
        assertThat(RegionContext.current()).isEmpty();
        assertThat(none.context()).isNull();
      }
      assertThat(RegionContext.currentOrNull()).isSameAs(outer.context());
    }
  }
}
