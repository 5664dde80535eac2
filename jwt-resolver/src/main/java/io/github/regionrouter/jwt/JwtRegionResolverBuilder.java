package io.github.regionrouter.jwt;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link JwtRegionResolver}. Every setter validates its value at once
 * ({@link IllegalArgumentException} naming the setting and its limit) and may be called once
 * ({@link IllegalStateException} otherwise); {@link #build()} checks that the settings fit together.
 *
 * <p>Required: {@link #allowedAlgorithms(String...)}, and the keys for them: {@link #jwksUri(URI)} or
 * {@link #jwkSet(JWKSet)} for RSA/EC algorithms, {@link #hmacSecret(byte[])} for HMAC algorithms. An HMAC
 * secret and asymmetric keys may be configured together; each then verifies only its own algorithm family.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>allowedAlgorithms</td><td>required; HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512</td></tr>
 *   <tr><td>jwksUri / jwkSet / hmacSecret</td><td>required as the algorithms need</td></tr>
 *   <tr><td>issuer</td><td>not checked</td></tr>
 *   <tr><td>audiences</td><td>not checked</td></tr>
 *   <tr><td>clockSkew</td><td>60 s (at most 5 min)</td></tr>
 *   <tr><td>regionClaim</td><td>{@code region}</td></tr>
 *   <tr><td>regionMapping</td><td>none: the claim value is the region</td></tr>
 *   <tr><td>maxTokenLength</td><td>8192 characters</td></tr>
 *   <tr><td>cacheMaximumSize</td><td>10,000 tokens (0 disables the cache; at most 1,048,576)</td></tr>
 *   <tr><td>cacheMaximumTimeToLive</td><td>5 min (and never past the token's exp)</td></tr>
 *   <tr><td>jwksCacheTimeToLive</td><td>5 min</td></tr>
 *   <tr><td>jwksRefreshAhead</td><td>30 s</td></tr>
 *   <tr><td>jwksRateLimit</td><td>30 s between fetches (nimbus allows one extra within an interval)</td></tr>
 *   <tr><td>jwksOutageTolerance</td><td>1 h</td></tr>
 *   <tr><td>jwksTimeout</td><td>1 s (connect and read, each)</td></tr>
 *   <tr><td>clock / ticker</td><td>system clock / Caffeine system ticker</td></tr>
 * </table>
 *
 * <p>Thread safety: not thread-safe; build on one thread. The built resolver is thread-safe.
 */
public final class JwtRegionResolverBuilder {

  private static final Logger log = LoggerFactory.getLogger(JwtRegionResolverBuilder.class);

  /** Default {@link #clockSkew(Duration)}. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  /** Default {@link #regionClaim(String)}. */
  public static final String DEFAULT_REGION_CLAIM = "region";
  /** Default {@link #maxTokenLength(int)}: 8 KiB. */
  public static final int DEFAULT_MAX_TOKEN_LENGTH = 8192;
  /** Default {@link #cacheMaximumSize(long)}. */
  public static final long DEFAULT_CACHE_MAXIMUM_SIZE = 10_000;
  /** Largest {@link #cacheMaximumSize(long)}. */
  public static final long MAX_CACHE_MAXIMUM_SIZE = VerifiedTokenCache.MAXIMUM_SLOTS;
  /** Default {@link #cacheMaximumTimeToLive(Duration)}. */
  public static final Duration DEFAULT_CACHE_MAXIMUM_TIME_TO_LIVE = Duration.ofMinutes(5);
  /** Default {@link #jwksCacheTimeToLive(Duration)}. */
  public static final Duration DEFAULT_JWKS_CACHE_TIME_TO_LIVE = Duration.ofMinutes(5);
  /** Default {@link #jwksRefreshAhead(Duration)}. */
  public static final Duration DEFAULT_JWKS_REFRESH_AHEAD = Duration.ofSeconds(30);
  /** Default {@link #jwksRateLimit(Duration)}. */
  public static final Duration DEFAULT_JWKS_RATE_LIMIT = Duration.ofSeconds(30);
  /** Default {@link #jwksOutageTolerance(Duration)}. */
  public static final Duration DEFAULT_JWKS_OUTAGE_TOLERANCE = Duration.ofHours(1);
  /** Default {@link #jwksTimeout(Duration)}. */
  public static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(1);

  private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  private static final int MIN_TOKEN_LENGTH = 256;
  private static final int MAX_TOKEN_LENGTH = 65_536;
  private static final int MIN_HMAC_SECRET_BYTES = 32;

  private static final List<JWSAlgorithm> SUPPORTED = List.of(
      JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512,
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

  private static final Set<String> REGISTERED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

  private Set<JWSAlgorithm> allowedAlgorithms;
  private URI jwksUri;
  private JWKSet jwkSet;
  private byte[] hmacSecret;
  private String issuer;
  private Set<String> audiences;
  private Duration clockSkew;
  private String regionClaim;
  private Map<String, String> regionMapping;
  private Integer maxTokenLength;
  private Long cacheMaximumSize;
  private Duration cacheMaximumTimeToLive;
  private Duration jwksCacheTimeToLive;
  private Duration jwksRefreshAhead;
  private Duration jwksRateLimit;
  private Duration jwksOutageTolerance;
  private Duration jwksTimeout;
  private Clock clock;
  private Ticker ticker;

  JwtRegionResolverBuilder() {}

  /**
   * The JWS algorithms accepted, by name, e.g. {@code "RS256", "ES256"}. There is no default: name exactly
   * what your issuer signs with.
   *
   * @throws IllegalArgumentException if the list is empty, names {@code none} or an unsupported algorithm
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder allowedAlgorithms(String... names) {
    requireUnset(allowedAlgorithms, "allowedAlgorithms");
    Objects.requireNonNull(names, "allowedAlgorithms");
    if (names.length == 0) {
      throw new IllegalArgumentException("allowedAlgorithms must name at least one algorithm (supported: "
          + names(SUPPORTED) + ")");
    }
    Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    for (String name : names) {
      Objects.requireNonNull(name, "allowedAlgorithms element");
      if ("none".equalsIgnoreCase(name.trim())) {
        throw new IllegalArgumentException(
            "allowedAlgorithms: 'none' is never allowed (unsigned tokens would be accepted)");
      }
      JWSAlgorithm algorithm = SUPPORTED.stream().filter(a -> a.getName().equals(name.trim())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("allowedAlgorithms: unsupported algorithm '" + name
              + "' (supported: " + names(SUPPORTED) + ")"));
      algorithms.add(algorithm);
    }
    this.allowedAlgorithms = Set.copyOf(algorithms);
    return this;
  }

  /**
   * Where to fetch the issuer's public keys (a JWK set document). Must be {@code https}; {@code http} is
   * accepted for loopback hosts only (tests), since keys fetched in clear text could be replaced on the way.
   *
   * @throws IllegalArgumentException if not absolute, or not https and not loopback
   * @throws IllegalStateException    if this or {@link #jwkSet(JWKSet)} was already set
   */
  public JwtRegionResolverBuilder jwksUri(URI uri) {
    requireUnset(jwksUri, "jwksUri");
    requireUnset(jwkSet, "jwkSet (jwksUri and jwkSet are mutually exclusive)");
    Objects.requireNonNull(uri, "jwksUri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException("jwksUri must be an absolute http(s) URI: '" + uri + "'");
    }
    if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(uri.getHost()))) {
      throw new IllegalArgumentException("jwksUri must use https (http is accepted for loopback hosts only): '"
          + uri + "'");
    }
    this.jwksUri = uri;
    return this;
  }

  /**
   * A fixed set of public keys (for issuers without a JWKS endpoint, and for tests). Private parts are
   * dropped; symmetric keys are refused (give an HMAC secret with {@link #hmacSecret(byte[])}).
   *
   * @throws IllegalArgumentException if the set is empty or holds a symmetric ({@code oct}) key
   * @throws IllegalStateException    if this or {@link #jwksUri(URI)} was already set
   */
  public JwtRegionResolverBuilder jwkSet(JWKSet set) {
    requireUnset(jwkSet, "jwkSet");
    requireUnset(jwksUri, "jwksUri (jwksUri and jwkSet are mutually exclusive)");
    Objects.requireNonNull(set, "jwkSet");
    if (set.isEmpty()) {
      throw new IllegalArgumentException("jwkSet must hold at least one key");
    }
    for (JWK key : set.getKeys()) {
      if (KeyType.OCT.equals(key.getKeyType())) {
        throw new IllegalArgumentException("jwkSet holds a symmetric (oct) key" + kidText(key)
            + "; HMAC secrets are given with hmacSecret(...) so they can never be confused with public keys");
      }
    }
    this.jwkSet = JwksKeySource.publicAsymmetricKeys(set);
    return this;
  }

  /**
   * The shared secret for HMAC algorithms (HS256 needs at least 32 bytes, HS384 48, HS512 64). Copied.
   * It verifies HMAC algorithms only; asymmetric keys never verify HMAC algorithms.
   *
   * @throws IllegalArgumentException if shorter than 32 bytes, or if it is a PEM-encoded key (the
   *                                  signature of the "public key as HMAC secret" confusion)
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder hmacSecret(byte[] secret) {
    requireUnset(hmacSecret, "hmacSecret");
    Objects.requireNonNull(secret, "hmacSecret");
    if (secret.length < MIN_HMAC_SECRET_BYTES) {
      throw new IllegalArgumentException("hmacSecret is " + secret.length + " bytes; at least "
          + MIN_HMAC_SECRET_BYTES + " random bytes are required (RFC 7518 §3.2)");
    }
    String start = new String(secret, 0, Math.min(secret.length, 64), StandardCharsets.ISO_8859_1);
    if (start.stripLeading().startsWith("-----BEGIN")) {
      throw new IllegalArgumentException("hmacSecret looks like a PEM-encoded key; an HMAC secret must be "
          + "random bytes, never a public or private key");
    }
    this.hmacSecret = secret.clone();
    return this;
  }

  /**
   * The required {@code iss} (exact match). Not checked if not set.
   *
   * @throws IllegalArgumentException if blank
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder issuer(String issuer) {
    requireUnset(this.issuer, "issuer");
    this.issuer = requireNonBlank(issuer, "issuer");
    return this;
  }

  /**
   * The accepted audiences: a token's {@code aud} must name at least one. Not checked if not set.
   *
   * @throws IllegalArgumentException if empty or an element is blank
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder audiences(String... audiences) {
    requireUnset(this.audiences, "audiences");
    Objects.requireNonNull(audiences, "audiences");
    if (audiences.length == 0) {
      throw new IllegalArgumentException("audiences must name at least one audience");
    }
    Set<String> set = new LinkedHashSet<>();
    for (String audience : audiences) {
      set.add(requireNonBlank(audience, "audiences element"));
    }
    this.audiences = Set.copyOf(set);
    return this;
  }

  /**
   * How far the issuer's clock and ours may disagree when checking {@code exp} and {@code nbf}.
   *
   * @throws IllegalArgumentException if negative or more than 5 minutes
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder clockSkew(Duration skew) {
    requireUnset(clockSkew, "clockSkew");
    Objects.requireNonNull(skew, "clockSkew");
    if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException("clockSkew must be between 0 and " + MAX_CLOCK_SKEW + ": " + skew);
    }
    this.clockSkew = skew;
    return this;
  }

  /**
   * The name of the claim that holds the region.
   *
   * @throws IllegalArgumentException if blank or a registered claim name ({@code sub}, {@code iss}, ...)
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder regionClaim(String name) {
    requireUnset(regionClaim, "regionClaim");
    requireNonBlank(name, "regionClaim");
    if (REGISTERED_CLAIMS.contains(name)) {
      throw new IllegalArgumentException("regionClaim must not be a registered JWT claim: '" + name + "'");
    }
    this.regionClaim = name;
    return this;
  }

  /**
   * Maps claim values to regions, e.g. {@code {"EU": "eu", "DE": "eu", "US": "us"}}. With a mapping, a claim
   * value it does not contain is an {@link UnknownRegionClaimException}; without one, the value is the
   * region. Copied.
   *
   * @throws IllegalArgumentException if empty, or a key or value is blank
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder regionMapping(Map<String, String> mapping) {
    requireUnset(regionMapping, "regionMapping");
    Objects.requireNonNull(mapping, "regionMapping");
    if (mapping.isEmpty()) {
      throw new IllegalArgumentException("regionMapping must map at least one claim value");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    mapping.forEach((value, region) -> copy.put(requireNonBlank(value, "regionMapping key"),
        requireNonBlank(region, "regionMapping value for '" + value + "'")));
    this.regionMapping = Map.copyOf(copy);
    return this;
  }

  /**
   * The longest token accepted, in characters; longer ones are refused before any parsing.
   *
   * @throws IllegalArgumentException if outside 256..65536
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder maxTokenLength(int length) {
    requireUnset(maxTokenLength, "maxTokenLength");
    if (length < MIN_TOKEN_LENGTH || length > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("maxTokenLength must be between " + MIN_TOKEN_LENGTH + " and "
          + MAX_TOKEN_LENGTH + ": " + length);
    }
    this.maxTokenLength = length;
    return this;
  }

  /**
   * The most verified tokens kept in the cache; 0 disables it. The cache's slots are allocated when the
   * resolver is built (one reference each), hence the upper limit.
   *
   * @throws IllegalArgumentException if negative or above {@value #MAX_CACHE_MAXIMUM_SIZE}
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder cacheMaximumSize(long size) {
    requireUnset(cacheMaximumSize, "cacheMaximumSize");
    if (size < 0) {
      throw new IllegalArgumentException("cacheMaximumSize must not be negative: " + size);
    }
    if (size > MAX_CACHE_MAXIMUM_SIZE) {
      throw new IllegalArgumentException("cacheMaximumSize must not be more than " + MAX_CACHE_MAXIMUM_SIZE
          + ": " + size);
    }
    this.cacheMaximumSize = size;
    return this;
  }

  /**
   * The longest a verified token stays cached; it never stays past its own {@code exp} either. This bounds
   * how long a token keeps working after its key was withdrawn from the JWK set.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder cacheMaximumTimeToLive(Duration timeToLive) {
    requireUnset(cacheMaximumTimeToLive, "cacheMaximumTimeToLive");
    this.cacheMaximumTimeToLive = requirePositive(timeToLive, "cacheMaximumTimeToLive");
    return this;
  }

  /**
   * How long a fetched JWK set is used before it is fetched again.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder jwksCacheTimeToLive(Duration timeToLive) {
    requireUnset(jwksCacheTimeToLive, "jwksCacheTimeToLive");
    this.jwksCacheTimeToLive = requirePositive(timeToLive, "jwksCacheTimeToLive");
    return this;
  }

  /**
   * How long before the cached JWK set expires a request triggers a background refresh, so that requests
   * do not wait for a fetch when it expires.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder jwksRefreshAhead(Duration refreshAhead) {
    requireUnset(jwksRefreshAhead, "jwksRefreshAhead");
    Objects.requireNonNull(refreshAhead, "jwksRefreshAhead");
    if (refreshAhead.isNegative()) {
      throw new IllegalArgumentException("jwksRefreshAhead must not be negative: " + refreshAhead);
    }
    this.jwksRefreshAhead = refreshAhead;
    return this;
  }

  /**
   * The minimum interval between JWK set fetches (nimbus allows a second fetch within an interval, so
   * an unknown key id can be looked up right after a scheduled refresh). This is what keeps a flood of
   * tokens with made-up key ids from turning into a flood of requests to the issuer.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder jwksRateLimit(Duration minimumInterval) {
    requireUnset(jwksRateLimit, "jwksRateLimit");
    this.jwksRateLimit = requirePositive(minimumInterval, "jwksRateLimit");
    return this;
  }

  /**
   * How long the last successfully fetched JWK set keeps serving while the JWKS URL is unreachable;
   * 0 disables outage tolerance.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder jwksOutageTolerance(Duration tolerance) {
    requireUnset(jwksOutageTolerance, "jwksOutageTolerance");
    Objects.requireNonNull(tolerance, "jwksOutageTolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("jwksOutageTolerance must not be negative: " + tolerance);
    }
    this.jwksOutageTolerance = tolerance;
    return this;
  }

  /**
   * The connect timeout and the read timeout (each) of a JWK set fetch.
   *
   * @throws IllegalArgumentException if under 100 ms or over 60 s
   * @throws IllegalStateException    if already set
   */
  public JwtRegionResolverBuilder jwksTimeout(Duration timeout) {
    requireUnset(jwksTimeout, "jwksTimeout");
    Objects.requireNonNull(timeout, "jwksTimeout");
    if (timeout.toMillis() < 100 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("jwksTimeout must be between 100ms and 60s: " + timeout);
    }
    this.jwksTimeout = timeout;
    return this;
  }

  /**
   * The wall clock for {@code exp}/{@code nbf} checks, cache lifetimes and JWK set caching (tests).
   *
   * @throws IllegalStateException if already set
   */
  public JwtRegionResolverBuilder clock(Clock clock) {
    requireUnset(this.clock, "clock");
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The time source that ages verified-token cache entries (tests); keep it consistent with {@link #clock}.
   *
   * @throws IllegalStateException if already set
   */
  public JwtRegionResolverBuilder ticker(Ticker ticker) {
    requireUnset(this.ticker, "ticker");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Builds the resolver. With a JWKS URI, nothing is fetched yet: the first token triggers the first fetch.
   *
   * @throws IllegalStateException if a required setting is missing or settings contradict each other
   */
  public JwtRegionResolver build() {
    if (allowedAlgorithms == null) {
      throw new IllegalStateException("allowedAlgorithms must be set: name the JWS algorithms your issuer "
          + "signs with, e.g. allowedAlgorithms(\"RS256\") (supported: " + names(SUPPORTED) + ")");
    }
    Set<JWSAlgorithm> hmac = allowedAlgorithms.stream()
        .filter(JWSAlgorithm.Family.HMAC_SHA::contains).collect(Collectors.toUnmodifiableSet());
    Set<JWSAlgorithm> asymmetric = allowedAlgorithms.stream()
        .filter(a -> !hmac.contains(a)).collect(Collectors.toUnmodifiableSet());
    checkHmac(hmac);
    checkAsymmetric(asymmetric);

    Clock theClock = clock == null ? Clock.systemUTC() : clock;
    Duration timeout = orDefault(jwksTimeout, DEFAULT_JWKS_TIMEOUT);
    JwksKeySource jwks = null;
    JWKSource<SecurityContext> keys = null;
    if (!asymmetric.isEmpty() && jwksUri != null) {
      jwks = remoteKeys(timeout, theClock);
      keys = jwks;
    } else if (!asymmetric.isEmpty()) {
      keys = new ImmutableJWKSet<>(jwkSet);
    }
    AlgorithmKeySelector selector = new AlgorithmKeySelector(hmac,
        hmac.isEmpty() ? null : new SecretKeySpec(hmacSecret, "HmacSHA256"), asymmetric, keys);

    Settings settings = new Settings(orDefault(maxTokenLength, DEFAULT_MAX_TOKEN_LENGTH), allowedAlgorithms,
        selector, jwks, issuer, orDefault(audiences, Set.of()),
        orDefault(clockSkew, DEFAULT_CLOCK_SKEW), orDefault(regionClaim, DEFAULT_REGION_CLAIM),
        orDefault(regionMapping, Map.of()), orDefault(cacheMaximumSize, DEFAULT_CACHE_MAXIMUM_SIZE),
        orDefault(cacheMaximumTimeToLive, DEFAULT_CACHE_MAXIMUM_TIME_TO_LIVE), theClock,
        ticker == null ? Ticker.systemTicker() : ticker);
    log.info("JWT region resolver: algorithms {}, keys from {}, issuer {}, audiences {}, region claim '{}'{}",
        names(allowedAlgorithms), keysText(hmac, asymmetric), settings.issuer() == null ? "(any)" : settings.issuer(),
        settings.audiences().isEmpty() ? "(any)" : settings.audiences(), settings.regionClaim(),
        settings.regionMapping().isEmpty() ? "" : ", mapped " + settings.regionMapping());
    return new JwtRegionResolver(settings);
  }

  private void checkHmac(Set<JWSAlgorithm> hmac) {
    if (hmac.isEmpty()) {
      if (hmacSecret != null) {
        log.warn("hmacSecret has no effect: allowedAlgorithms {} holds no HMAC algorithm",
            names(allowedAlgorithms));
      }
      return;
    }
    if (hmacSecret == null) {
      throw new IllegalStateException("allowedAlgorithms includes " + names(hmac) + " but no hmacSecret is set");
    }
    for (JWSAlgorithm algorithm : hmac) {
      int needed = Integer.parseInt(algorithm.getName().substring(2)) / 8;
      if (hmacSecret.length < needed) {
        throw new IllegalStateException("hmacSecret is " + hmacSecret.length + " bytes; " + algorithm
            + " in allowedAlgorithms needs at least " + needed);
      }
    }
    if (jwkSet != null) {
      for (JWK key : jwkSet.getKeys()) {
        if (key instanceof AsymmetricJWK asymmetricKey && isEncodingOf(asymmetricKey)) {
          throw new IllegalStateException("hmacSecret is the encoding of the public key" + kidText(key)
              + " in jwkSet; an HMAC secret must never be a public key");
        }
      }
    }
  }

  private boolean isEncodingOf(AsymmetricJWK key) {
    try {
      return MessageDigest.isEqual(hmacSecret, key.toPublicKey().getEncoded());
    } catch (JOSEException e) {
      return false;
    }
  }

  private void checkAsymmetric(Set<JWSAlgorithm> asymmetric) {
    if (asymmetric.isEmpty()) {
      if (jwksUri != null || jwkSet != null) {
        log.warn("{} has no effect: allowedAlgorithms {} holds no RSA or EC algorithm",
            jwksUri != null ? "jwksUri" : "jwkSet", names(allowedAlgorithms));
      }
      return;
    }
    if (jwksUri == null && jwkSet == null) {
      throw new IllegalStateException("allowedAlgorithms includes " + names(asymmetric)
          + " but neither jwksUri nor jwkSet is set");
    }
    if (jwksUri == null && (jwksCacheTimeToLive != null || jwksRefreshAhead != null || jwksRateLimit != null
        || jwksOutageTolerance != null || jwksTimeout != null)) {
      log.warn("the jwks* settings have no effect without jwksUri");
    }
  }

  private JwksKeySource remoteKeys(Duration timeout, Clock theClock) {
    Duration timeToLive = orDefault(jwksCacheTimeToLive, DEFAULT_JWKS_CACHE_TIME_TO_LIVE);
    Duration refreshAhead = orDefault(jwksRefreshAhead, DEFAULT_JWKS_REFRESH_AHEAD);
    Duration rateLimit = orDefault(jwksRateLimit, DEFAULT_JWKS_RATE_LIMIT);
    // How long other requests wait for a fetch in progress: one connect plus one read.
    Duration refreshTimeout = timeout.multipliedBy(2);
    if (rateLimit.compareTo(timeToLive) >= 0) {
      throw new IllegalStateException("jwksRateLimit (" + rateLimit + ") must be shorter than "
          + "jwksCacheTimeToLive (" + timeToLive + ")");
    }
    if (refreshAhead.plus(refreshTimeout).compareTo(timeToLive) > 0) {
      throw new IllegalStateException("jwksRefreshAhead (" + refreshAhead + ") plus twice jwksTimeout ("
          + refreshTimeout + ") must not exceed jwksCacheTimeToLive (" + timeToLive + ")");
    }
    URL url;
    try {
      url = jwksUri.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalStateException("jwksUri cannot be used as a URL: '" + jwksUri + "'", e);
    }
    return JwksKeySource.create(url, timeout, timeToLive, refreshAhead, refreshTimeout, rateLimit,
        orDefault(jwksOutageTolerance, DEFAULT_JWKS_OUTAGE_TOLERANCE), theClock);
  }

  private String keysText(Set<JWSAlgorithm> hmac, Set<JWSAlgorithm> asymmetric) {
    String asymmetricText = asymmetric.isEmpty() ? null
        : jwksUri != null ? "JWKS " + jwksUri : "a static JWK set of " + jwkSet.size() + " key(s)";
    String hmacText = hmac.isEmpty() ? null : "an HMAC secret";
    return asymmetricText == null ? hmacText : hmacText == null ? asymmetricText : asymmetricText + " and " + hmacText;
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }

  private static String kidText(JWK key) {
    return key.getKeyID() == null ? "" : " '" + Rfc6750.descriptionSafe(key.getKeyID()) + "'";
  }

  private static String names(java.util.Collection<JWSAlgorithm> algorithms) {
    return algorithms.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", "));
  }

  private static void requireUnset(Object current, String name) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set");
    }
  }

  private static String requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  private static Duration requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  private static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }

  /** Everything the resolver needs, validated and with defaults applied. */
  record Settings(int maxTokenLength, Set<JWSAlgorithm> allowedAlgorithms, AlgorithmKeySelector keySelector,
      JwksKeySource jwks, String issuer, Set<String> audiences, Duration clockSkew, String regionClaim,
      Map<String, String> regionMapping, long cacheMaximumSize, Duration cacheMaximumTimeToLive, Clock clock,
      Ticker ticker) {
  }

  @Override
  public String toString() {
    return "JwtRegionResolverBuilder[allowedAlgorithms=" + (allowedAlgorithms == null ? "-" : names(allowedAlgorithms))
        + ", hmacSecret=" + (hmacSecret == null ? "-" : "(" + hmacSecret.length + " bytes)") + "]";
  }
}
