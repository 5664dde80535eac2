package io.github.regionrouter.spring.notes;

import io.github.regionrouter.RegionContext;
import java.util.concurrent.CompletableFuture;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/** An {@code @Async} method on Boot's auto-configured executor: which context does it see? */
@Component
public class AsyncProbe {

  @Async
  public CompletableFuture<String> context() {
    return CompletableFuture.completedFuture(Thread.currentThread().getName() + " "
        + RegionContext.current().map(c -> c.region() + "|" + c.subject().orElse("-")).orElse("none"));
  }
}
