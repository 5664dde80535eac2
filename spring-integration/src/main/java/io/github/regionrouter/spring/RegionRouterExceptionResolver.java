package io.github.regionrouter.spring;

import io.github.regionrouter.NodeMisconfiguredException;
import io.github.regionrouter.RegionUnavailableException;
import io.github.regionrouter.SubjectFencedException;
import io.github.regionrouter.UnknownRegionException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers the router's typed failures with the HTTP status a client, load balancer or retry policy can act
 * on, instead of the 500 that Spring's wrappers ({@code TransientDataAccessResourceException},
 * {@code JpaSystemException}, {@code CannotCreateTransactionException}, …) would otherwise become. The cause
 * chain is walked; the first router exception found decides:
 *
 * <table>
 *   <caption>Answers</caption>
 *   <tr><th>in the cause chain</th><th>answer</th></tr>
 *   <tr><td>{@link RegionUnavailableException} (no primary, split brain, no node)</td>
 *       <td>503, {@code Retry-After}, problem type {@value #REGION_UNAVAILABLE}</td></tr>
 *   <tr><td>{@link SubjectFencedException} (the subject's data is being moved)</td>
 *       <td>503, {@code Retry-After}, problem type {@value #SUBJECT_FENCED}</td></tr>
 *   <tr><td>{@link UnknownRegionException}, request without credentials</td>
 *       <td>401, {@code WWW-Authenticate: Bearer}, problem type {@value #NO_REGION}</td></tr>
 *   <tr><td>{@link UnknownRegionException}, request with credentials</td>
 *       <td>403, problem type {@value #NO_REGION}</td></tr>
 *   <tr><td>{@link NodeMisconfiguredException}</td>
 *       <td>500, problem type {@value #NODE_MISCONFIGURED}; the fix logged once per node and problem</td></tr>
 * </table>
 *
 * <p>Bodies are RFC 9457 {@code application/problem+json} naming the region and the reason — never a node's
 * URL, a subject or a secret, and never the exception's message (it names nodes and pool state, which are for
 * the operator's log, not for callers).
 *
 * <p>Ordered last ({@link Ordered#LOWEST_PRECEDENCE}): Spring MVC's own resolvers (order 0), and with them the
 * application's {@code @ExceptionHandler} methods and {@code @ResponseStatus} exceptions, answer first; this
 * resolver only answers what they left unhandled. It cannot answer a failure after the response was committed,
 * nor one thrown outside the {@code DispatcherServlet} (a filter, open-in-view's closing of the session).
 *
 * <p>Thread-safe.
 */
public class RegionRouterExceptionResolver implements HandlerExceptionResolver, Ordered {

  /** Problem type of a region whose primary is down or ambiguous, or with no node able to serve. */
  public static final String REGION_UNAVAILABLE = "urn:region-router:problem:region-unavailable";
  /** Problem type of a write refused because the subject's data is being moved to another region. */
  public static final String SUBJECT_FENCED = "urn:region-router:problem:subject-fenced";
  /** Problem type of a request that has no region (no token and no default region, or an unknown region). */
  public static final String NO_REGION = "urn:region-router:problem:no-region";
  /** Problem type of a node the service cannot reach because of its own configuration. */
  public static final String NODE_MISCONFIGURED = "urn:region-router:problem:node-misconfigured";

  static final String PROBLEM_JSON = "application/problem+json";

  private static final Logger log = LoggerFactory.getLogger(RegionRouterExceptionResolver.class);
  private static final int MAX_CAUSES = 32;

  private final long retryAfterSeconds;
  private final String challenge;
  private final Set<String> misconfigurationsLogged = ConcurrentHashMap.newKeySet();

  /**
   * @param retryAfter what {@code Retry-After} tells callers of a 503 (rounded up to whole seconds, at least 1)
   * @param realm      the realm of the {@code WWW-Authenticate} challenge of a 401, or {@code null} for none
   * @throws IllegalArgumentException when {@code retryAfter} is negative
   */
  public RegionRouterExceptionResolver(Duration retryAfter, String realm) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter cannot be negative: " + retryAfter);
    }
    // Retry-After is delay-seconds (RFC 9110 §10.2.3): whole seconds; 0 would invite a tight retry loop.
    long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    this.retryAfterSeconds = Math.max(1, seconds);
    this.challenge = realm == null || realm.isBlank() ? "Bearer"
        : "Bearer realm=\"" + realm.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The {@code Retry-After} of every 503, in seconds. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
      Exception ex) {
    Throwable cause = routerFailure(ex);
    if (cause == null) {
      return null;
    }
    if (response.isCommitted()) {
      log.debug("cannot answer {} on {}: the response is already committed", cause.getClass().getSimpleName(),
          request.getRequestURI());
      return null;
    }
    try {
      answer(request, response, cause);
    } catch (IOException e) {
      log.debug("could not write the answer to {} on {}", cause.getClass().getSimpleName(),
          request.getRequestURI(), e);
    }
    // An empty ModelAndView: handled, nothing to render.
    return new ModelAndView();
  }

  /** The first router failure in the cause chain of {@code ex}, or null. */
  static Throwable routerFailure(Throwable ex) {
    Throwable t = ex;
    for (int i = 0; t != null && i < MAX_CAUSES; i++) {
      if (t instanceof RegionUnavailableException || t instanceof SubjectFencedException
          || t instanceof UnknownRegionException || t instanceof NodeMisconfiguredException) {
        return t;
      }
      Throwable next = t.getCause();
      t = next == t ? null : next;
    }
    return null;
  }

  private void answer(HttpServletRequest request, HttpServletResponse response, Throwable cause)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    if (cause instanceof RegionUnavailableException e) {
      log.debug("answering 503 on {}: region '{}' unavailable ({})", request.getRequestURI(), e.region(),
          e.reason().tag());
      response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
      problem(problem, REGION_UNAVAILABLE, "Region unavailable", 503, unavailableDetail(e), request);
      problem.put("region", e.region());
      problem.put("reason", e.reason().tag());
      write(response, 503, problem);
    } else if (cause instanceof SubjectFencedException e) {
      log.debug("answering 503 on {}: subject fenced in region '{}' (moving to '{}')", request.getRequestURI(),
          e.region(), e.movingTo());
      response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
      problem(problem, SUBJECT_FENCED, "Data being moved", 503, "The caller's data is being moved from region '"
          + e.region() + "' to '" + e.movingTo() + "' (or has just been); nothing was written. Retry after "
          + retryAfterSeconds + " s: the request is then served by region '" + e.movingTo() + "'.", request);
      problem.put("region", e.region());
      problem.put("movingTo", e.movingTo());
      problem.put("reason", "subject-fenced");
      write(response, 503, problem);
    } else if (cause instanceof UnknownRegionException e) {
      boolean credentials = request.getHeader("Authorization") != null || request.getUserPrincipal() != null;
      int status = credentials ? 403 : 401;
      log.debug("answering {} on {}: no region for the request's connection", status, request.getRequestURI());
      if (!credentials) {
        response.setHeader("WWW-Authenticate", challenge);
      }
      String detail = e.region() != null
          ? "The request's region is not one this service serves; no data was read or written."
          : credentials
              ? "The request's credentials give it no region of this service; no data was read or written."
              : "The request has no region: send a bearer token whose region claim names one of this service's "
                  + "regions. No data was read or written.";
      problem(problem, NO_REGION, credentials ? "Forbidden" : "Unauthorized", status, detail, request);
      if (e.region() != null) {
        problem.put("region", e.region());
      }
      problem.put("reason", e.region() == null ? "no-region" : "unknown-region");
      write(response, status, problem);
    } else if (cause instanceof NodeMisconfiguredException e) {
      logMisconfiguration(e);
      problem(problem, NODE_MISCONFIGURED, "Internal Server Error", 500, "The service cannot reach the database "
          + "of region '" + e.region() + "' because of its own configuration; its operator must fix it. "
          + "Retrying does not help.", request);
      problem.put("region", e.region());
      problem.put("reason", "node-misconfigured");
      write(response, 500, problem);
    }
  }

  private String unavailableDetail(RegionUnavailableException e) {
    String retry = " Retry after " + retryAfterSeconds + " s.";
    return switch (e.reason()) {
      case NO_PRIMARY -> "Region '" + e.region() + "' has no primary accepting writes right now; nothing was "
          + "written, and nothing was sent to another region." + retry;
      case SPLIT_BRAIN -> "Region '" + e.region() + "' has more than one writable node (split brain); writes "
          + "are refused until exactly one remains, and nothing was written." + retry;
      case NO_NODE -> "No database node of region '" + e.region() + "' can serve this request right now."
          + retry;
    };
  }

  /**
   * Operator's mistake: the log, not the caller, gets the fix (the exception's message names the node and what
   * to change, never a password or URL). Once per node and problem, so a flood of requests does not bury it.
   */
  private void logMisconfiguration(NodeMisconfiguredException e) {
    if (misconfigurationsLogged.add(e.node() + "/" + e.problem())) {
      log.error("answering 500: {} (logged once per node and problem; later requests at DEBUG)", e.getMessage());
    } else {
      log.debug("answering 500: node '{}' of region '{}' is misconfigured ({})", e.node(), e.region(),
          e.problem());
    }
  }

  private static void problem(Map<String, Object> problem, String type, String title, int status, String detail,
      HttpServletRequest request) {
    problem.put("type", type);
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    // The path only: a query string may carry tokens or personal data.
    problem.put("instance", request.getRequestURI());
  }

  private static void write(HttpServletResponse response, int status, Map<String, Object> problem)
      throws IOException {
    response.resetBuffer();
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType(PROBLEM_JSON);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(json(problem));
    response.flushBuffer();
  }

  static String json(Map<String, Object> members) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> member : members.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      quote(out, member.getKey()).append(':');
      Object value = member.getValue();
      if (value instanceof Number) {
        out.append(value);
      } else {
        quote(out, String.valueOf(value));
      }
    }
    return out.append('}').toString();
  }

  private static StringBuilder quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
