package io.github.regionrouter.jwt;

/**
 * The token verified, but its region claim names a value that is not in the configured mapping of claim
 * values to regions. An HTTP service answers 403.
 *
 * <p>Thread safety: immutable.
 */
public final class UnknownRegionClaimException extends JwtRegionException {

  /** The name of the region claim. */
  private final String claimName;
  /** The claim's value, unsanitised. */
  private final String claimValue;

  UnknownRegionClaimException(String claimName, String claimValue) {
    super("the token's '" + claimName + "' claim " + Rfc6750.quoteIfPlain(claimValue)
        + " names no region this service knows", null, false);
    this.claimName = claimName;
    this.claimValue = claimValue;
  }

  /** The name of the region claim, e.g. {@code region}. */
  public String claimName() {
    return claimName;
  }

  /**
   * The claim's value as found in the (verified) token. Not sanitised: quote or escape it before putting it
   * into a response or a log line.
   */
  public String claimValue() {
    return claimValue;
  }
}
