package io.github.regionrouter.spring.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * DESIGN.md's YAML with one bad value given on the command line, started as a real Boot application: start-up
 * fails and Boot's "APPLICATION FAILED TO START" report names the property, the value and the fix. The bad
 * values are refused before any connection, so the nodes point at a closed port. A role other than primary
 * or replica is Boot's own bind failure, whose analyzer lists the valid values.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadPropertiesAcceptanceTest {

  private static final String CLOSED = "jdbc:postgresql://127.0.0.1:1/app";
  private static final String ERU = "--region-router.regions.eu.nodes.eu-replica.";

  @Test
  void aNodeOutsideItsRegionsResidency_failsStartUpNamingPropertyValueAndFix(CapturedOutput output) {
    assertFailsToStart(ERU + "location=iad");

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("property region-router.regions.eu.nodes.eu-replica.location has value 'iad'; allowed: the "
            + "residency of region eu: ams, fra")
        .contains("fix: move the node to an allowed location, or add the location to "
            + "region-router.regions.eu.residency if the region's data may live there");
  }

  @Test
  void aRoleOtherThanPrimaryOrReplica_failsStartUpListingTheRoles(CapturedOutput output) {
    assertFailsToStart(ERU + "role=leader");

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Property: region-router.regions.eu.nodes.eu-replica.role").contains("Value: \"leader\"")
        .contains("The following values are valid:").contains("PRIMARY").contains("REPLICA");
  }

  @Test
  void aMissingUrl_failsStartUpNamingTheProperty(CapturedOutput output) {
    assertFailsToStart(ERU + "url=");

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("property region-router.regions.eu.nodes.eu-replica.url has value (unset); allowed: a JDBC "
            + "URL, jdbc:postgresql://host:port/db")
        .contains("fix: set the JDBC URL of node eu-replica");
  }

  @Test
  void aPoolSettingHikariRejects_failsStartUpNamingThatPropertyAndValue(CapturedOutput output) {
    assertFailsToStart("--region-router.pool.maximum-pool-size=0");

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("property region-router.pool.maximum-pool-size has value 0; allowed: what HikariCP accepts "
            + "(maxPoolSize cannot be less than 1)")
        .contains("fix: correct region-router.pool.maximum-pool-size or remove it for HikariCP's default");
  }

  @Test
  void aNodesPoolOverrideHikariRejects_namesTheNodesProperty(CapturedOutput output) {
    assertFailsToStart(ERU + "connection-timeout=100ms");

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("property region-router.regions.eu.nodes.eu-replica.connection-timeout has value 100ms; allowed: "
            + "what HikariCP accepts (connectionTimeout cannot be less than 250ms)");
  }

  private static void assertFailsToStart(String badArgument) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("DB_USER", "app");
    defaults.put("DB_PASSWORD", "secret");
    defaults.put("DB_REPLICA_PASSWORD", "secret");
    for (String node : new String[] {"EU_PRIMARY", "EU_REPLICA", "US_PRIMARY", "US_REPLICA_FRA"}) {
      defaults.put(node + "_URL", CLOSED);
    }
    defaults.put("JWKS_URI", "http://127.0.0.1:1/jwks.json");
    defaults.put("CONSISTENCY_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    defaults.put("spring.liquibase.enabled", "false");
    defaults.put("spring.flyway.enabled", "false");
    defaults.put("spring.autoconfigure.exclude",
        DesignYamlAcceptanceTest.NO_SECURITY.substring("spring.autoconfigure.exclude=".length()));

    assertThatThrownBy(() -> new SpringApplicationBuilder(AcceptanceApp.class).profiles("design")
        .web(WebApplicationType.NONE).properties(defaults).run(badArgument).close())
        .isInstanceOf(RuntimeException.class);
  }
}
