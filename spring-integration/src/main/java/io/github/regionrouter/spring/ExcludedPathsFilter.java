package io.github.regionrouter.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;

/**
 * Lets requests for Actuator and the {@code /health/*} paths pass by the region filter it wraps: probes carry
 * no user token and must never be refused for lack of a region. CORS preflight requests pass too: a browser
 * never sends credentials on a preflight, and in a Boot app without Spring Security CORS is answered by
 * Spring MVC (after every servlet filter), so a region filter in front of it would refuse every
 * cross-origin call. A preflight runs no application code; if anything did borrow a connection, it has no
 * region, so the router refuses it.
 */
final class ExcludedPathsFilter implements Filter {

  private final Filter delegate;
  private final List<String> excludedPrefixes;

  ExcludedPathsFilter(Filter delegate, List<String> excludedPrefixes) {
    this.delegate = delegate;
    this.excludedPrefixes = List.copyOf(excludedPrefixes);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && (excluded(http) || preflight(http))) {
      chain.doFilter(request, response);
    } else {
      delegate.doFilter(request, response, chain);
    }
  }

  /** As Spring's {@code CorsUtils.isPreFlightRequest}: OPTIONS with Origin and Access-Control-Request-Method. */
  private static boolean preflight(HttpServletRequest request) {
    return "OPTIONS".equals(request.getMethod()) && request.getHeader("Origin") != null
        && request.getHeader("Access-Control-Request-Method") != null;
  }

  private boolean excluded(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    for (String prefix : excludedPrefixes) {
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  /** The wrapped filter (tests, diagnostics). */
  Filter delegate() {
    return delegate;
  }

  @Override
  public String toString() {
    return delegate + " (not for " + excludedPrefixes + ")";
  }
}
