package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.internal.HealthSettings;
import io.github.regionrouter.internal.RouterConfig;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Binding of {@code region-router.*} and the start-up failures of bad values: the core builder validates,
 * the starter names the property, its value, what is allowed and the fix.
 */
class PropertyValidationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(RegionRouterAutoConfigurationTest.STARTER)
      .withPropertyValues(RegionRouterAutoConfigurationTest.NODES);

  @Test
  void aDurationBelowTheBuildersLimit_namesThePropertyValueAndFix() {
    runner.withPropertyValues("region-router.max-replica-lag=0ms").run(context ->
        assertThat(propertyFailure(context))
            .hasMessage("property region-router.max-replica-lag has value 0ms; allowed: at least 1ms; fix: set "
                + "region-router.max-replica-lag to at least 1ms (e.g. 500ms) or remove it for the default"));
  }

  @Test
  void aMonitorIntervalBelow10ms_isRefused() {
    runner.withPropertyValues("region-router.monitor-interval=5ms").run(context ->
        assertThat(propertyFailure(context))
            .hasMessageStartingWith("property region-router.monitor-interval has value 5ms; allowed: at least 10ms;"));
  }

  @Test
  void aNodeOutsideItsRegionsResidency_namesTheNodesLocation() {
    runner.withPropertyValues("region-router.regions.eu.residency=fra,ams",
        "region-router.regions.eu.nodes.eu-replica.role=replica",
        "region-router.regions.eu.nodes.eu-replica.location=iad",
        "region-router.regions.eu.nodes.eu-replica.url=jdbc:postgresql://127.0.0.1:1/app").run(context ->
        assertThat(propertyFailure(context))
            .hasMessageStartingWith("property region-router.regions.eu.nodes.eu-replica.location has value 'iad'; "
                + "allowed: the residency of region eu: ams, fra")
            .hasMessageEndingWith("fix: move the node to an allowed location, or add the location to "
                + "region-router.regions.eu.residency if the region's data may live there"));
  }

  @Test
  void aNodeWithoutRole_listsTheRoles() {
    runner.withPropertyValues("region-router.regions.eu.nodes.eu-replica.location=fra",
        "region-router.regions.eu.nodes.eu-replica.url=jdbc:postgresql://127.0.0.1:1/app").run(context ->
        assertThat(propertyFailure(context))
            .hasMessage("property region-router.regions.eu.nodes.eu-replica.role has value (unset); allowed: "
                + "primary, replica; fix: set role: primary for the region's writable node, role: replica for "
                + "its standbys"));
  }

  @Test
  void aRegionWithoutPrimary_namesTheRegionsNodes() {
    new ApplicationContextRunner().withConfiguration(RegionRouterAutoConfigurationTest.STARTER)
        .withPropertyValues("region-router.regions.us.nodes.us-replica.role=replica",
            "region-router.regions.us.nodes.us-replica.location=fra",
            "region-router.regions.us.nodes.us-replica.url=jdbc:postgresql://127.0.0.1:1/app")
        .run(context -> assertThat(propertyFailure(context))
            .hasMessageStartingWith("property region-router.regions.us.nodes has value {us-replica: replica}; "
                + "allowed: exactly one node of role primary per region (all problems: region 'us' has no primary")
            .hasMessageEndingWith("fix: give region us exactly one node with role: primary"));
  }

  @Test
  void aDefaultRegionWithoutNodes_isRefused() {
    runner.withPropertyValues("region-router.default-region=apac").run(context ->
        assertThat(propertyFailure(context))
            .hasMessageStartingWith("property region-router.default-region has value 'apac'; allowed: one of the "
                + "configured regions [eu, us]"));
  }

  @Test
  void anEmptyDefaultRegion_meansNone_asYamlsValuelessKeyBindsIt() {
    // DESIGN.md's example writes `default-region:` with no value; Boot binds that as "", not as null.
    runner.withPropertyValues("region-router.default-region=").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(RegionRouterProperties.class).getDefaultRegion()).isNull();
    });
  }

  @Test
  void aShortConsistencyKey_isRefusedWithoutShowingIt() {
    new WebApplicationContextRunner().withConfiguration(RegionRouterAutoConfigurationTest.STARTER)
        .withPropertyValues(RegionRouterAutoConfigurationTest.NODES)
        .withPropertyValues("region-router.consistency.signing-keys.k1=c2hvcnQ=")
        .run(context -> assertThat(propertyFailure(context))
            .hasMessageStartingWith("property region-router.consistency.signing-keys.k1 has value (secret, not "
                + "shown); allowed: base64 of at least 32 random bytes")
            .hasMessageNotContaining("c2hvcnQ="));
  }

  @Test
  void anAntStyleUrlPattern_isRefused_sinceTheFilterWouldApplyToNoRequest() {
    new WebApplicationContextRunner().withConfiguration(RegionRouterAutoConfigurationTest.STARTER)
        .withPropertyValues(RegionRouterAutoConfigurationTest.NODES)
        .withPropertyValues(RegionRouterAutoConfigurationTest.JWT)
        .withPropertyValues("region-router.default-region=eu", "region-router.jwt.url-patterns=/health-check,/api/**")
        .run(context -> assertThat(propertyFailure(context))
            .hasMessage("property region-router.jwt.url-patterns[1] has value '/api/**'; allowed: servlet URL "
                + "patterns: /* or /api/* (a path and everything below it), *.json (an extension), /exact/path; "
                + "not Ant patterns such as /api/**; fix: write /api/* — a servlet pattern ending in /* already "
                + "covers every path below"));
  }

  @Test
  void servletUrlPatterns_areAccepted() {
    assertThat(RegionRouterWebAutoConfiguration.validUrlPatterns(List.of("/*", "/api/*", "*.json", "/exact", "/")))
        .hasSize(5);
  }

  @Test
  void anAsymmetricAlgorithmWithoutJwksUri_namesJwksUri() {
    new WebApplicationContextRunner().withConfiguration(RegionRouterAutoConfigurationTest.STARTER)
        .withPropertyValues(RegionRouterAutoConfigurationTest.NODES)
        .withPropertyValues("region-router.jwt.algorithms=RS256")
        .run(context -> assertThat(propertyFailure(context))
            .hasMessageStartingWith("property region-router.jwt.jwks-uri has value (unset); allowed: the https URL "
                + "of the JWK set that algorithms [RS256] need")
            .hasMessageEndingWith("fix: set region-router.jwt.jwks-uri to your identity provider's JWKS URL, e.g. "
                + "https://idp.example.com/.well-known/jwks.json"));
  }

  @Test
  void anHmacAlgorithmWithoutSecret_namesHmacSecret() {
    new WebApplicationContextRunner().withConfiguration(RegionRouterAutoConfigurationTest.STARTER)
        .withPropertyValues(RegionRouterAutoConfigurationTest.NODES)
        .withPropertyValues("region-router.jwt.algorithms=HS256")
        .run(context -> assertThat(propertyFailure(context))
            .hasMessageStartingWith("property region-router.jwt.hmac-secret has value (unset); allowed: the base64 "
                + "HMAC secret that algorithms [HS256] need")
            .hasMessageEndingWith("or remove the HS algorithms from region-router.jwt.algorithms"));
  }

  @Test
  void theFailureAnalyzerPrintsPropertyValueAllowedAndFix() {
    RegionRouterPropertyException failure = new RegionRouterPropertyException("region-router.monitor-interval",
        "5ms", "at least 10ms", "set it to 250ms", null);

    FailureAnalysis analysis = new RegionRouterPropertyFailureAnalyzer()
        .analyze(new IllegalStateException("wrapped", failure));

    assertThat(analysis.getDescription())
        .isEqualTo("property region-router.monitor-interval has value 5ms; allowed: at least 10ms");
    assertThat(analysis.getAction()).isEqualTo("fix: set it to 250ms");
  }

  @Test
  void theFailureAnalyzerIsRegisteredWithBoot() throws Exception {
    List<String> analyzers = new ArrayList<>();
    for (java.net.URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
      java.util.Properties factories = new java.util.Properties();
      try (InputStream in = url.openStream()) {
        factories.load(in);
      }
      String names = factories.getProperty("org.springframework.boot.diagnostics.FailureAnalyzer", "");
      analyzers.addAll(List.of(names.split("\\s*,\\s*")));
    }
    assertThat(analyzers).contains(RegionRouterPropertyFailureAnalyzer.class.getName());
  }

  @Test
  void nodeSettingsOverrideThePoolSettings() {
    PoolSettings pool = new PoolSettings();
    pool.setUsername("app");
    pool.setPassword("secret");
    pool.setMaximumPoolSize(7);
    pool.setConnectionTimeout(Duration.ofSeconds(3));
    RegionRouterProperties.Node node = new RegionRouterProperties.Node();
    node.setUrl("jdbc:postgresql://127.0.0.1:1/app");
    node.setUsername("reader");
    node.setMaximumPoolSize(3);
    node.getDataSourceProperties().put("sslmode", "require");

    HikariConfig config = RegionRoutingDataSourceFactory.hikariConfig(pool, node, "n");

    assertThat(config.getUsername()).isEqualTo("reader");
    assertThat(config.getPassword()).isEqualTo("secret");
    assertThat(config.getMaximumPoolSize()).isEqualTo(3);
    assertThat(config.getConnectionTimeout()).isEqualTo(3000);
    assertThat(config.getJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:1/app");
    assertThat(config.getDataSourceProperties()).containsEntry("sslmode", "require");
  }

  @Test
  void metadataDefaultsAreTheCoreAndHikariDefaults() throws Exception {
    Map<String, JsonNode> properties;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      properties = new java.util.LinkedHashMap<>();
      for (JsonNode p : root.get("properties")) {
        properties.put(p.get("name").asString(), p);
      }
    }
    HikariConfig hikari = new HikariConfig();
    Map<String, Object> expected = Map.ofEntries(
        Map.entry("region-router.max-replica-lag", RouterConfig.DEFAULT_MAX_REPLICA_LAG),
        Map.entry("region-router.read-your-writes-window", RouterConfig.DEFAULT_READ_YOUR_WRITES_WINDOW),
        Map.entry("region-router.read-your-writes-wait", RouterConfig.DEFAULT_READ_YOUR_WRITES_WAIT),
        Map.entry("region-router.monitor-interval", RouterConfig.DEFAULT_MONITOR_INTERVAL),
        Map.entry("region-router.latency-window", RouterConfig.DEFAULT_LATENCY_WINDOW),
        Map.entry("region-router.replica-borrow-timeout", RouterConfig.DEFAULT_REPLICA_BORROW_TIMEOUT),
        Map.entry("region-router.health.lag-grace", HealthSettings.DEFAULT_LAG_GRACE),
        Map.entry("region-router.pool.connection-timeout", Duration.ofMillis(hikari.getConnectionTimeout())),
        Map.entry("region-router.pool.idle-timeout", Duration.ofMillis(hikari.getIdleTimeout())),
        Map.entry("region-router.pool.max-lifetime", Duration.ofMillis(hikari.getMaxLifetime())),
        Map.entry("region-router.pool.keepalive-time", Duration.ofMillis(hikari.getKeepaliveTime())),
        Map.entry("region-router.pool.validation-timeout", Duration.ofMillis(hikari.getValidationTimeout())));
    expected.forEach((name, value) -> assertThat(parse(properties.get(name).get("defaultValue").asString()))
        .as(name).isEqualTo(value));
    assertThat(properties.get("region-router.pool.maximum-pool-size").get("defaultValue").asInt())
        .isEqualTo(hikari.getMaximumPoolSize() > 0 ? hikari.getMaximumPoolSize() : 10);
    assertThat(properties.get("region-router.health.full-max-failing").get("defaultValue").asInt())
        .isEqualTo(HealthSettings.DEFAULT_FULL_MAX_FAILING);
    assertThat(Stream.of("region-router.enabled", "region-router.jwt.region-claim", "region-router.jwt.url-patterns",
        "region-router.health.lag-grace", "region-router.health.full-max-failing", "region-router.consistency.cookie")
        .filter(name -> !properties.get(name).has("defaultValue"))).isEmpty();
    assertThat(properties.values().stream().filter(p -> !p.has("description")).map(p -> p.get("name").asString()))
        .isEmpty();
  }

  /** The starter's property failure in the start-up failure's cause chain (it wraps the builder's). */
  static RegionRouterPropertyException propertyFailure(AssertableApplicationContext context) {
    return find(context.getStartupFailure());
  }

  static RegionRouterPropertyException propertyFailure(AssertableWebApplicationContext context) {
    return find(context.getStartupFailure());
  }

  private static RegionRouterPropertyException find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RegionRouterPropertyException property) {
        return property;
      }
    }
    throw new AssertionError("no RegionRouterPropertyException in the start-up failure", failure);
  }

  private static Duration parse(String text) {
    return org.springframework.boot.convert.DurationStyle.detectAndParse(text);
  }
}
