package io.github.regionrouter.jwt;

/**
 * A bearer token that does not yield a region. Subclasses say why, and map one to one to an HTTP answer:
 * {@link InvalidTokenException} (401), {@link MissingRegionClaimException} and
 * {@link UnknownRegionClaimException} (403), {@link KeySourceUnavailableException} (503).
 *
 * <p>The {@linkplain #getMessage() message} equals the {@linkplain #description() description}: it names
 * the problem and never contains the token or a part of it, so both may be logged and sent to the client.
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public abstract sealed class JwtRegionException extends Exception
    permits InvalidTokenException, MissingRegionClaimException, UnknownRegionClaimException,
    KeySourceUnavailableException {

  /** The client-safe description, also the message. */
  private final String description;

  JwtRegionException(String description, Throwable cause, boolean writableStackTrace) {
    super(description, cause, false, writableStackTrace);
    this.description = Rfc6750.descriptionSafe(description);
  }

  /**
   * A short, human-readable reason that is safe to return to the client, for example as the RFC 6750
   * {@code error_description}: printable ASCII without {@code "} or {@code \}, and never the token.
   */
  public String description() {
    return description;
  }
}
