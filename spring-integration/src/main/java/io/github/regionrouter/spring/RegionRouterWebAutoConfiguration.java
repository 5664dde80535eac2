package io.github.regionrouter.spring;

import io.github.regionrouter.RegionDirectory;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.servlet.RegionRequestScope;
import io.github.regionrouter.jwt.servlet.RegionRoutingFilter;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The region of every HTTP request. With Spring Security's resource server verifying JWTs (a
 * {@code JwtDecoder} bean), a filter right after Security's chain takes region and subject from the verified
 * {@code Jwt}; otherwise, when {@code region-router.jwt.*} is set, the JWT filter of {@code region-router-jwt}
 * verifies the bearer token itself. Consistency tokens on both paths when
 * {@code region-router.consistency.signing-keys} is set. Actuator and {@code /health/*} never pass through.
 */
@AutoConfiguration(after = RegionRouterAutoConfiguration.class,
    afterName = "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RegionRoutingFilter.class, Filter.class, FilterRegistrationBean.class})
@ConditionalOnBean(RegionRoutingDataSource.class)
@ConditionalOnProperty(prefix = "region-router", name = "enabled", havingValue = "true", matchIfMissing = true)
public class RegionRouterWebAutoConfiguration {

  /** The name of the filter registration bean, on either path. */
  public static final String FILTER_REGISTRATION = "regionRouterFilterRegistration";

  private static final Logger log = LoggerFactory.getLogger(RegionRouterWebAutoConfiguration.class);
  private static final String JWT_DECODER = "org.springframework.security.oauth2.jwt.JwtDecoder";

  /** Created by Spring. */
  public RegionRouterWebAutoConfiguration() {
  }

  /**
   * The consistency-token codec: the first of {@code region-router.consistency.signing-keys} signs, all
   * verify; tokens live for the read-your-writes window.
   *
   * @param properties the bound properties
   * @return the codec
   * @throws RegionRouterPropertyException when a key is not valid base64 or too short
   */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnSigningKeys.class)
  public ConsistencyTokenCodec regionRouterConsistencyTokenCodec(RegionRouterProperties properties,
      ObjectProvider<CodecMetrics> metrics) {
    ConsistencyTokenCodec.Builder builder = ConsistencyTokenCodec.builder()
        .window(properties.getReadYourWritesWindow());
    metrics.ifAvailable(m -> m.accept(builder));
    Iterator<Map.Entry<String, String>> keys = properties.getConsistency().getSigningKeys().entrySet().iterator();
    boolean first = true;
    while (keys.hasNext()) {
      Map.Entry<String, String> key = keys.next();
      String property = "region-router.consistency.signing-keys." + key.getKey();
      try {
        byte[] secret = Base64.getDecoder().decode(key.getValue().strip());
        if (first) {
          builder.signingKey(key.getKey(), secret);
        } else {
          builder.verificationKey(key.getKey(), secret);
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new RegionRouterPropertyException(property, "(secret, not shown)",
            "base64 of at least 32 random bytes (" + e.getMessage() + ")",
            "generate one with `openssl rand -base64 32` and use the same on every instance", e);
      }
      first = false;
    }
    return builder.build();
  }

  static RegionRequestScope requestScope(RegionRouterProperties properties, ConsistencyTokenCodec codec) {
    RegionRouterProperties.Consistency consistency = properties.getConsistency();
    return new RegionRequestScope(codec, consistency.getHeader(),
        consistency.isCookie() ? consistency.getCookiePath() : null);
  }

  /** Hands the application's MeterRegistry to the codec (rejected-token counter); absent without Micrometer. */
  @FunctionalInterface
  interface CodecMetrics extends java.util.function.Consumer<ConsistencyTokenCodec.Builder> {
  }

  /** The codec's metrics, when Micrometer is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(io.micrometer.core.instrument.MeterRegistry.class)
  static class CodecMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "regionRouterConsistencyCodecMetrics")
    CodecMetrics regionRouterConsistencyCodecMetrics(
        ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
      return builder -> {
        io.micrometer.core.instrument.MeterRegistry unique = registry.getIfUnique();
        if (unique != null) {
          builder.meterRegistry(unique);
        }
      };
    }
  }

  static List<String> excludedPaths(Environment environment) {
    List<String> paths = new ArrayList<>();
    paths.add(environment.getProperty("management.endpoints.web.base-path", "/actuator"));
    paths.add("/health");
    return paths;
  }

  static <F extends Filter> FilterRegistrationBean<Filter> register(F filter, RegionRouterProperties properties,
      Environment environment, int order) {
    FilterRegistrationBean<Filter> registration =
        new FilterRegistrationBean<>(new ExcludedPathsFilter(filter, excludedPaths(environment)));
    registration.setName("regionRoutingFilter");
    registration.setUrlPatterns(validUrlPatterns(properties.getJwt().getUrlPatterns()));
    registration.setOrder(order);
    return registration;
  }

  /**
   * The patterns, if each is a servlet URL pattern. An Ant pattern such as {@code /api/**} is not one: the
   * container would map the filter to no request at all, so requests would run without their token's
   * region (in the default region, when one is set) — a residency hole from a one-character habit.
   *
   * @throws RegionRouterPropertyException naming the first pattern that is not a servlet pattern
   */
  static List<String> validUrlPatterns(List<String> patterns) {
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      boolean prefix = pattern.startsWith("/") && pattern.endsWith("/*")
          && pattern.indexOf('*') == pattern.length() - 1;
      boolean extension = pattern.startsWith("*.") && pattern.indexOf('*', 1) < 0 && pattern.indexOf('/') < 0;
      boolean exact = pattern.startsWith("/") && pattern.indexOf('*') < 0;
      if (!prefix && !extension && !exact) {
        throw new RegionRouterPropertyException("region-router.jwt.url-patterns[" + i + "]", "'" + pattern + "'",
            "servlet URL patterns: /* or /api/* (a path and everything below it), *.json (an extension), "
                + "/exact/path; not Ant patterns such as /api/**",
            "write " + suggestion(pattern) + " — a servlet pattern ending in /* already covers every path below",
            null);
      }
    }
    return patterns;
  }

  private static String suggestion(String pattern) {
    int star = pattern.indexOf('*');
    String base = star < 0 ? pattern : pattern.substring(0, star);
    if (!base.startsWith("/")) {
      base = "/" + base;
    }
    return (base.endsWith("/") ? base : base + "/") + "*";
  }

  /** Region from the JWT that Spring Security's resource server verified. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {JWT_DECODER,
      "org.springframework.security.core.context.SecurityContextHolder"})
  @ConditionalOnBean(type = JWT_DECODER)
  static class SecurityJwtConfiguration {

    SecurityJwtConfiguration(RegionRouterProperties properties) {
      List<String> ignored = ignoredVerificationSettings(properties.getJwt());
      if (!ignored.isEmpty()) {
        // A silent no-op here is a security trap: an operator reading jwt.issuer or jwt.audiences in the
        // YAML believes they are enforced, while only Spring Security's own settings are.
        log.warn("region-router: {} have no effect: Spring Security's resource server verifies the tokens, "
            + "so only its spring.security.oauth2.resourceserver.jwt.* settings (issuer-uri, audiences, "
            + "jws-algorithms, ...) are checked; region-router.jwt.region-claim, region-mapping and url-patterns "
            + "still apply. Move the checks to spring.security.oauth2.resourceserver.jwt.* and remove these",
            String.join(", ", ignored));
      }
    }

    static List<String> ignoredVerificationSettings(RegionRouterProperties.Jwt jwt) {
      List<String> ignored = new ArrayList<>();
      String p = "region-router.jwt.";
      if (!jwt.getAlgorithms().isEmpty()) {
        ignored.add(p + "algorithms");
      }
      if (jwt.getJwksUri() != null) {
        ignored.add(p + "jwks-uri");
      }
      if (jwt.getHmacSecret() != null) {
        ignored.add(p + "hmac-secret");
      }
      if (jwt.getIssuer() != null) {
        ignored.add(p + "issuer");
      }
      if (!jwt.getAudiences().isEmpty()) {
        ignored.add(p + "audiences");
      }
      return ignored;
    }

    @Bean(FILTER_REGISTRATION)
    @ConditionalOnMissingBean(name = FILTER_REGISTRATION)
    FilterRegistrationBean<Filter> regionRouterFilterRegistration(RegionRouterProperties properties,
        RegionRoutingDataSource dataSource, ObjectProvider<ConsistencyTokenCodec> codec,
        ObjectProvider<RegionDirectory> directory, Environment environment) {
      SecurityJwtRegionFilter filter = new SecurityJwtRegionFilter(properties.getJwt().getRegionClaim(),
          properties.getJwt().getRegionMapping(), dataSource.regions(), properties.getDefaultRegion(),
          directory.getIfUnique(),
          requestScope(properties, codec.getIfUnique()));
      // Right after Security's chain (spring.security.filter.order, default -100): the Jwt is verified by then.
      int securityOrder = environment.getProperty("spring.security.filter.order", Integer.class, -100);
      return register(filter, properties, environment, securityOrder + 1);
    }
  }

  /** Region from a bearer JWT verified by region-router's own filter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(type = JWT_DECODER)
  @Conditional(OnJwtConfigured.class)
  static class JwtFilterConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    JwtRegionResolver regionRouterJwtRegionResolver(RegionRouterProperties properties) {
      return JwtResolverFactory.build(properties.getJwt());
    }

    @Bean(FILTER_REGISTRATION)
    @ConditionalOnMissingBean(name = FILTER_REGISTRATION)
    FilterRegistrationBean<Filter> regionRouterFilterRegistration(RegionRouterProperties properties,
        RegionRoutingDataSource dataSource, JwtRegionResolver resolver, ObjectProvider<ConsistencyTokenCodec> codec,
        ObjectProvider<RegionDirectory> directory, Environment environment) {
      RegionRoutingFilter.Builder builder = RegionRoutingFilter.builder()
          .resolver(resolver)
          .knownRegions(dataSource.regions())
          .consistencyHeader(properties.getConsistency().getHeader());
      if (properties.getDefaultRegion() != null) {
        builder.defaultRegion(properties.getDefaultRegion());
      }
      ConsistencyTokenCodec tokens = codec.getIfUnique();
      if (tokens != null) {
        builder.consistencyTokens(tokens);
        if (properties.getConsistency().isCookie()) {
          builder.consistencyCookie(true).consistencyCookiePath(properties.getConsistency().getCookiePath());
        }
      }
      RegionDirectory regionDirectory = directory.getIfUnique();
      if (regionDirectory != null) {
        builder.regionDirectory(regionDirectory);
      }
      if (properties.getJwt().getRealm() != null) {
        builder.realm(properties.getJwt().getRealm());
      }
      // Early, like Security's own chain (-100) would be: before anything that touches the database.
      return register(builder.build(), properties, environment, -99);
    }
  }

  /** No JWT settings and no Security: requests run without a region (or in the default region). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(type = JWT_DECODER)
  @Conditional(OnJwtNotConfigured.class)
  static class NoJwtConfiguration {

    NoJwtConfiguration(RegionRouterProperties properties) {
      log.warn("region-router: neither Spring Security's resource server nor region-router.jwt.* is "
          + "configured, so HTTP requests get no region from a token{}; set region-router.jwt.algorithms and "
          + "jwks-uri or hmac-secret", properties.getDefaultRegion() == null
          ? " and their connections are refused" : " and run in the default region '"
              + properties.getDefaultRegion() + "'");
    }
  }

  static final class OnSigningKeys extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Map<String, String> keys = Binder.get(context.getEnvironment())
          .bind("region-router.consistency.signing-keys", Bindable.mapOf(String.class, String.class))
          .orElse(Map.of());
      return keys.isEmpty() ? ConditionOutcome.noMatch("no region-router.consistency.signing-keys")
          : ConditionOutcome.match("region-router.consistency.signing-keys " + keys.keySet());
    }
  }

  static final class OnJwtConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      RegionRouterProperties.Jwt jwt = Binder.get(context.getEnvironment())
          .bind("region-router.jwt", RegionRouterProperties.Jwt.class).orElse(new RegionRouterProperties.Jwt());
      return jwt.isConfigured() ? ConditionOutcome.match("region-router.jwt is set")
          : ConditionOutcome.noMatch("region-router.jwt.algorithms, jwks-uri and hmac-secret are not set");
    }
  }

  static final class OnJwtNotConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      ConditionOutcome configured = new OnJwtConfigured().getMatchOutcome(context, metadata);
      return configured.isMatch() ? ConditionOutcome.noMatch(configured.getMessage())
          : ConditionOutcome.match(configured.getMessage());
    }
  }
}
