package io.github.regionrouter.spring;

import io.github.regionrouter.RegionRoutingDataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.flywaydb.core.Flyway;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flyway and Liquibase once per region primary, each inside that region's context, instead of Boot's single
 * run. Flyway: a {@link FlywayMigrationStrategy} (backs off to the application's own). Liquibase: Boot's
 * {@link SpringLiquibase} bean is kept with all its {@code spring.liquibase.*} settings; its single run is
 * turned into one run per region. A migration of a data source other than the routing one (a separate
 * {@code spring.flyway.url}) runs once, as Boot would.
 */
@AutoConfiguration(after = RegionRouterAutoConfiguration.class,
    before = {FlywayAutoConfiguration.class, LiquibaseAutoConfiguration.class})
@ConditionalOnClass(RegionRoutingDataSource.class)
@ConditionalOnProperty(prefix = "region-router", name = "enabled", havingValue = "true", matchIfMissing = true)
public class RegionRouterMigrationAutoConfiguration {

  /** Created by Spring. */
  public RegionRouterMigrationAutoConfiguration() {
  }

  /** Flyway per region. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Flyway.class, FlywayMigrationStrategy.class})
  static class FlywayConfiguration {

    @Bean
    @ConditionalOnMissingBean(FlywayMigrationStrategy.class)
    FlywayMigrationStrategy regionRouterFlywayMigrationStrategy() {
      return flyway -> {
        if (flyway.getConfiguration().getDataSource() instanceof RegionRoutingDataSource routing) {
          RegionMigrations.run("Flyway", routing, region -> flyway.migrate());
        } else {
          flyway.migrate();
        }
      };
    }
  }

  /** Liquibase per region. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(SpringLiquibase.class)
  static class LiquibaseConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "regionRouterLiquibasePerRegion")
    static BeanPostProcessor regionRouterLiquibasePerRegion() {
      return new LiquibasePerRegion();
    }
  }

  /**
   * Runs {@link SpringLiquibase} once per region before the container initializes it, each time on a data
   * source bound to that region; the container's own run then finds the last region up to date (a cheap
   * re-check), and the bean gets the routing data source back. Keeping Boot's bean keeps every
   * {@code spring.liquibase.*} setting, and its name, on which Boot's initialization ordering (JPA after
   * migrations) relies. (Liquibase 5 has no public switch to hold its own run back.)
   */
  static final class LiquibasePerRegion implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
      if (bean instanceof SpringLiquibase liquibase
          && liquibase.getDataSource() instanceof RegionRoutingDataSource routing) {
        RegionMigrations.run("Liquibase", routing, region -> {
          liquibase.setDataSource(new RegionBoundDataSource(routing, region));
          try {
            liquibase.afterPropertiesSet();
          } catch (liquibase.exception.LiquibaseException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        });
      }
      return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
      if (bean instanceof SpringLiquibase liquibase
          && liquibase.getDataSource() instanceof RegionBoundDataSource bound) {
        liquibase.setDataSource(bound.routing());
      }
      return bean;
    }
  }

  /** Borrows every connection in one region's context (for tools that borrow on threads of their own). */
  static final class RegionBoundDataSource extends org.springframework.jdbc.datasource.DelegatingDataSource {

    private final String region;

    RegionBoundDataSource(RegionRoutingDataSource routing, String region) {
      super(routing);
      this.region = region;
    }

    RegionRoutingDataSource routing() {
      return (RegionRoutingDataSource) obtainTargetDataSource();
    }

    @Override
    public java.sql.Connection getConnection() throws java.sql.SQLException {
      try (io.github.regionrouter.RegionContext.Scope scope = io.github.regionrouter.RegionContext.open(region)) {
        return super.getConnection();
      }
    }
  }
}
