package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A region whose primary cannot be reached stops start-up, and the message names the region. */
class MigrationStartupFailureTest {

  @Test
  void flywayStopsStartUp_namingTheRegionWhosePrimaryIsUnreachable() {
    new ApplicationContextRunner()
        .withConfiguration(RegionRouterAutoConfigurationTest.STARTER)
        .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
        .withPropertyValues(RegionRouterAutoConfigurationTest.NODES)
        .run(context -> {
          assertThat(context).hasFailed();
          Throwable failure = context.getStartupFailure();
          while (failure.getCause() != null && !(failure instanceof IllegalStateException
              && failure.getMessage().startsWith("Flyway cannot migrate"))) {
            failure = failure.getCause();
          }
          assertThat(failure).isInstanceOf(IllegalStateException.class)
              .hasMessageStartingWith("Flyway cannot migrate region 'eu': its primary is not reachable (")
              .hasMessageContaining("nodes: eu-primary (primary, down")
              .hasMessageEndingWith("Start-up stops so that no region runs on an unchecked schema; fix: make the "
                  + "primary of region 'eu' reachable (region-router.regions.eu.nodes), then restart");
        });
  }
}
