package io.github.regionrouter.spring;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code region-router.regions} has at least one entry: the starter on the class path alone
 * does not take over an application's data source.
 */
final class OnRegionsConfigured extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, Object> regions = Binder.get(context.getEnvironment())
        .bind("region-router.regions", Bindable.mapOf(String.class, Object.class))
        .orElse(Map.of());
    return regions.isEmpty()
        ? ConditionOutcome.noMatch("region-router.regions is not set")
        : ConditionOutcome.match("region-router.regions names " + regions.keySet());
  }
}
