package io.github.regionrouter.jpa;

import io.github.regionrouter.RegionContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test stand-in for the JWT filter: region and subject from headers (never do this outside a test). */
public class RegionHeaderFilter extends HttpFilter {

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    try (RegionContext.Scope scope = RegionContext.open(req.getHeader("X-Region"), req.getHeader("X-Subject"))) {
      chain.doFilter(req, res);
    }
  }
}
