package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import io.github.regionrouter.jwt.servlet.RegionRoutingFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Every condition and back-off of the starter, without a database: nodes point at a closed port, which the
 * data source tolerates at start-up (its pools start even when their node is down).
 */
@ExtendWith(OutputCaptureExtension.class)
class RegionRouterAutoConfigurationTest {

  static final String[] NODES = {
      "region-router.local-location=fra",
      "region-router.regions.eu.nodes.eu-primary.role=primary",
      "region-router.regions.eu.nodes.eu-primary.location=fra",
      "region-router.regions.eu.nodes.eu-primary.url=jdbc:postgresql://127.0.0.1:1/app",
      "region-router.regions.us.nodes.us-primary.role=primary",
      "region-router.regions.us.nodes.us-primary.location=iad",
      "region-router.regions.us.nodes.us-primary.url=jdbc:postgresql://127.0.0.1:1/app"};

  static final String[] JWT = {"region-router.jwt.algorithms=HS256",
      "region-router.jwt.hmac-secret=" + HmacTokens.SECRET_BASE64};

  static final AutoConfigurations STARTER = AutoConfigurations.of(RegionRouterAutoConfiguration.class,
      RegionRouterMigrationAutoConfiguration.class, RegionRouterContextPropagationAutoConfiguration.class,
      RegionRouterWebAutoConfiguration.class, RegionRouterHealthAutoConfiguration.class,
      DataSourceAutoConfiguration.class, DataSourceHealthContributorAutoConfiguration.class,
      TaskExecutionAutoConfiguration.class);

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(STARTER);
  private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(STARTER);

  @Test
  void definesTheRoutingDataSourceAsTheOnlyDataSource() {
    runner.withPropertyValues(NODES).run(context -> {
      assertThat(context).hasSingleBean(DataSource.class).hasSingleBean(RegionRoutingDataSource.class);
      assertThat(context.getBean(RegionRoutingDataSource.class).regions()).containsExactlyInAnyOrder("eu", "us");
    });
  }

  @Test
  void backsOff_whenTheApplicationDefinesItsOwnDataSource() {
    runner.withPropertyValues(NODES).withBean("mine", DataSource.class, HikariDataSource::new).run(context -> {
      assertThat(context).hasSingleBean(DataSource.class).doesNotHaveBean(RegionRoutingDataSource.class);
      assertThat(context).hasBean("mine");
    });
  }

  @Test
  void backsOff_whenDisabled() {
    runner.withPropertyValues(NODES).withPropertyValues("region-router.enabled=false",
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/app").run(context -> {
          assertThat(context).doesNotHaveBean(RegionRoutingDataSource.class)
              .doesNotHaveBean(ContextPropagatingTaskDecorator.class)
              .doesNotHaveBean(FlywayMigrationStrategy.class);
          assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
        });
  }

  @Test
  void leavesBootsDataSourceAlone_whenNoRegionIsConfigured() {
    runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/app").run(context -> {
      assertThat(context).doesNotHaveBean(RegionRoutingDataSource.class);
      assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
    });
  }

  @Test
  void publishesMetricsToTheApplicationsMeterRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    runner.withPropertyValues(NODES).withBean(MeterRegistry.class, () -> registry).run(context -> {
      assertThat(context).hasSingleBean(RegionRoutingDataSource.class);
      assertThat(registry.find("regionrouter.node.up").gauges()).hasSize(2);
    });
  }

  @Test
  void startsWithoutAMeterRegistry_andWithoutMicrometer() {
    runner.withPropertyValues(NODES).run(context -> assertThat(context).hasSingleBean(RegionRoutingDataSource.class));
    runner.withPropertyValues(NODES).withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(context -> assertThat(context).hasSingleBean(RegionRoutingDataSource.class));
  }

  @Test
  void registersTheJwtFilter_whenJwtIsConfiguredAndSecurityIsNotVerifying() {
    web.withPropertyValues(NODES).withPropertyValues(JWT).run(context -> {
      ExcludedPathsFilter filter = registeredFilter(context.getBean(
          RegionRouterWebAutoConfiguration.FILTER_REGISTRATION, FilterRegistrationBean.class));
      assertThat(filter.delegate()).isInstanceOf(RegionRoutingFilter.class);
      assertThat(filter.toString()).endsWith("(not for [/actuator, /health])");
    });
  }

  @Test
  void registersTheJwtFilter_whenSpringSecurityIsAbsent() {
    web.withPropertyValues(NODES).withPropertyValues(JWT)
        .withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .run(context -> assertThat(registeredFilter(context.getBean(
            RegionRouterWebAutoConfiguration.FILTER_REGISTRATION, FilterRegistrationBean.class)).delegate())
            .isInstanceOf(RegionRoutingFilter.class));
  }

  @Test
  void takesTheRegionFromSecuritysJwt_whenAJwtDecoderExists_rightAfterSecuritysChain() {
    web.withPropertyValues(NODES).withPropertyValues(JWT)
        .withBean(JwtDecoder.class, () -> token -> {
          throw new UnsupportedOperationException("not called");
        })
        .run(context -> {
          FilterRegistrationBean<?> registration = context.getBean(
              RegionRouterWebAutoConfiguration.FILTER_REGISTRATION, FilterRegistrationBean.class);
          assertThat(registeredFilter(registration).delegate()).isInstanceOf(SecurityJwtRegionFilter.class);
          assertThat(registration.getOrder()).isEqualTo(-99);
          assertThat(registration.getUrlPatterns()).containsExactly("/*");
        });
  }

  @Test
  void warnsThatRegionRoutersOwnVerificationSettingsHaveNoEffect_whenSecurityVerifies(CapturedOutput output) {
    web.withPropertyValues(NODES).withPropertyValues(JWT)
        .withPropertyValues("region-router.jwt.issuer=https://idp.example.com/",
            "region-router.jwt.audiences=orders-api")
        .withBean(JwtDecoder.class, () -> token -> {
          throw new UnsupportedOperationException("not called");
        })
        .run(context -> assertThat(context).hasNotFailed());

    assertThat(output).contains("region-router: region-router.jwt.algorithms, region-router.jwt.hmac-secret, "
        + "region-router.jwt.issuer, region-router.jwt.audiences have no effect: Spring Security's resource "
        + "server verifies the tokens");
  }

  @Test
  void registersNoFilter_inANonWebApplication() {
    runner.withPropertyValues(NODES).withPropertyValues(JWT).run(context ->
        assertThat(context).doesNotHaveBean(RegionRouterWebAutoConfiguration.FILTER_REGISTRATION));
  }

  @Test
  void registersNoFilter_withoutSecurityOrJwtSettings() {
    web.withPropertyValues(NODES).run(context ->
        assertThat(context).doesNotHaveBean(RegionRouterWebAutoConfiguration.FILTER_REGISTRATION));
  }

  @Test
  void createsTheConsistencyCodec_onlyWhenSigningKeysAreSet() {
    web.withPropertyValues(NODES).withPropertyValues(JWT)
        .run(context -> assertThat(context).doesNotHaveBean(ConsistencyTokenCodec.class));
    web.withPropertyValues(NODES).withPropertyValues(JWT)
        .withPropertyValues("region-router.consistency.signing-keys.k1=" + HmacTokens.SECRET_BASE64)
        .run(context -> assertThat(context).hasSingleBean(ConsistencyTokenCodec.class));
  }

  @Test
  void migratesPerRegion_whenFlywayIsPresent_andBacksOffToTheApplicationsStrategy() {
    runner.withPropertyValues(NODES).run(context ->
        assertThat(context).hasBean("regionRouterFlywayMigrationStrategy"));
    runner.withPropertyValues(NODES).withClassLoader(new FilteredClassLoader(Flyway.class)).run(context ->
        assertThat(context).doesNotHaveBean(FlywayMigrationStrategy.class));
    FlywayMigrationStrategy mine = Flyway::migrate;
    runner.withPropertyValues(NODES).withBean(FlywayMigrationStrategy.class, () -> mine).run(context ->
        assertThat(context.getBean(FlywayMigrationStrategy.class)).isSameAs(mine));
  }

  @Test
  void migratesPerRegion_whenLiquibaseIsPresent() {
    runner.withPropertyValues(NODES).run(context ->
        assertThat(context).hasBean("regionRouterLiquibasePerRegion"));
    runner.withPropertyValues(NODES).withClassLoader(new FilteredClassLoader(SpringLiquibase.class)).run(context ->
        assertThat(context).doesNotHaveBean("regionRouterLiquibasePerRegion"));
  }

  @Test
  void propagatesTheContextToBootsExecutor_unlessBootDoesItAlready() {
    runner.withPropertyValues(NODES).run(context ->
        assertThat(context).hasSingleBean(ContextPropagatingTaskDecorator.class)
            .hasBean("regionRouterContextPropagatingTaskDecorator"));
    runner.withPropertyValues(NODES).withPropertyValues("spring.task.execution.propagate-context=true")
        .run(context -> assertThat(context).hasSingleBean(ContextPropagatingTaskDecorator.class)
            .doesNotHaveBean("regionRouterContextPropagatingTaskDecorator"));
  }

  @Test
  void contributesTheHealthLevels_andKeepsBootsPlainDbIndicatorAway_whenActuatorIsPresent() {
    web.withPropertyValues(NODES).run(context -> {
      assertThat(context).hasBean("regionRouterHealthContributor").hasBean("regionRouterHealthGroups")
          .hasBean("regionRouterHealthServlet")
          .doesNotHaveBean(org.springframework.boot.jdbc.health.DataSourceHealthIndicator.class);
      assertThat(context.getBean("dbHealthContributor"))
          .isNotInstanceOf(org.springframework.boot.health.contributor.HealthContributor.class);
    });
    runner.withPropertyValues(NODES).withPropertyValues("region-router.health.paths=false")
        .withClassLoader(new FilteredClassLoader(org.springframework.boot.health.contributor.HealthIndicator.class))
        .run(context -> assertThat(context).doesNotHaveBean("regionRouterHealthContributor")
            .doesNotHaveBean("regionRouterHealthServlet"));
  }

  private static ExcludedPathsFilter registeredFilter(FilterRegistrationBean<?> registration) {
    return (ExcludedPathsFilter) registration.getFilter();
  }
}
