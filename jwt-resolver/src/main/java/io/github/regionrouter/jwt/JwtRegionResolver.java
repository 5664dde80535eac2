package io.github.regionrouter.jwt;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a bearer token and returns the region it names: the only source of the region that decides
 * where a user's data is written. Built by {@link #builder()}; see {@link JwtRegionResolverBuilder} for
 * every setting and its default.
 *
 * <pre>{@code
 * JwtRegionResolver resolver = JwtRegionResolver.builder()
 *     .allowedAlgorithms("RS256", "ES256")
 *     .jwksUri(URI.create("https://idp.example.com/.well-known/jwks.json"))
 *     .issuer("https://idp.example.com/")
 *     .audiences("orders-api")
 *     .build();
 * VerifiedRegion verified = resolver.resolve(bearerToken);   // or a typed JwtRegionException
 * }</pre>
 *
 * <p>What is checked, in this order, and what answers a failure
 * ({@link InvalidTokenException.Reason} unless said otherwise):
 * <ol>
 *   <li>length (at most {@code maxTokenLength}) and shape: three base64url parts, else {@code OVERSIZE},
 *       {@code ENCRYPTED} for five parts (JWE), {@code MALFORMED};</li>
 *   <li>the header: {@code alg: none} is {@code UNSIGNED}; an algorithm off the allow-list is
 *       {@code ALGORITHM_NOT_ALLOWED}; {@code typ}, if present, must be {@code JWT} or {@code at+jwt}
 *       ({@code WRONG_TYPE}); {@code crit}, if present, must not be empty ({@code MALFORMED});</li>
 *   <li>the signature, by nimbus's {@code DefaultJWTProcessor}: HMAC algorithms only with the HMAC secret,
 *       RSA/EC algorithms only with public keys of the JWK source, so that an RSA public key can never serve
 *       as an HMAC secret; JSON nesting in header and claims is bounded by nimbus's parser (255 levels), so
 *       deeply nested input is {@code MALFORMED}, never a stack overflow;</li>
 *   <li>the claims: {@code exp} required, {@code nbf}, {@code iat} not in the future, {@code iss},
 *       {@code aud}, with the clock skew;</li>
 *   <li>the region claim: {@link MissingRegionClaimException} if absent, not a string or blank;
 *       {@link UnknownRegionClaimException} if a mapping is configured and has no entry for it.</li>
 * </ol>
 * When the JWKS URL is unreachable and no cached key matches, the answer is
 * {@link KeySourceUnavailableException}.
 *
 * <p>Successful verifications are cached by token string, never beyond the token's {@code exp}; a cache hit
 * skips every step above except the length check.
 *
 * <p>Thread safety: immutable once built and safe for concurrent use; share one instance per issuer.
 * {@link #close()} stops the JWKS refresh thread.
 */
public final class JwtRegionResolver implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JwtRegionResolver.class);

  /** RFC 7515 §4.1.9: {@code typ} is case-insensitive and may omit the {@code application/} prefix. */
  private static final Set<String> ACCEPTED_TYPES =
      Set.of("jwt", "application/jwt", "at+jwt", "application/at+jwt");

  private final int maxTokenLength;
  private final Set<JWSAlgorithm> allowedAlgorithms;
  private final String allowedAlgorithmsText;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final JwksKeySource jwks;
  private final VerifiedTokenCache cache;
  private final String regionClaim;
  private final Map<String, String> regionMapping;

  JwtRegionResolver(JwtRegionResolverBuilder.Settings settings) {
    this.maxTokenLength = settings.maxTokenLength();
    this.allowedAlgorithms = settings.allowedAlgorithms();
    this.allowedAlgorithmsText = allowedAlgorithms.stream().map(JWSAlgorithm::getName).sorted()
        .collect(Collectors.joining(", "));
    this.jwks = settings.jwks();
    this.regionClaim = settings.regionClaim();
    this.regionMapping = settings.regionMapping();
    Clock clock = settings.clock();
    this.cache = new VerifiedTokenCache(settings.cacheMaximumSize(), settings.cacheMaximumTimeToLive(),
        clock, settings.ticker());
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier((type, context) -> {
      if (!isAcceptedType(type)) { // checked before already; kept so the processor alone is never laxer
        throw new BadJOSEException("typ not accepted");
      }
    });
    processor.setJWSKeySelector(settings.keySelector());
    processor.setJWTClaimsSetVerifier(new ClaimsVerifier(clock, settings.clockSkew(), settings.issuer(),
        settings.audiences()));
  }

  /**
   * Starts a builder. See {@link JwtRegionResolverBuilder} for the settings.
   */
  public static JwtRegionResolverBuilder builder() {
    return new JwtRegionResolverBuilder();
  }

  /**
   * Verifies {@code token} (the bearer token itself, without the {@code Bearer } prefix) and returns the
   * region and subject it names.
   *
   * @throws InvalidTokenException         if the token is not acceptable (see {@link InvalidTokenException.Reason})
   * @throws MissingRegionClaimException   if it verified but has no usable region claim
   * @throws UnknownRegionClaimException   if a region mapping is configured and does not know the claim value
   * @throws KeySourceUnavailableException if the JWKS URL is unreachable and no cached key matches
   */
  public VerifiedRegion resolve(String token) throws JwtRegionException {
    if (token == null || token.isEmpty()) {
      throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED, "the token is empty");
    }
    if (token.length() > maxTokenLength) {
      throw new InvalidTokenException(InvalidTokenException.Reason.OVERSIZE,
          "the token is longer than " + maxTokenLength + " characters");
    }
    VerifiedRegion cached = cache.get(token);
    if (cached != null) {
      return cached;
    }
    JWTClaimsSet claims = verify(parse(token));
    VerifiedRegion verified = new VerifiedRegion(region(claims), claims.getIssuer(), subject(claims),
        claims.getExpirationTime().toInstant());
    cache.put(token, verified);
    return verified;
  }

  private SignedJWT parse(String token) throws InvalidTokenException {
    int dots = 0;
    int firstDot = -1;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '.') {
        if (dots++ == 0) {
          firstDot = i;
        }
      } else if (!isBase64Url(c)) {
        throw malformed();
      }
    }
    if (dots == 4) {
      throw new InvalidTokenException(InvalidTokenException.Reason.ENCRYPTED,
          "encrypted tokens (JWE) are not accepted");
    }
    if (dots != 2 || firstDot == 0) {
      throw malformed();
    }
    int secondDot = token.indexOf('.', firstDot + 1);
    Base64URL headerPart = new Base64URL(token.substring(0, firstDot));
    Header header;
    try {
      header = Header.parse(headerPart);
    } catch (ParseException | RuntimeException e) {
      throw malformed();
    }
    if (header instanceof PlainHeader) {
      throw new InvalidTokenException(InvalidTokenException.Reason.UNSIGNED,
          "unsigned tokens (alg none) are not accepted");
    }
    if (!(header instanceof JWSHeader jwsHeader)) {
      throw new InvalidTokenException(InvalidTokenException.Reason.ENCRYPTED,
          "encrypted tokens (JWE) are not accepted");
    }
    if (!allowedAlgorithms.contains(jwsHeader.getAlgorithm())) {
      throw new InvalidTokenException(InvalidTokenException.Reason.ALGORITHM_NOT_ALLOWED,
          "the token's signing algorithm is not accepted (accepted: " + allowedAlgorithmsText + ")");
    }
    if (!isAcceptedType(jwsHeader.getType())) {
      throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_TYPE,
          "the token's typ header is not accepted (accepted: JWT, at+jwt)");
    }
    // RFC 7515 §4.1.11: "Producers MUST NOT use the empty list [] as the crit value". nimbus parses it into
    // an empty set (absent is null) and its verifiers then accept it; a conforming issuer never sends it.
    if (jwsHeader.getCriticalParams() != null && jwsHeader.getCriticalParams().isEmpty()) {
      throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED,
          "the token's crit header is an empty list");
    }
    try {
      return new SignedJWT(headerPart, new Base64URL(token.substring(firstDot + 1, secondDot)),
          new Base64URL(token.substring(secondDot + 1)));
    } catch (ParseException | RuntimeException e) {
      throw malformed();
    }
  }

  private JWTClaimsSet verify(SignedJWT jwt) throws JwtRegionException {
    try {
      return processor.process(jwt, null);
    } catch (ClaimsVerifier.Rejected e) {
      throw new InvalidTokenException(e.reason(), e.getMessage());
    } catch (BadJWSException e) {
      throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE,
          "the token's signature is invalid");
    } catch (BadJWTException e) {
      throw malformed(); // the claims are not a JSON object (or nested too deeply)
    } catch (BadJOSEException | RateLimitReachedException e) {
      // No key matched, even after the refresh the rate limiter allowed (or refused).
      throw unknownKey(e);
    } catch (KeySourceException e) {
      throw new KeySourceUnavailableException(
          "the signing keys cannot be fetched right now; try again later", e);
    } catch (JOSEException | RuntimeException e) {
      // e.g. a key of a shape no verifier takes; nothing the client can fix by retrying the same token
      throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE,
          "the token's signature cannot be verified");
    }
  }

  private JwtRegionException unknownKey(Exception cause) {
    if (jwks != null && jwks.unreachable()) {
      return new KeySourceUnavailableException("the signing keys cannot be fetched right now and no cached "
          + "key matches the token; try again later", cause);
    }
    return new InvalidTokenException(InvalidTokenException.Reason.UNKNOWN_KEY,
        "no key matches the token's algorithm and key id");
  }

  private String region(JWTClaimsSet claims) throws MissingRegionClaimException, UnknownRegionClaimException {
    Object value = claims.getClaim(regionClaim);
    if (value == null) {
      throw new MissingRegionClaimException(regionClaim, "the token has no '" + regionClaim + "' claim");
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new MissingRegionClaimException(regionClaim,
          "the token's '" + regionClaim + "' claim is not a non-blank string");
    }
    if (regionMapping.isEmpty()) {
      return text;
    }
    String region = regionMapping.get(text);
    if (region == null) {
      throw new UnknownRegionClaimException(regionClaim, text);
    }
    return region;
  }

  private static String subject(JWTClaimsSet claims) {
    String subject = claims.getSubject();
    return subject == null || subject.isBlank() ? null : subject;
  }

  private static boolean isAcceptedType(JOSEObjectType type) {
    return type == null || ACCEPTED_TYPES.contains(type.getType().toLowerCase(Locale.ROOT));
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static InvalidTokenException malformed() {
    return new InvalidTokenException(InvalidTokenException.Reason.MALFORMED,
        "the token is not a well-formed signed JWT");
  }

  /** The verified-token cache, for tests in this package. */
  VerifiedTokenCache cache() {
    return cache;
  }

  /**
   * Stops the JWKS refresh thread, if any. Verifications already running complete; later ones still work
   * from the cached keys but no longer refresh them. Idempotent.
   */
  @Override
  public void close() {
    if (jwks != null) {
      try {
        jwks.close();
      } catch (IOException e) {
        log.debug("closing the JWKS source failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "JwtRegionResolver[algorithms=" + allowedAlgorithmsText + ", regionClaim=" + regionClaim + "]";
  }
}
