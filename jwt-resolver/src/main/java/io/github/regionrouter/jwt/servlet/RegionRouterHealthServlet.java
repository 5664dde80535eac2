package io.github.regionrouter.jwt.servlet;

import io.github.regionrouter.HealthLevel;
import io.github.regionrouter.HealthReport;
import io.github.regionrouter.RegionRoutingDataSource;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The seed's health endpoints for a plain servlet application: mounted at {@code /health/*}, it answers
 * {@code /health/basic}, {@code /health/db} and {@code /health/full} with 200 (UP) or 503 (DOWN) and the
 * compact JSON of {@link HealthReport#toJson()}; any other path gets 404. No token is needed: map the
 * {@link RegionRoutingFilter} to your API paths only (e.g. {@code /api/*}), not to {@code /health/*}.
 *
 * <pre>{@code
 * ctx.addServlet("region-router-health", new RegionRouterHealthServlet(dataSource)).addMapping("/health/*");
 * }</pre>
 *
 * <p>Each answer reads the monitor's latest snapshot: no connection is opened, so a load balancer may poll it
 * as often as it likes. The body holds node names, roles, lag, RTT and reasons; never a URL, user or password.
 * Thread-safe.
 */
public class RegionRouterHealthServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** A servlet holds its data source for its lifetime; it is not serialized with a session. */
  private final transient RegionRoutingDataSource dataSource;

  /**
   * @param dataSource the data source whose health is answered
   */
  public RegionRouterHealthServlet(RegionRoutingDataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** The level named by the path's last segment ({@code basic}, {@code db}, {@code full}), or null. */
  static HealthLevel level(String path) {
    if (path == null) {
      return null;
    }
    String last = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    last = last.substring(last.lastIndexOf('/') + 1);
    for (HealthLevel level : HealthLevel.values()) {
      if (level.path().equals(last)) {
        return level;
      }
    }
    return null;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo() != null ? request.getPathInfo() : request.getServletPath();
    HealthLevel level = level(path);
    response.setHeader("Cache-Control", "no-store");
    if (level == null) {
      response.setStatus(HttpServletResponse.SC_NOT_FOUND);
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().write("unknown health level; use /health/basic, /health/db or /health/full\n");
      return;
    }
    HealthReport report = dataSource.health(level);
    byte[] body = report.toJson().getBytes(StandardCharsets.UTF_8);
    response.setStatus(report.isUp() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
