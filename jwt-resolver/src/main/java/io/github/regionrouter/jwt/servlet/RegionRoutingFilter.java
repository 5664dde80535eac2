package io.github.regionrouter.jwt.servlet;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionDirectory;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import io.github.regionrouter.jwt.InvalidTokenException;
import io.github.regionrouter.jwt.JwtRegionException;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.KeySourceUnavailableException;
import io.github.regionrouter.jwt.UnknownRegionClaimException;
import io.github.regionrouter.jwt.VerifiedRegion;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request its region from a verified bearer token: verifies the {@code Authorization: Bearer}
 * token with a {@link JwtRegionResolver}, opens a {@link RegionContext} for the request, and closes it when
 * the request is done, whatever happens (the thread never keeps a context into its next request).
 *
 * <table>
 *   <caption>Answers</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>valid token naming a known region</td><td>passes, in a context of that region (or the region the
 *       {@linkplain Builder#regionDirectory(RegionDirectory) region directory} names for the subject) and
 *       subject</td></tr>
 *   <tr><td>no {@code Authorization} header, or another scheme ({@code Basic}, ...)</td><td>401
 *       {@code WWW-Authenticate: Bearer} (RFC 6750 §3.1: no error code), or, with a
 *       {@linkplain Builder#defaultRegion(String) default region}, passes in that region with no
 *       subject</td></tr>
 *   <tr><td>more than one Authorization header; {@code Bearer} (any case) not followed by exactly one space
 *       and a token without white space (a tab, no space, two spaces, trailing junk, no token)</td>
 *       <td>400 {@code Bearer error="invalid_request"}, also with a default region: the caller meant to
 *       authenticate, so running it anonymously in the default region could put its writes there</td></tr>
 *   <tr><td>invalid token (malformed, oversize, JWE, alg none, empty {@code crit}, algorithm or key not
 *       accepted, bad signature, expired, not yet valid, issued in the future, wrong issuer or audience)</td>
 *       <td>401 {@code Bearer error="invalid_token", error_description="..."}</td></tr>
 *   <tr><td>valid token without a usable region claim, or naming (or mapped by the directory to) a region
 *       this service does not serve</td>
 *       <td>403 {@code Bearer error="insufficient_scope", error_description="..."}</td></tr>
 *   <tr><td>JWKS unreachable and no cached key matches; the region directory failed</td><td>503</td></tr>
 * </table>
 * The descriptions never contain a claim value (user data); at DEBUG, an unmapped region claim value is
 * logged, at most 64 characters and escaped. Every rejection is counted:
 * {@link #rejectedCount(int)}.
 *
 * Error answers carry a one-line {@code text/plain} body equal to the description and
 * {@code Cache-Control: no-store}; they never contain the token or a stack trace, and the application is
 * not called.
 *
 * <p><b>Read-your-writes across app instances.</b> With a {@link ConsistencyTokenCodec}, the response of a
 * request that wrote (its context recorded a write in its region) carries a signed token in the
 * {@value #DEFAULT_CONSISTENCY_HEADER} header (name configurable); a request that sends it back, to any
 * instance, has its context opened with that write position as {@code readAfter}, so it reads its own
 * write. Tokens are bound to the request's subject: a token issued to subject A is ignored (and counted as
 * {@code foreign-subject}) on a request authenticated as B; a request with no subject may use any valid
 * token of its region. Invalid tokens are ignored and counted by the codec. The client must keep the newest
 * token and send it on its next requests; in a browser, expose the header with
 * {@code Access-Control-Expose-Headers}, or enable the {@linkplain Builder#consistencyCookie(boolean)
 * cookie}, which a browser also sends when it follows a redirect. When both a header and cookies arrive,
 * the newest valid position wins. The header is set right before the response is committed; a write
 * recorded after the commit (a body flushed before the transaction ended) cannot be announced and is
 * counted in {@link #missedConsistencyTokens()}. For async requests, only writes recorded before the filter
 * returns are announced, and the async part runs without a context unless the application carries it with
 * {@link RegionContext#wrap(Runnable)}.
 *
 * <p>Register it for the {@code REQUEST} dispatcher type, after a CORS filter (preflight requests carry no
 * token) and before anything that uses the database.
 *
 * <p>Thread safety: immutable once built and safe for concurrent use by any number of requests.
 */
public final class RegionRoutingFilter implements Filter {

  /** The default name of the consistency token header, in responses and requests. */
  public static final String DEFAULT_CONSISTENCY_HEADER = "X-Region-Consistency";
  /** The name of the consistency token cookie, when {@link Builder#consistencyCookie(boolean)} is on. */
  public static final String CONSISTENCY_COOKIE = "region-consistency";

  private static final int[] COUNTED_STATUSES = {400, 401, 403, 503};

  private static final Logger log = LoggerFactory.getLogger(RegionRoutingFilter.class);

  private final JwtRegionResolver resolver;
  private final Set<String> knownRegions;
  private final String knownRegionsText;
  private final String defaultRegion;
  private final ConsistencyTokenCodec codec;
  private final String consistencyHeader;
  /** The cookie's path when tokens also travel in a cookie, else null. */
  private final String cookiePath;
  /** Opens the context with the presented token and announces the request's writes: shared with the starter. */
  private final RegionRequestScope scope;
  private final RegionDirectory directory;
  private final String challenge;
  private final LongAdder[] rejected = new LongAdder[COUNTED_STATUSES.length];
  private final OncePerInterval outageWarning = new OncePerInterval(Duration.ofMinutes(1), System::nanoTime);
  private final OncePerInterval directoryWarning = new OncePerInterval(Duration.ofMinutes(1), System::nanoTime);

  private RegionRoutingFilter(Builder builder) {
    this.resolver = builder.resolver;
    this.knownRegions = builder.knownRegions;
    this.knownRegionsText = String.join(", ", new TreeSet<>(knownRegions));
    this.defaultRegion = builder.defaultRegion;
    this.codec = builder.codec;
    this.consistencyHeader = builder.consistencyHeader;
    this.cookiePath = builder.codec != null && builder.cookie ? builder.cookiePath : null;
    this.scope = new RegionRequestScope(codec, consistencyHeader, cookiePath);
    this.directory = builder.directory;
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] = new LongAdder();
    }
    this.challenge = builder.realm == null ? "Bearer" : "Bearer realm=\"" + builder.realm + "\"";
  }

  /** Starts a builder; {@link Builder#resolver} and {@link Builder#knownRegions} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies, opens the context, runs the rest of the chain inside it, closes it.
   *
   * @throws ServletException if the request is not an HTTP request, or as thrown by the chain
   * @throws IOException      as thrown by the chain or when writing an error answer
   */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      throw new ServletException("RegionRoutingFilter handles HTTP requests only");
    }
    String region;
    String subject;
    BearerCredentials credentials = BearerCredentials.of(request);
    switch (credentials.kind()) {
      case MALFORMED -> {
        log.debug("Authorization header rejected: {}", credentials.problem());
        reject(response, HttpServletResponse.SC_BAD_REQUEST,
            challengeWith("invalid_request", credentials.problem()), credentials.problem());
        return;
      }
      case NONE -> {
        if (defaultRegion == null) {
          reject(response, HttpServletResponse.SC_UNAUTHORIZED, challenge, "a bearer token is required");
          return;
        }
        region = defaultRegion;
        subject = null;
      }
      default -> {
        VerifiedRegion verified = verify(credentials.token(), response);
        if (verified == null) {
          return;
        }
        subject = verified.qualifiedSubject();
        region = subject == null ? verified.region() : directoryRegion(subject, verified.region(), response);
        if (region == null) {
          return;
        }
      }
    }
    scope.run(request, response, chain, region, subject);
  }

  /**
   * The region the directory names for {@code subject}, else {@code claimRegion}; or null after answering
   * the request when the directory fails or names a region this service does not serve.
   */
  private String directoryRegion(String subject, String claimRegion, HttpServletResponse response)
      throws IOException {
    if (directory == null) {
      return claimRegion;
    }
    Optional<String> moved;
    try {
      moved = Objects.requireNonNull(directory.regionOf(subject), "RegionDirectory.regionOf returned null");
    } catch (RuntimeException e) {
      if (directoryWarning.tryAcquire()) {
        log.warn("answering 503: the region directory failed (logged at most once a minute)", e);
      } else {
        log.debug("answering 503: the region directory failed: {}", e.toString());
      }
      reject(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, null,
          "the region directory cannot be read right now; try again later");
      return null;
    }
    if (moved.isEmpty()) {
      return claimRegion;
    }
    String region = moved.get();
    if (!knownRegions.contains(region)) {
      if (directoryWarning.tryAcquire()) {
        log.warn("the region directory names region {}, which is not one of this service's regions ({}); "
            + "answering 403 (logged at most once a minute)", LogSafe.bounded(region), knownRegionsText);
      }
      String description = "the caller's data is in a region this service does not serve (it serves: "
          + knownRegionsText + ")";
      reject(response, HttpServletResponse.SC_FORBIDDEN, challengeWith("insufficient_scope", description),
          description);
      return null;
    }
    return region;
  }

  /** Returns the verified region, or null after answering the request with the failure. */
  private VerifiedRegion verify(String token, HttpServletResponse response) throws IOException {
    try {
      VerifiedRegion verified = resolver.resolve(token);
      if (!knownRegions.contains(verified.region())) {
        String description = "the token names a region this service does not serve (it serves: "
            + knownRegionsText + ")";
        reject(response, HttpServletResponse.SC_FORBIDDEN, challengeWith("insufficient_scope", description),
            description);
        return null;
      }
      return verified;
    } catch (InvalidTokenException e) {
      log.debug("bearer token rejected: {} ({})", e.reason(), e.description());
      reject(response, HttpServletResponse.SC_UNAUTHORIZED, challengeWith("invalid_token", e.description()),
          e.description());
    } catch (KeySourceUnavailableException e) {
      logOutage(e);
      reject(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, null, e.description());
    } catch (UnknownRegionClaimException e) {
      // The value is user data: only here, at DEBUG, bounded and escaped; never in the answer.
      log.debug("bearer token's '{}' claim value {} is not in the region mapping", e.claimName(),
          LogSafe.bounded(e.claimValue()));
      reject(response, HttpServletResponse.SC_FORBIDDEN, challengeWith("insufficient_scope", e.description()),
          e.description());
    } catch (JwtRegionException e) { // no usable region claim: authenticated, but for no region of ours
      log.debug("bearer token without a usable region: {}", e.description());
      reject(response, HttpServletResponse.SC_FORBIDDEN, challengeWith("insufficient_scope", e.description()),
          e.description());
    }
    return null;
  }

  private void logOutage(KeySourceUnavailableException e) {
    if (outageWarning.tryAcquire()) {
      log.warn("answering 503: {} (logged at most once a minute)", e.description(), e.getCause());
    } else {
      log.debug("answering 503: {}", e.description());
    }
  }

  private String challengeWith(String error, String description) {
    // Descriptions come from JwtRegionException.description() or fixed text: already RFC 6750-safe.
    return challenge + (challenge.equals("Bearer") ? " " : ", ") + "error=\"" + error + "\", error_description=\""
        + description + "\"";
  }

  private void reject(HttpServletResponse response, int status, String challenge, String message)
      throws IOException {
    for (int i = 0; i < COUNTED_STATUSES.length; i++) {
      if (COUNTED_STATUSES[i] == status) {
        rejected[i].increment();
      }
    }
    response.resetBuffer();
    response.setStatus(status);
    if (challenge != null) {
      response.setHeader("WWW-Authenticate", challenge);
    }
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().println(message);
  }

  /**
   * Requests whose response could not carry the consistency token because it was committed before the
   * request's write was recorded.
   */
  public long missedConsistencyTokens() {
    return scope.missedConsistencyTokens();
  }

  /**
   * Requests answered with {@code status} by this filter (the application was not called): 400 (malformed
   * Authorization), 401 (no or invalid token), 403 (no region of this service), 503 (keys or directory
   * unavailable). Any other status: 0.
   */
  public long rejectedCount(int status) {
    for (int i = 0; i < COUNTED_STATUSES.length; i++) {
      if (COUNTED_STATUSES[i] == status) {
        return rejected[i].sum();
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return "RegionRoutingFilter[regions=" + knownRegionsText + ", defaultRegion="
        + (defaultRegion == null ? "- (no token: 401)" : defaultRegion) + ", consistencyHeader="
        + (codec == null ? "-" : consistencyHeader) + ", consistencyCookie="
        + (cookiePath == null ? "-" : CONSISTENCY_COOKIE + " (path " + cookiePath + ")") + ", regionDirectory="
        + (directory == null ? "-" : "on") + "]";
  }

  /**
   * Builds a {@link RegionRoutingFilter}. Setters validate at once and may be called once.
   *
   * <p>Thread safety: not thread-safe; build on one thread.
   */
  public static final class Builder {
    private JwtRegionResolver resolver;
    private Set<String> knownRegions;
    private String defaultRegion;
    private ConsistencyTokenCodec codec;
    private String consistencyHeader;
    private boolean cookie;
    private boolean cookieSet;
    private String cookiePath;
    private RegionDirectory directory;
    private String realm;

    private Builder() {}

    /**
     * The resolver that verifies tokens. Required.
     *
     * @throws IllegalStateException if already set
     */
    public Builder resolver(JwtRegionResolver resolver) {
      requireUnset(this.resolver, "resolver");
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The regions this service serves, typically {@code RegionRoutingDataSource.regions()}. A valid token
     * naming another region is answered 403, before the application runs. Required.
     *
     * @throws IllegalArgumentException if empty or an element is blank
     * @throws IllegalStateException    if already set
     */
    public Builder knownRegions(Collection<String> regions) {
      requireUnset(this.knownRegions, "knownRegions");
      Objects.requireNonNull(regions, "knownRegions");
      if (regions.isEmpty()) {
        throw new IllegalArgumentException("knownRegions must name at least one region");
      }
      for (String region : regions) {
        if (Objects.requireNonNull(region, "knownRegions element").isBlank()) {
          throw new IllegalArgumentException("knownRegions must not contain a blank region");
        }
      }
      this.knownRegions = Set.copyOf(regions);
      return this;
    }

    /**
     * The region of requests that carry no bearer token at all (they run with no subject). Without it,
     * such requests are answered 401. Requests with an invalid token are never given this region.
     *
     * @throws IllegalArgumentException if blank
     * @throws IllegalStateException    if already set
     */
    public Builder defaultRegion(String region) {
      requireUnset(this.defaultRegion, "defaultRegion");
      if (Objects.requireNonNull(region, "defaultRegion").isBlank()) {
        throw new IllegalArgumentException("defaultRegion must not be blank");
      }
      this.defaultRegion = region;
      return this;
    }

    /**
     * Enables consistency tokens (read-your-writes across app instances) with this codec, whose keys must
     * be the same on every instance. Optional.
     *
     * @throws IllegalStateException if already set
     */
    public Builder consistencyTokens(ConsistencyTokenCodec codec) {
      requireUnset(this.codec, "consistencyTokens");
      this.codec = Objects.requireNonNull(codec, "consistencyTokens");
      return this;
    }

    /**
     * The header that carries consistency tokens; default {@value #DEFAULT_CONSISTENCY_HEADER}.
     *
     * @throws IllegalArgumentException if not an HTTP header name (RFC 9110 token characters)
     * @throws IllegalStateException    if already set
     */
    public Builder consistencyHeader(String name) {
      requireUnset(this.consistencyHeader, "consistencyHeader");
      Objects.requireNonNull(name, "consistencyHeader");
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || name.equalsIgnoreCase("Authorization")) {
        throw new IllegalArgumentException("consistencyHeader is not a usable HTTP header name: '" + name + "'");
      }
      this.consistencyHeader = name;
      return this;
    }

    /**
     * Also carries consistency tokens in the {@value #CONSISTENCY_COOKIE} cookie, for browsers, which do not
     * send a custom header when they follow a redirect (POST, 302, GET). {@code HttpOnly},
     * {@code SameSite=Lax}, {@code Secure} unless the request is plain HTTP to a loopback host,
     * {@code Path} {@link #consistencyCookiePath(String)}, {@code Max-Age} the codec's window. The header
     * stays; when both arrive, the newest valid position wins. Default: off.
     *
     * @throws IllegalStateException if already set
     */
    public Builder consistencyCookie(boolean enabled) {
      if (cookieSet) {
        throw new IllegalStateException("consistencyCookie was already set");
      }
      this.cookieSet = true;
      this.cookie = enabled;
      return this;
    }

    /**
     * The {@code Path} of the consistency cookie; default {@code /}. Use the prefix of the paths this filter
     * covers, so the cookie reaches every request that reads.
     *
     * @throws IllegalArgumentException if it does not start with {@code /} or holds a character a cookie
     *                                  path may not (control, white space, {@code ;}, {@code ,})
     * @throws IllegalStateException    if already set
     */
    public Builder consistencyCookiePath(String path) {
      requireUnset(this.cookiePath, "consistencyCookiePath");
      Objects.requireNonNull(path, "consistencyCookiePath");
      if (!path.matches("/[\\x21-\\x2B\\x2D-\\x3A\\x3C-\\x7E]*")) {
        throw new IllegalArgumentException("consistencyCookiePath must start with '/' and hold no white space, "
            + "control character, ';' or ',': '" + path + "'");
      }
      this.cookiePath = path;
      return this;
    }

    /**
     * Where subjects' data lives now, when it may differ from their token's region (a user migrated after
     * the token was issued). Consulted after the token verified, for requests with a subject: when it names
     * a region, the request runs there (a region this service does not serve is answered 403; a directory
     * that throws, 503). Optional.
     *
     * <p>On the filter rather than on {@link JwtRegionResolver}: the resolver caches verified tokens for
     * minutes, and a move must take effect at once; the directory is keyed by the qualified subject
     * ({@code iss|sub}) and checked against the known regions, which are both the filter's; and the
     * resolver stays a pure verifier.
     *
     * @throws IllegalStateException if already set
     */
    public Builder regionDirectory(RegionDirectory directory) {
      requireUnset(this.directory, "regionDirectory");
      this.directory = Objects.requireNonNull(directory, "regionDirectory");
      return this;
    }

    /**
     * The {@code realm} of the {@code WWW-Authenticate} challenge. Optional.
     *
     * @throws IllegalArgumentException if empty or not printable ASCII without {@code "} and {@code \}
     * @throws IllegalStateException    if already set
     */
    public Builder realm(String realm) {
      requireUnset(this.realm, "realm");
      Objects.requireNonNull(realm, "realm");
      if (!realm.matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
        throw new IllegalArgumentException("realm must be printable ASCII without '\"' and '\\': '" + realm + "'");
      }
      this.realm = realm;
      return this;
    }

    /**
     * Builds the filter.
     *
     * @throws IllegalStateException if resolver or knownRegions is missing, or if the default region is not
     *                               a known region
     */
    public RegionRoutingFilter build() {
      if (resolver == null) {
        throw new IllegalStateException("resolver must be set");
      }
      if (knownRegions == null) {
        throw new IllegalStateException("knownRegions must be set, e.g. knownRegions(dataSource.regions())");
      }
      if (defaultRegion != null && !knownRegions.contains(defaultRegion)) {
        throw new IllegalStateException("defaultRegion '" + defaultRegion + "' is not one of knownRegions ("
            + String.join(", ", new TreeSet<>(knownRegions)) + ")");
      }
      if (consistencyHeader != null && codec == null) {
        log.warn("consistencyHeader has no effect without consistencyTokens");
      }
      if (consistencyHeader == null) {
        consistencyHeader = DEFAULT_CONSISTENCY_HEADER;
      }
      if ((cookie || cookiePath != null) && codec == null) {
        log.warn("consistencyCookie and consistencyCookiePath have no effect without consistencyTokens");
      } else if (cookiePath != null && !cookie) {
        log.warn("consistencyCookiePath has no effect without consistencyCookie(true)");
      }
      if (cookiePath == null) {
        cookiePath = "/";
      }
      return new RegionRoutingFilter(this);
    }

    private static void requireUnset(Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
