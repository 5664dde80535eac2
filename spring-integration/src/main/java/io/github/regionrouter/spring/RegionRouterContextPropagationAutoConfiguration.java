package io.github.regionrouter.spring;

import io.github.regionrouter.RegionContext;
import io.micrometer.context.ContextSnapshotFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Keeps the request's {@link RegionContext} in {@code @Async} methods on Boot's auto-configured executor
 * with Boot's default settings: Boot applies every {@code TaskDecorator} bean to that executor, and this one
 * propagates every registered {@code ThreadLocalAccessor}, the starter's {@link RegionContextAccessor}
 * included. When {@code spring.task.execution.propagate-context=true}, Boot registers the same decorator
 * itself and this one backs off.
 */
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class)
@ConditionalOnClass({RegionContext.class, ContextSnapshotFactory.class, ContextPropagatingTaskDecorator.class})
@ConditionalOnProperty(prefix = "region-router", name = "enabled", havingValue = "true", matchIfMissing = true)
public class RegionRouterContextPropagationAutoConfiguration {

  /** Created by Spring. */
  public RegionRouterContextPropagationAutoConfiguration() {
  }

  /**
   * The context-propagating decorator of Boot's task executor.
   *
   * @return a decorator that captures the caller's thread-local context
   */
  @Bean
  @ConditionalOnMissingBean(ContextPropagatingTaskDecorator.class)
  @ConditionalOnProperty(name = "spring.task.execution.propagate-context", havingValue = "false",
      matchIfMissing = true)
  public ContextPropagatingTaskDecorator regionRouterContextPropagatingTaskDecorator() {
    return new ContextPropagatingTaskDecorator();
  }
}
