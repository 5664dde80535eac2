package io.github.regionrouter.spring;

import io.github.regionrouter.RegionRoutingDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link DataSource}: a {@link RegionRoutingDataSource} built from
 * {@code region-router.*}, defined before Boot's own DataSource auto-configuration (which then backs off) and
 * backing off itself when the application defines a {@code DataSource}. Metrics go to the application's
 * {@link MeterRegistry} when there is exactly one.
 *
 * <p>Active when {@code region-router.enabled} is not false and {@code region-router.regions} is set.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(RegionRoutingDataSource.class)
@ConditionalOnProperty(prefix = "region-router", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(RegionRouterProperties.class)
public class RegionRouterAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RegionRouterAutoConfiguration.class);

  /** Created by Spring. */
  public RegionRouterAutoConfiguration() {
  }

  /**
   * The routing data source; closed with the context (monitor stopped, every pool closed).
   *
   * @param properties  the bound properties
   * @param customizers applied after the properties, in order
   * @return the started data source
   * @throws RegionRouterPropertyException when a property is rejected
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(DataSource.class)
  @Conditional(OnRegionsConfigured.class)
  public RegionRoutingDataSource dataSource(RegionRouterProperties properties,
      ObjectProvider<RegionRoutingDataSourceCustomizer> customizers) {
    long started = System.nanoTime();
    RegionRoutingDataSource dataSource =
        RegionRoutingDataSourceFactory.build(properties, customizers.orderedStream().toList());
    log.debug("region-router data source started in {} ms", (System.nanoTime() - started) / 1_000_000);
    return dataSource;
  }

  /** Hands the application's {@link MeterRegistry} to the builder, when Micrometer and one registry exist. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "regionRouterMeterRegistryCustomizer")
    RegionRoutingDataSourceCustomizer regionRouterMeterRegistryCustomizer(ObjectProvider<MeterRegistry> registry) {
      // ObjectProvider, not a plain parameter: slices such as @DataJpaTest have no MeterRegistry.
      return builder -> {
        MeterRegistry unique = registry.getIfUnique();
        if (unique != null) {
          builder.meterRegistry(unique);
        }
      };
    }
  }
}
