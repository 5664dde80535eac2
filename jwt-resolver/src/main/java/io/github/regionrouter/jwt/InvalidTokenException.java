package io.github.regionrouter.jwt;

import java.util.Objects;

/**
 * The bearer token is not acceptable: malformed, too large, encrypted, unsigned, signed with an algorithm
 * or key that is not accepted, badly signed, expired, not yet valid, issued in the future, or issued by or
 * for someone else.
 * An HTTP service answers 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}.
 *
 * <p>Invalid tokens are ordinary input, not a fault of this service: the exception carries no stack trace
 * (cheap to throw under a flood of garbage) and no cause (a parser's message could quote the token).
 *
 * <p>Thread safety: immutable.
 */
public final class InvalidTokenException extends JwtRegionException {

  /** Why a token was rejected; stable names, usable as a metric tag. */
  public enum Reason {
    /**
     * Not three base64url parts holding a JOSE header and a JSON claims set; garbage; nesting too deep; a
     * {@code crit} header that is an empty list (RFC 7515 §4.1.11 forbids producers to send one).
     */
    MALFORMED,
    /** Longer than the configured maximum token length. */
    OVERSIZE,
    /** A JWE (five parts): encrypted tokens are not accepted. */
    ENCRYPTED,
    /** {@code alg: none}: unsigned tokens are never accepted. */
    UNSIGNED,
    /** Signed with an algorithm that is not on the allow-list. */
    ALGORITHM_NOT_ALLOWED,
    /** The {@code typ} header is not one of {@code JWT}, {@code at+jwt} or absent. */
    WRONG_TYPE,
    /** No key matches the token's algorithm and key id (after one rate-limited JWKS refresh). */
    UNKNOWN_KEY,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** No {@code exp} claim: tokens must expire. */
    MISSING_EXPIRY,
    /** {@code exp} is past, by more than the allowed clock skew. */
    EXPIRED,
    /** {@code nbf} is in the future, by more than the allowed clock skew. */
    NOT_YET_VALID,
    /** {@code iat} is in the future, by more than the allowed clock skew: no issuer dates its tokens ahead. */
    ISSUED_IN_FUTURE,
    /** {@code iss} is not the configured issuer. */
    WRONG_ISSUER,
    /** {@code aud} names none of the configured audiences. */
    WRONG_AUDIENCE
  }

  /** Why the token was rejected. */
  private final Reason reason;

  InvalidTokenException(Reason reason, String description) {
    super(description, null, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the token was rejected. */
  public Reason reason() {
    return reason;
  }
}
