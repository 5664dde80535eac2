package io.github.regionrouter.jwt;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified token says: the region that decides where the caller's data lives, who the caller is,
 * and until when the token is valid.
 *
 * <p>Thread safety: immutable.
 *
 * @param region    the region (after the optional claim-value mapping); never blank
 * @param issuer    the token's {@code iss}, or null if it has none
 * @param subject   the token's {@code sub}, or null if it has none (or a blank one)
 * @param expiresAt the token's {@code exp}
 */
public record VerifiedRegion(String region, String issuer, String subject, Instant expiresAt) {

  /**
   * @throws NullPointerException     if {@code region} or {@code expiresAt} is null
   * @throws IllegalArgumentException if {@code region} is blank
   */
  public VerifiedRegion {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
  }

  /**
   * The subject to open a {@code RegionContext} with (read-your-writes pins are kept per region and subject):
   * the issuer and the subject together, {@code iss|sub}, so that equal {@code sub} values of two issuers
   * never share a pin ({@code |} and {@code %} in the issuer are percent-encoded, which keeps the form
   * unambiguous). Just {@code sub} when there is no issuer; null when there is no subject.
   */
  public String qualifiedSubject() {
    if (subject == null) {
      return null;
    }
    if (issuer == null) {
      return subject;
    }
    return issuer.replace("%", "%25").replace("|", "%7C") + "|" + subject;
  }
}
