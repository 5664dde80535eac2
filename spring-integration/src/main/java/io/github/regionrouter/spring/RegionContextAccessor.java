package io.github.regionrouter.spring;

import io.github.regionrouter.RegionContext;
import io.micrometer.context.ThreadLocalAccessor;

/**
 * Carries the {@link RegionContext} (region, subject, read-your-writes state) across threads with Micrometer
 * context-propagation: {@code ContextPropagatingTaskDecorator} (the starter registers one for Boot's
 * {@code @Async} executor), {@code ContextSnapshot.wrap(...)}, and Reactor's automatic context propagation.
 * Registered through {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor}, so
 * {@code ContextRegistry.getInstance()} knows it without any Spring bean.
 *
 * <p>Stateless and thread-safe.
 */
public final class RegionContextAccessor implements ThreadLocalAccessor<RegionContext> {

  /** The key of the region context in a context snapshot or Reactor context. */
  public static final String KEY = "io.github.regionrouter.RegionContext";

  /** Created by the {@code ServiceLoader}. */
  public RegionContextAccessor() {
  }

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public RegionContext getValue() {
    return RegionContext.currentOrNull();
  }

  @Override
  public void setValue(RegionContext value) {
    // The returned scope is not needed: restore(...) or setValue() ends this attachment.
    RegionContext.attach(value);
  }

  @Override
  public void setValue() {
    RegionContext.attach(null);
  }

  @Override
  public void restore(RegionContext previousValue) {
    RegionContext.attach(previousValue);
  }
}
