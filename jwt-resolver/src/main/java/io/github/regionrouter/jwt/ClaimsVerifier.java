package io.github.regionrouter.jwt;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code exp} (required), {@code nbf}, {@code iat}, {@code iss} and {@code aud} against an injectable
 * clock.
 *
 * <p>Why not nimbus's {@code DefaultJWTClaimsVerifier}: it reads the system clock, and its failures differ
 * only by message text, some of which quote claim values. Ours throw a {@link Rejected} that carries a
 * {@link InvalidTokenException.Reason} and a fixed description. {@code DefaultJWTProcessor} runs it only
 * after the signature verified.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
final class ClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

  private final Clock clock;
  private final long skewMillis;
  private final String issuer;
  private final Set<String> audiences;

  ClaimsVerifier(Clock clock, Duration clockSkew, String issuer, Set<String> audiences) {
    this.clock = clock;
    this.skewMillis = clockSkew.toMillis();
    this.issuer = issuer;
    this.audiences = Set.copyOf(audiences);
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    long now = clock.millis();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new Rejected(InvalidTokenException.Reason.MISSING_EXPIRY, "the token has no exp claim");
    }
    // RFC 7519 §4.1.4: the current time MUST be before exp; the skew forgives clocks that disagree.
    if (now >= exp.getTime() + skewMillis) {
      throw new Rejected(InvalidTokenException.Reason.EXPIRED, "the token has expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now < nbf.getTime() - skewMillis) {
      throw new Rejected(InvalidTokenException.Reason.NOT_YET_VALID, "the token is not valid yet (nbf)");
    }
    // RFC 7519 §4.1.6 only says iat is when the token was issued; one dated beyond the skew was minted by a
    // clock that is wrong or by someone who wants a token that outlives a key rotation or a revocation.
    Date iat = claims.getIssueTime();
    if (iat != null && iat.getTime() > now + skewMillis) {
      throw new Rejected(InvalidTokenException.Reason.ISSUED_IN_FUTURE, "the token is issued in the future (iat)");
    }
    if (issuer != null && !issuer.equals(claims.getIssuer())) {
      throw new Rejected(InvalidTokenException.Reason.WRONG_ISSUER, "the token's issuer is not accepted");
    }
    if (!audiences.isEmpty() && !namesAny(claims.getAudience())) {
      throw new Rejected(InvalidTokenException.Reason.WRONG_AUDIENCE,
          "the token's audience does not include this service");
    }
  }

  private boolean namesAny(List<String> tokenAudiences) {
    for (String audience : tokenAudiences) {
      if (audiences.contains(audience)) {
        return true;
      }
    }
    return false;
  }

  /** A claims check that failed, with its reason; no stack trace (it is input validation, not a bug). */
  static final class Rejected extends BadJWTException {
    private final InvalidTokenException.Reason reason;

    Rejected(InvalidTokenException.Reason reason, String description) {
      super(description);
      this.reason = reason;
    }

    InvalidTokenException.Reason reason() {
      return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
