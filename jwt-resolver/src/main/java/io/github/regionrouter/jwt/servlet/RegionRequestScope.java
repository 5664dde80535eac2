package io.github.regionrouter.jwt.servlet;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.WritePosition;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the rest of a request in a {@link RegionContext} for a region and subject that were already
 * verified elsewhere (Spring Security's resource server, for the Boot starter), with the same
 * read-your-writes handling as {@link RegionRoutingFilter}: a consistency token sent by the client becomes
 * the context's {@code readAfter}, and the response of a request that wrote carries a new one.
 *
 * <p>Thread safety: immutable apart from a counter; safe for concurrent use by any number of requests.
 */
public final class RegionRequestScope {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RegionRequestScope.class);

  private final ConsistencyTokenCodec codec;
  private final String consistencyHeader;
  private final ConsistencyCookie cookie;
  private final LongAdder missedConsistencyTokens = new LongAdder();

  /**
   * Tokens in the header only.
   *
   * @param codec             the consistency-token codec, or null for no consistency tokens
   * @param consistencyHeader the request and response header carrying the token
   */
  public RegionRequestScope(ConsistencyTokenCodec codec, String consistencyHeader) {
    this(codec, consistencyHeader, null);
  }

  /**
   * Tokens in the header and, when {@code cookiePath} is not null, also in the
   * {@value RegionRoutingFilter#CONSISTENCY_COOKIE} cookie, exactly as
   * {@link RegionRoutingFilter.Builder#consistencyCookie(boolean)} does.
   *
   * @param codec             the consistency-token codec, or null for no consistency tokens
   * @param consistencyHeader the request and response header carrying the token
   * @param cookiePath        the cookie's {@code Path}, or null for no cookie
   */
  public RegionRequestScope(ConsistencyTokenCodec codec, String consistencyHeader, String cookiePath) {
    this.codec = codec;
    this.consistencyHeader = Objects.requireNonNull(consistencyHeader, "consistencyHeader");
    this.cookie = codec != null && cookiePath != null
        ? new ConsistencyCookie(RegionRoutingFilter.CONSISTENCY_COOKIE, cookiePath, codec.window()) : null;
  }

  /**
   * Runs {@code chain} for the request in a context of {@code region} and {@code subject} and closes the
   * context afterwards, whatever happens.
   *
   * @param subject the qualified subject ({@code iss|sub}), or null
   * @throws IOException      as thrown by the chain
   * @throws ServletException as thrown by the chain
   */
  public void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String region,
      String subject) throws IOException, ServletException {
    WritePosition readAfter = codec == null ? null : presentedPosition(request, region, subject);
    try (RegionContext.Scope scope = RegionContext.open(region, subject, readAfter)) {
      if (codec == null) {
        chain.doFilter(request, response);
        return;
      }
      ConsistencyHeaderResponse announcing =
          new ConsistencyHeaderResponse(response, codec, consistencyHeader, scope.context(), cookie, request);
      try {
        chain.doFilter(request, announcing);
      } finally {
        if (!announcing.finish()) {
          missedConsistencyTokens.increment();
          LOG.debug("request wrote after its response was committed; no consistency token was sent");
        }
      }
    }
  }

  /** The newest valid position among the header and the cookies (bound to {@code subject}), or null. */
  private WritePosition presentedPosition(HttpServletRequest request, String region, String subject) {
    String header = request.getHeader(consistencyHeader);
    if (cookie == null) {
      return codec.decode(header, region, subject).orElse(null);
    }
    List<String> presented = new ArrayList<>(2);
    presented.add(header);
    presented.addAll(cookie.valuesIn(request));
    return codec.decodeNewest(presented, region, subject).orElse(null);
  }

  /** Requests that wrote after their response was committed, so no token could be sent. */
  public long missedConsistencyTokens() {
    return missedConsistencyTokens.sum();
  }
}
