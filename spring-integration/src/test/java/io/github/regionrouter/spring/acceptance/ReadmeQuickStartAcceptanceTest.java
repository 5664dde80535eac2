package io.github.regionrouter.spring.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.spring.RegionRouterAutoConfiguration;
import io.github.regionrouter.spring.RegionRouterContextPropagationAutoConfiguration;
import io.github.regionrouter.spring.RegionRouterHealthAutoConfiguration;
import io.github.regionrouter.spring.RegionRouterMigrationAutoConfiguration;
import io.github.regionrouter.spring.RegionRouterProperties;
import io.github.regionrouter.spring.RegionRouterWebAutoConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The README's Boot quick start, read from README.md itself: its {@code application.yml} binds as written
 * and, with the starter's auto-configurations, gives the routing data source, the JWT filter and the
 * consistency tokens. The nodes' hosts do not exist here; the data source starts anyway (pools tolerate a
 * node that is down at start-up), so this needs no database.
 */
class ReadmeQuickStartAcceptanceTest {

  private static final String KEY = Base64.getEncoder().encodeToString(
      "readme-consistency-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  @Test
  void theReadmesApplicationYmlBindsAsWritten() throws IOException {
    MutablePropertySources sources = readmeYaml();

    RegionRouterProperties bound = new Binder(ConfigurationPropertySources.from(sources),
        new PropertySourcesPlaceholdersResolver(sources))
        .bind("region-router", RegionRouterProperties.class).get();

    assertThat(bound.getLocalLocation()).isEqualTo("fra");
    assertThat(bound.getDefaultRegion()).isNull();
    assertThat(bound.getPool().getUsername()).isEqualTo("app");
    assertThat(bound.getPool().getPassword()).isEqualTo("db-secret");
    assertThat(bound.getRegions()).containsOnlyKeys("eu", "us");
    assertThat(bound.getRegions().get("eu").getResidency()).containsExactly("fra", "ams");
    assertThat(bound.getRegions().get("eu").getNodes()).containsOnlyKeys("eu-primary", "eu-replica");
    RegionRouterProperties.Node usReplica = bound.getRegions().get("us").getNodes().get("us-replica-fra");
    assertThat(usReplica.getRole()).isEqualTo(RegionRouterProperties.Role.REPLICA);
    assertThat(usReplica.getLocation()).isEqualTo("fra");
    assertThat(usReplica.getUrl()).isEqualTo("jdbc:postgresql://us-replica-fra.internal:5432/app");
    assertThat(bound.getJwt().getAlgorithms()).containsExactly("RS256");
    assertThat(bound.getJwt().getJwksUri()).hasToString("https://idp.example.com/.well-known/jwks.json");
    assertThat(bound.getJwt().getIssuer()).isEqualTo("https://idp.example.com/");
    assertThat(bound.getJwt().getUrlPatterns()).containsExactly("/*");
    assertThat(bound.getConsistency().getSigningKeys()).containsExactly(Map.entry("k1", KEY));
    assertThat(bound.getConsistency().isCookie()).isTrue();
  }

  @Test
  void theReadmesApplicationYmlStartsTheStarter() throws IOException {
    MutablePropertySources readme = readmeYaml();

    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RegionRouterAutoConfiguration.class,
            RegionRouterMigrationAutoConfiguration.class, RegionRouterContextPropagationAutoConfiguration.class,
            RegionRouterWebAutoConfiguration.class, RegionRouterHealthAutoConfiguration.class,
            DataSourceAutoConfiguration.class))
        .withInitializer(context -> readme.forEach(source ->
            context.getEnvironment().getPropertySources().addLast(source)))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(DataSource.class)
              .hasSingleBean(JwtRegionResolver.class).hasSingleBean(ConsistencyTokenCodec.class)
              .hasBean(RegionRouterWebAutoConfiguration.FILTER_REGISTRATION);
          assertThat(context.getBean(RegionRoutingDataSource.class).regions()).containsExactlyInAnyOrder("eu", "us");
        });
  }

  /** The first {@code yaml} block of the README's "Quick start: Spring Boot", with its two placeholders set. */
  private static MutablePropertySources readmeYaml() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("## Quick start: Spring Boot"));
    int start = section.indexOf("```yaml\n") + "```yaml\n".length();
    String yaml = section.substring(start, section.indexOf("```", start));
    List<PropertySource<?>> loaded = new YamlPropertySourceLoader().load("README application.yml",
        new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
    MutablePropertySources sources = new MutablePropertySources();
    loaded.forEach(sources::addLast);
    sources.addLast(new MapPropertySource("environment variables",
        Map.of("DB_PASSWORD", "db-secret", "CONSISTENCY_KEY", KEY)));
    return sources;
  }
}
