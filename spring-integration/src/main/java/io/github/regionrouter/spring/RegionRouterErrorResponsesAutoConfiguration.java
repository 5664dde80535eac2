package io.github.regionrouter.spring;

import io.github.regionrouter.RegionUnavailableException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * HTTP answers a client can act on when a request fails in the router: 503 with {@code Retry-After} while a
 * region is unavailable or the caller's data is being moved, 401/403 for a request without a region, 500 with
 * the fix logged once for a misconfigured node — each with an RFC 9457 problem+json body. See
 * {@link RegionRouterExceptionResolver}.
 *
 * <p>Active in servlet web applications with Spring MVC, unless {@code region-router.enabled} or
 * {@code region-router.web.error-responses} is false; backs off to the application's own
 * {@link RegionRouterExceptionResolver} bean. The application's {@code @ExceptionHandler} methods still answer
 * first.
 */
@AutoConfiguration(after = RegionRouterAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, RegionUnavailableException.class})
@ConditionalOnProperty(prefix = "region-router", name = {"enabled", "web.error-responses"}, havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(RegionRouterProperties.class)
public class RegionRouterErrorResponsesAutoConfiguration {

  /** Created by Spring. */
  public RegionRouterErrorResponsesAutoConfiguration() {
  }

  /**
   * The resolver, ordered after Spring MVC's own (and so after the application's exception handlers).
   *
   * @param properties the bound properties
   * @return the resolver
   * @throws RegionRouterPropertyException when {@code region-router.web.retry-after} is negative
   */
  @Bean
  @ConditionalOnMissingBean
  public RegionRouterExceptionResolver regionRouterExceptionResolver(RegionRouterProperties properties) {
    try {
      return new RegionRouterExceptionResolver(properties.getWeb().getRetryAfter(), properties.getJwt().getRealm());
    } catch (IllegalArgumentException e) {
      throw new RegionRouterPropertyException("region-router.web.retry-after",
          String.valueOf(properties.getWeb().getRetryAfter()), "a duration of zero or more (whole seconds)",
          "use a few seconds, e.g. 5s", e);
    }
  }
}
