package io.github.regionrouter.jwt;

/**
 * The token verified, but its region claim names a value that is not in the configured mapping of claim
 * values to regions. An HTTP service answers 403.
 *
 * <p>The message names the claim, never its value: claim values are user data, and an answer or a log line
 * that echoes them can be made to carry anything. {@link #claimValue()} has it, for code that bounds and
 * escapes it (the servlet filter logs at most 64 escaped characters, at DEBUG).
 *
 * <p>Thread safety: immutable.
 */
public final class UnknownRegionClaimException extends JwtRegionException {

  /** The name of the region claim. */
  private final String claimName;
  /** The claim's value, unsanitised. */
  private final String claimValue;

  UnknownRegionClaimException(String claimName, String claimValue) {
    super("the token's '" + claimName + "' claim names no region this service knows", null, false);
    this.claimName = claimName;
    this.claimValue = claimValue;
  }

  /** The name of the region claim, e.g. {@code region}. */
  public String claimName() {
    return claimName;
  }

  /**
   * The claim's value as found in the (verified) token. Not sanitised and not bounded: user data, to keep out
   * of responses and of log lines at INFO or above; bound and escape it before logging it at DEBUG.
   */
  public String claimValue() {
    return claimValue;
  }
}
