package io.github.regionrouter.spring;

import io.github.regionrouter.HealthLevel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Adds the Actuator health groups {@code basic}, {@code db} and {@code full} ({@code /actuator/health/db} …),
 * each holding the matching child of the {@code regionRouter} contributor, showing its details (node names,
 * roles, lag; never a URL or credential), with the primary group's status aggregation and HTTP mapping
 * (DOWN: 503). Added as beans rather than as {@code management.endpoint.health.group.*} defaults, so they
 * exist exactly when the contributor does; a group of the same name that the application configures wins.
 *
 * <p>Stateless and thread-safe.
 */
final class RegionRouterHealthGroups implements HealthEndpointGroupsPostProcessor {

  @Override
  public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
    Map<String, HealthEndpointGroup> all = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      all.put(name, groups.get(name));
    }
    HealthEndpointGroup primary = groups.getPrimary();
    for (HealthLevel level : HealthLevel.values()) {
      all.putIfAbsent(level.path(), new LevelGroup("regionRouter/" + level.path(), primary));
    }
    return HealthEndpointGroups.of(primary, all);
  }

  /** One level: the one leaf {@code regionRouter/<level>}. */
  private record LevelGroup(String member, HealthEndpointGroup primary) implements HealthEndpointGroup {

    @Override
    public boolean isMember(String name) {
      return member.equals(name);
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return true;
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return true;
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return primary.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return primary.getHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return null;
    }
  }
}
