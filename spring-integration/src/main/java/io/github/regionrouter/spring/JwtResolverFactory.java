package io.github.regionrouter.spring;

import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.JwtRegionResolverBuilder;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Hands {@code region-router.jwt.*} over to {@link JwtRegionResolver#builder()} (the validator), attributing
 * a rejection to its property.
 */
final class JwtResolverFactory {

  private static final String P = "region-router.jwt.";

  private JwtResolverFactory() {
  }

  static JwtRegionResolver build(RegionRouterProperties.Jwt jwt) {
    JwtRegionResolverBuilder b = JwtRegionResolver.builder();
    apply("algorithms", String.valueOf(jwt.getAlgorithms()), v -> b.allowedAlgorithms(
        jwt.getAlgorithms().toArray(String[]::new)), "HS/RS/PS/ES 256/384/512, never none",
        "list the algorithms your identity provider signs with, e.g. [RS256]");
    if (jwt.getJwksUri() != null) {
      apply("jwks-uri", jwt.getJwksUri().toString(), v -> b.jwksUri(jwt.getJwksUri()),
          "an https URL of a JWK set (http only on loopback)", "use the https JWKS URL of your identity provider");
    }
    if (jwt.getHmacSecret() != null) {
      apply("hmac-secret", "(secret, not shown)", v -> b.hmacSecret(Base64.getDecoder().decode(
          jwt.getHmacSecret().strip())), "base64 of at least 32 bytes (HS384: 48, HS512: 64)",
          "use the base64 secret your identity provider signs HS tokens with");
    }
    if (jwt.getIssuer() != null) {
      apply("issuer", jwt.getIssuer(), v -> b.issuer(jwt.getIssuer()), "the iss claim of your tokens",
          "set it to your identity provider's issuer");
    }
    if (!jwt.getAudiences().isEmpty()) {
      apply("audiences", String.valueOf(jwt.getAudiences()),
          v -> b.audiences(jwt.getAudiences().toArray(String[]::new)), "non-blank aud values",
          "list this service's audience");
    }
    apply("region-claim", jwt.getRegionClaim(), v -> b.regionClaim(jwt.getRegionClaim()), "a claim name",
        "name the claim that carries the region, e.g. region");
    if (!jwt.getRegionMapping().isEmpty()) {
      apply("region-mapping", String.valueOf(jwt.getRegionMapping()), v -> b.regionMapping(jwt.getRegionMapping()),
          "claim value: region pairs", "map each claim value to a configured region");
    }
    apply("clock-skew", String.valueOf(jwt.getClockSkew()), v -> b.clockSkew(jwt.getClockSkew()),
        "0s to 5m", "use a skew of at most 5m, e.g. 60s");
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw missingKeySource(jwt, e);
    }
  }

  /**
   * The builder's cross-setting check (an algorithm without its key source), attributed to the property that
   * is missing: "region-router.jwt has value (see allowed)" left the user to guess which one.
   */
  private static RegionRouterPropertyException missingKeySource(RegionRouterProperties.Jwt jwt, RuntimeException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String algorithms = String.join(", ", jwt.getAlgorithms());
    if (message.contains("hmacSecret") && jwt.getHmacSecret() == null) {
      return new RegionRouterPropertyException(P + "hmac-secret", "(unset)",
          "the base64 HMAC secret that algorithms [" + algorithms + "] need (" + message + ")",
          "set " + P + "hmac-secret to the base64 secret your identity provider signs HS tokens with, or remove "
              + "the HS algorithms from " + P + "algorithms", e);
    }
    if (message.contains("jwksUri") && jwt.getJwksUri() == null) {
      return new RegionRouterPropertyException(P + "jwks-uri", "(unset)",
          "the https URL of the JWK set that algorithms [" + algorithms + "] need (" + message + ")",
          "set " + P + "jwks-uri to your identity provider's JWKS URL, e.g. "
              + "https://idp.example.com/.well-known/jwks.json", e);
    }
    return new RegionRouterPropertyException("region-router.jwt", "(see allowed)", message,
        "set region-router.jwt.algorithms and, as they need, jwks-uri (RS/PS/ES) or hmac-secret (HS)", e);
  }

  private static void apply(String property, String shown, Consumer<Void> setter, String allowed, String fix) {
    try {
      setter.accept(null);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new RegionRouterPropertyException(P + property, shown, allowed + " (" + e.getMessage() + ")", fix, e);
    }
  }
}
