package io.github.regionrouter.jwt;

/**
 * The token verified, but it has no usable region claim (absent, not a string, or blank). The caller is
 * authenticated but not authorised for any region: an HTTP service answers 403. There is deliberately no
 * fallback to a default region for a token that says nothing: a wrong region is a data-residency incident.
 *
 * <p>Thread safety: immutable.
 */
public final class MissingRegionClaimException extends JwtRegionException {

  /** The name of the region claim. */
  private final String claimName;

  MissingRegionClaimException(String claimName, String description) {
    super(description, null, false);
    this.claimName = claimName;
  }

  /** The name of the claim that was expected to hold the region, e.g. {@code region}. */
  public String claimName() {
    return claimName;
  }
}
