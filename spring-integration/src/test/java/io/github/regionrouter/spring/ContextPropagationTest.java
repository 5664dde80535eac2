package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.WritePosition;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The region context crosses threads through Micrometer context-propagation: decorators and Reactor. */
class ContextPropagationTest {

  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void theAccessorIsRegisteredWithTheGlobalRegistry_withoutSpring() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .anyMatch(accessor -> RegionContextAccessor.KEY.equals(accessor.key()));
  }

  @Test
  void aContextPropagatingTaskDecoratorCarriesRegionAndSubject_andRestoresTheWorker() throws Exception {
    Runnable probe;
    CompletableFuture<String> seen = new CompletableFuture<>();
    try (RegionContext.Scope scope = RegionContext.open("eu", "ada")) {
      probe = new ContextPropagatingTaskDecorator().decorate(() -> seen.complete(describe()));
    }
    executor.submit(probe).get(5, TimeUnit.SECONDS);

    assertThat(seen.get()).isEqualTo("eu|ada");
    assertThat(executor.submit(ContextPropagationTest::describe).get(5, TimeUnit.SECONDS)).isEqualTo("none");
  }

  @Test
  void aWriteRecordedOnAnotherThreadIsSeenByTheRequestsContext() throws Exception {
    try (RegionContext.Scope scope = RegionContext.open("eu", "ada")) {
      Runnable write = ContextSnapshotFactory.builder().build().captureAll()
          .wrap(() -> RegionContext.current().orElseThrow().recordWrite(new WritePosition("eu", 42)));
      executor.submit(write).get(5, TimeUnit.SECONDS);

      assertThat(scope.context().lastWrite()).contains(new WritePosition("eu", 42));
    }
  }

  @Test
  void reactorKeepsTheRegionAcrossSchedulers_withAutomaticContextPropagation() {
    Hooks.enableAutomaticContextPropagation();
    try (RegionContext.Scope scope = RegionContext.open("us", "bob")) {
      String seen = Mono.fromCallable(ContextPropagationTest::describe)
          .subscribeOn(Schedulers.boundedElastic())
          .contextCapture()
          .block(Duration.ofSeconds(5));

      assertThat(seen).isEqualTo("us|bob");
    } finally {
      Hooks.disableAutomaticContextPropagation();
    }
  }

  private static String describe() {
    return RegionContext.current().map(c -> c.region() + "|" + c.subject().orElse("-")).orElse("none");
  }
}
