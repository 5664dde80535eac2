package io.github.regionrouter.jwt.servlet;

import io.github.regionrouter.RegionContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outermost filter: records every request that starts or ends with a {@link RegionContext} on the
 * thread. Around RegionRoutingFilter this must stay empty; around a servlet that leaks a scope it does not
 * (see {@code RegionRoutingFilterTest#theLeakDetectorCatchesALeak_whenNothingClosesTheScope}).
 */
final class ContextLeakDetector implements Filter {

  final List<String> leaks = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String uri = ((HttpServletRequest) request).getRequestURI();
    RegionContext before = RegionContext.currentOrNull();
    if (before != null) {
      leaks.add("at the start of " + uri + ": " + before);
    }
    try {
      chain.doFilter(request, response);
    } finally {
      RegionContext after = RegionContext.currentOrNull();
      if (after != null) {
        leaks.add("after " + uri + ": " + after);
      }
      requests.incrementAndGet();
    }
  }
}
