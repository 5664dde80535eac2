package io.github.regionrouter.jwt.servlet;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.WritePosition;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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

  private final ConsistencyTokenCodec codec;
  private final String consistencyHeader;
  private final LongAdder missedConsistencyTokens = new LongAdder();

  /**
   * @param codec             the consistency-token codec, or null for no consistency tokens
   * @param consistencyHeader the request and response header carrying the token
   */
  public RegionRequestScope(ConsistencyTokenCodec codec, String consistencyHeader) {
    this.codec = codec;
    this.consistencyHeader = Objects.requireNonNull(consistencyHeader, "consistencyHeader");
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
    WritePosition readAfter = codec == null ? null
        : codec.decode(request.getHeader(consistencyHeader), region).orElse(null);
    try (RegionContext.Scope scope = RegionContext.open(region, subject, readAfter)) {
      if (codec == null) {
        chain.doFilter(request, response);
        return;
      }
      ConsistencyHeaderResponse announcing =
          new ConsistencyHeaderResponse(response, codec, consistencyHeader, scope.context());
      try {
        chain.doFilter(request, announcing);
      } finally {
        if (!announcing.finish()) {
          missedConsistencyTokens.increment();
        }
      }
    }
  }

  /** Requests that wrote after their response was committed, so no token could be sent. */
  public long missedConsistencyTokens() {
    return missedConsistencyTokens.sum();
  }
}
