package io.github.regionrouter.spring;

import io.github.regionrouter.HealthLevel;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.jwt.servlet.RegionRouterHealthServlet;
import jakarta.servlet.Servlet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health of the routing data source in Boot: the contributor {@code regionRouter} (children {@code basic},
 * {@code db}, {@code full}: the core's health levels), Boot's plain {@code db} indicator replaced by them (it
 * would borrow a connection with no region and report DOWN), the Actuator groups {@code basic}, {@code db},
 * {@code full}, the endpoint {@code regionrouter}, and the seed's
 * paths {@code /health/basic|db|full} on the main server (Boot's {@code additional-path} takes one segment
 * only, so they are served by the plain health servlet).
 */
@AutoConfiguration(after = RegionRouterAutoConfiguration.class,
    before = DataSourceHealthContributorAutoConfiguration.class)
@ConditionalOnBean(RegionRoutingDataSource.class)
@ConditionalOnProperty(prefix = "region-router", name = "enabled", havingValue = "true", matchIfMissing = true)
public class RegionRouterHealthAutoConfiguration {

  /** Created by Spring. */
  public RegionRouterHealthAutoConfiguration() {
  }

  /** Actuator health contributors. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class HealthContributors {

    /** Named {@code regionRouter} by Boot (the bean name without its {@code HealthContributor} suffix). */
    @Bean
    @ConditionalOnMissingBean(name = "regionRouterHealthContributor")
    HealthContributor regionRouterHealthContributor(RegionRoutingDataSource dataSource) {
      Map<String, HealthContributor> levels = new LinkedHashMap<>();
      for (HealthLevel level : HealthLevel.values()) {
        levels.put(level.path(), new RegionRouterHealthIndicator(dataSource, level));
      }
      return CompositeHealthContributor.fromMap(levels);
    }

    /**
     * Keeps Boot's plain {@code db} indicator away from this data source: it would borrow a connection with
     * no region (refused, so DOWN) and it cannot tell a lagging replica from a lost primary. Boot creates it
     * only when no bean is named {@code dbHealthContributor}; this bean takes the name without being a
     * contributor, because a contributor named {@code db} would clash with the {@code db} group, which serves
     * the router's db level ({@code regionRouter/db}).
     */
    @Bean(name = "dbHealthContributor")
    @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
    PlainDbIndicatorReplaced plainDbIndicatorReplaced() {
      return new PlainDbIndicatorReplaced();
    }
  }

  /** Stands in Boot's {@code dbHealthContributor} bean name; see {@code plainDbIndicatorReplaced()}. */
  static final class PlainDbIndicatorReplaced {
    @Override
    public String toString() {
      return "Boot's db indicator replaced by regionRouter/db and the db health group";
    }
  }

  /** The groups basic, db and full. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthEndpointGroupsPostProcessor.class)
  static class HealthGroups {

    @Bean
    @ConditionalOnMissingBean(name = "regionRouterHealthGroups")
    HealthEndpointGroupsPostProcessor regionRouterHealthGroups() {
      return new RegionRouterHealthGroups();
    }
  }

  /** The {@code regionrouter} Actuator endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  static class StatusEndpoint {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = RegionRouterEndpoint.class)
    RegionRouterEndpoint regionRouterEndpoint(RegionRoutingDataSource dataSource) {
      return new RegionRouterEndpoint(dataSource);
    }
  }

  /** {@code /health/basic}, {@code /health/db}, {@code /health/full} on the application's own server. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({Servlet.class, ServletRegistrationBean.class, RegionRouterHealthServlet.class})
  @ConditionalOnProperty(prefix = "region-router.health", name = "paths", havingValue = "true",
      matchIfMissing = true)
  static class HealthPaths {

    @Bean
    @ConditionalOnMissingBean(name = "regionRouterHealthServlet")
    ServletRegistrationBean<RegionRouterHealthServlet> regionRouterHealthServlet(
        RegionRoutingDataSource dataSource) {
      ServletRegistrationBean<RegionRouterHealthServlet> registration =
          new ServletRegistrationBean<>(new RegionRouterHealthServlet(dataSource), "/health/*");
      registration.setName("regionRouterHealth");
      return registration;
    }
  }
}
