package io.github.regionrouter.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration mistakes fail at once, with a message that names the setting and what is wrong. */
class JwtRegionResolverBuilderTest {

  private static final URI JWKS = URI.create("https://idp.example.com/.well-known/jwks.json");

  @Test
  void theAlgorithmListIsRequired_neverNone_andOnlySupportedNames() {
    assertThatThrownBy(() -> JwtRegionResolver.builder().jwksUri(JWKS).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("allowedAlgorithms must be set: name the JWS algorithms your issuer signs with, e.g. "
            + "allowedAlgorithms(\"RS256\") (supported: ES256, ES384, ES512, HS256, HS384, HS512, PS256, PS384, "
            + "PS512, RS256, RS384, RS512)");
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("RS256", "none"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedAlgorithms: 'none' is never allowed (unsigned tokens would be accepted)");
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("RS1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowedAlgorithms: unsupported algorithm 'RS1' (supported: ES256,");
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowedAlgorithms must name at least one algorithm");
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("RS256").allowedAlgorithms("ES256"))
        .isInstanceOf(IllegalStateException.class).hasMessage("allowedAlgorithms was already set");
  }

  @Test
  void everyAllowedAlgorithmNeedsItsKeys() {
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("RS256", "ES256").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("allowedAlgorithms includes ES256, RS256 but neither jwksUri nor jwkSet is set");
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("RS256", "HS256").jwksUri(JWKS).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("allowedAlgorithms includes HS256 but no hmacSecret is set");
  }

  @Test
  void hmacSecrets_mustBeLongEnough_andNeverAPublicKey() {
    assertThatThrownBy(() -> JwtRegionResolver.builder().hmacSecret(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hmacSecret is 31 bytes; at least 32 random bytes are required (RFC 7518 §3.2)");
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("HS512").hmacSecret(new byte[48]).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("hmacSecret is 48 bytes; HS512 in allowedAlgorithms needs at least 64");
    assertThatThrownBy(() -> JwtRegionResolver.builder().hmacSecret(TestKeys.rsaPublicKeyPem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hmacSecret looks like a PEM-encoded key; an HMAC secret must be random bytes, never a public "
            + "or private key");
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("RS256", "HS256")
        .jwkSet(TestKeys.published()).hmacSecret(TestKeys.rsaPublicKeyDer()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("hmacSecret is the encoding of the public key 'rsa-1' in jwkSet; an HMAC secret must never be a "
            + "public key");
  }

  @Test
  void jwksUri_mustBeHttps_exceptOnLoopback_andExcludesAStaticSet() {
    assertThatThrownBy(() -> JwtRegionResolver.builder().jwksUri(URI.create("http://idp.example.com/jwks")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jwksUri must use https (http is accepted for loopback hosts only): 'http://idp.example.com/jwks'");
    assertThatThrownBy(() -> JwtRegionResolver.builder().jwksUri(URI.create("/jwks")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jwksUri must be an absolute http(s) URI: '/jwks'");
    assertThat(JwtRegionResolver.builder().jwksUri(URI.create("http://127.0.0.1:8080/jwks"))).isNotNull();
    assertThat(JwtRegionResolver.builder().jwksUri(URI.create("http://localhost/jwks"))).isNotNull();
    assertThatThrownBy(() -> JwtRegionResolver.builder().jwksUri(JWKS).jwkSet(TestKeys.published()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("jwksUri (jwksUri and jwkSet are mutually exclusive) was already set");
  }

  @Test
  void aStaticJwkSet_mustNotHoldSymmetricKeys() throws Exception {
    JWKSet withOct = new JWKSet(List.of(TestKeys.RSA.toPublicJWK(),
        new OctetSequenceKeyGenerator(256).keyID("shared").generate()));
    assertThatThrownBy(() -> JwtRegionResolver.builder().jwkSet(withOct))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jwkSet holds a symmetric (oct) key 'shared'; HMAC secrets are given with hmacSecret(...) so "
            + "they can never be confused with public keys");
    assertThatThrownBy(() -> JwtRegionResolver.builder().jwkSet(new JWKSet()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("jwkSet must hold at least one key");
  }

  @Test
  void durationsAndSizes_areBounded() {
    assertThatThrownBy(() -> JwtRegionResolver.builder().clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("clockSkew must be between 0 and PT5M: PT-1S");
    assertThatThrownBy(() -> JwtRegionResolver.builder().clockSkew(Duration.ofMinutes(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("clockSkew must be between 0 and PT5M: PT10M");
    assertThatThrownBy(() -> JwtRegionResolver.builder().maxTokenLength(100))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTokenLength must be between 256 and 65536: 100");
    assertThatThrownBy(() -> JwtRegionResolver.builder().cacheMaximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cacheMaximumSize must not be negative: -1");
    assertThatThrownBy(() -> JwtRegionResolver.builder().cacheMaximumSize(1_048_577))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheMaximumSize must not be more than 1048576: 1048577");
    assertThatThrownBy(() -> JwtRegionResolver.builder().cacheMaximumTimeToLive(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cacheMaximumTimeToLive must be positive: PT0S");
    assertThatThrownBy(() -> JwtRegionResolver.builder().jwksRateLimit(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("jwksRateLimit must be positive: PT0S");
    assertThatThrownBy(() -> JwtRegionResolver.builder().jwksTimeout(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("jwksTimeout must be between 100ms and 60s: PT0.01S");
    assertThatThrownBy(() -> JwtRegionResolver.builder().clockSkew(Duration.ZERO).clockSkew(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class).hasMessage("clockSkew was already set");
  }

  @Test
  void jwksCacheSettings_mustFitTogether() {
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("RS256").jwksUri(JWKS)
        .jwksCacheTimeToLive(Duration.ofSeconds(20)).jwksRateLimit(Duration.ofSeconds(30)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("jwksRateLimit (PT30S) must be shorter than jwksCacheTimeToLive (PT20S)");
    assertThatThrownBy(() -> JwtRegionResolver.builder().allowedAlgorithms("RS256").jwksUri(JWKS)
        .jwksCacheTimeToLive(Duration.ofSeconds(31)).jwksRateLimit(Duration.ofSeconds(5)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("jwksRefreshAhead (PT30S) plus twice jwksTimeout (PT2S) must not exceed jwksCacheTimeToLive "
            + "(PT31S)");
  }

  @Test
  void regionClaimAndMapping_areChecked() {
    assertThatThrownBy(() -> JwtRegionResolver.builder().regionClaim("sub"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("regionClaim must not be a registered JWT claim: 'sub'");
    assertThatThrownBy(() -> JwtRegionResolver.builder().regionClaim(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("regionClaim must not be blank");
    assertThatThrownBy(() -> JwtRegionResolver.builder().regionMapping(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("regionMapping must map at least one claim value");
    assertThatThrownBy(() -> JwtRegionResolver.builder().regionMapping(Map.of("DE", " ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("regionMapping value for 'DE' must not be blank");
    assertThatThrownBy(() -> JwtRegionResolver.builder().issuer(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("issuer must not be blank");
    assertThatThrownBy(() -> JwtRegionResolver.builder().audiences())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("audiences must name at least one audience");
  }

  @Test
  void theHmacSecretIsCopied() throws Exception {
    byte[] secret = "a-32-byte-secret-for-this-test!!".getBytes(StandardCharsets.US_ASCII);
    FakeTime time = FakeTime.now();
    try (JwtRegionResolver resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256").hmacSecret(secret)
        .clock(time).build()) {
      String token = Tokens.hs256(secret.clone(), Tokens.claims(time).build());
      secret[0] = 'X';
      assertThat(resolver.resolve(token).region()).isEqualTo("eu");
    }
  }
}
