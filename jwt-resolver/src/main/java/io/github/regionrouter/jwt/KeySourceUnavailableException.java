package io.github.regionrouter.jwt;

/**
 * The token could not be checked because the JWKS endpoint is unreachable and no cached key matches it:
 * the service, not the client, is at fault, and an HTTP service answers 503. Tokens whose keys are cached
 * keep verifying during a JWKS outage (up to the configured outage tolerance).
 *
 * <p>The cause is the key source's failure (it names the JWKS URL, never the token).
 *
 * <p>Thread safety: immutable.
 */
public final class KeySourceUnavailableException extends JwtRegionException {

  KeySourceUnavailableException(String description, Throwable cause) {
    super(description, cause, true);
  }
}
