package io.github.regionrouter.spring;

import io.github.regionrouter.RegionDirectory;
import io.github.regionrouter.jwt.VerifiedRegion;
import io.github.regionrouter.jwt.servlet.RegionRequestScope;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Takes region and subject from the {@link Jwt} Spring Security has already verified for the request (the
 * OAuth2 resource server's authentication) — no second verification — and runs the rest of the request in
 * that region's context. Placed right after Security's filter chain.
 *
 * <p>Same answers as {@code RegionRoutingFilter} for a verified token: no usable region claim, an unmapped
 * value (with {@code region-router.jwt.region-mapping}), or a region this service does not serve get 403
 * {@code insufficient_scope} and the application is not called — never the default region. The subject is
 * {@code iss|sub}, the same form as the JWT filter's, so pins and consistency tokens match across both. A
 * request Security let through without a JWT (a permitted path) runs in the default region when one is set,
 * else with no region (its connections are refused by the router).
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
final class SecurityJwtRegionFilter implements Filter {

  private final String regionClaim;
  private final Map<String, String> regionMapping;
  private final Set<String> knownRegions;
  private final String defaultRegion;
  private final RegionDirectory directory;
  private final RegionRequestScope scope;

  SecurityJwtRegionFilter(String regionClaim, Map<String, String> regionMapping, Set<String> knownRegions,
      String defaultRegion, RegionDirectory directory, RegionRequestScope scope) {
    this.regionClaim = regionClaim;
    this.regionMapping = Map.copyOf(regionMapping);
    this.knownRegions = Set.copyOf(knownRegions);
    this.defaultRegion = defaultRegion;
    this.directory = directory;
    this.scope = scope;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    Jwt jwt = verifiedJwt(SecurityContextHolder.getContext().getAuthentication());
    if (jwt == null) {
      if (defaultRegion != null) {
        scope.run(request, response, chain, defaultRegion, null);
      } else {
        chain.doFilter(request, response);
      }
      return;
    }
    Object claim = jwt.getClaims().get(regionClaim);
    if (!(claim instanceof String value) || value.isBlank()) {
      forbid(response, "the token has no usable '" + regionClaim + "' claim");
      return;
    }
    String region = regionMapping.isEmpty() ? value : regionMapping.get(value);
    if (region == null) {
      forbid(response, "the token's '" + regionClaim + "' claim names no region this service maps");
      return;
    }
    String issuer = jwt.getIssuer() == null ? null : jwt.getIssuer().toString();
    String subject = new VerifiedRegion(region, issuer, jwt.getSubject(),
        jwt.getExpiresAt() == null ? Instant.MAX : jwt.getExpiresAt()).qualifiedSubject();
    if (directory != null && subject != null) {
      region = directory.regionOf(subject).orElse(region);
    }
    if (!knownRegions.contains(region)) {
      forbid(response, "the token names a region this service does not serve (it serves: "
          + String.join(", ", new TreeSet<>(knownRegions)) + ")");
      return;
    }
    scope.run(request, response, chain, region, subject);
  }

  private static Jwt verifiedJwt(Authentication authentication) {
    if (authentication == null || !authentication.isAuthenticated()) {
      return null;
    }
    if (authentication.getPrincipal() instanceof Jwt jwt) {
      return jwt;
    }
    return authentication.getCredentials() instanceof Jwt jwt ? jwt : null;
  }

  private static void forbid(HttpServletResponse response, String description) throws IOException {
    response.resetBuffer();
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setHeader("WWW-Authenticate",
        "Bearer error=\"insufficient_scope\", error_description=\"" + description + "\"");
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().println(description);
  }
}
