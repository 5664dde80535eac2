package io.github.regionrouter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Mints tokens for tests: well-formed and signed, or hand-made to be wrong in one precise way. */
public final class Tokens {

  public static final String ISSUER = "https://idp.test/";
  public static final String AUDIENCE = "orders-api";
  public static final String SUBJECT = "user-42";

  private Tokens() {}

  /** Claims that pass every check of the standard test resolver: eu, valid for 10 minutes from now. */
  public static JWTClaimsSet.Builder claims(Clock clock) {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(SUBJECT)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
        .claim("region", "eu");
  }

  public static String rs256(RSAKey key, JWTClaimsSet claims) {
    return sign(JWSAlgorithm.RS256, key, claims);
  }

  public static String es256(ECKey key, JWTClaimsSet claims) {
    return sign(JWSAlgorithm.ES256, key, claims);
  }

  public static String hs256(byte[] secret, JWTClaimsSet claims) {
    return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), secret, claims);
  }

  /** Signs with {@code algorithm} and the key's id in the header. */
  public static String sign(JWSAlgorithm algorithm, JWK key, JWTClaimsSet claims) {
    JWSHeader header = new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
    try {
      JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * HMAC-signs with any bytes as the secret, bypassing nimbus's key-length check when needed: this is how
   * an attacker signs with a public key's PEM or DER bytes.
   */
  public static String sign(JWSHeader header, byte[] secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token assembled from raw JSON and a raw signature part: for alg none and other forgeries. */
  public static String raw(String headerJson, String payloadJson, String signaturePart) {
    return b64(headerJson) + "." + b64(payloadJson) + "." + signaturePart;
  }

  public static com.nimbusds.jose.util.Base64URL b64URL(String text) {
    return new com.nimbusds.jose.util.Base64URL(b64(text));
  }

  /** RS256-signs {@code claims} under a header given as raw JSON (kept byte for byte in the token). */
  public static String rs256Header(RSAKey key, String headerJson, JWTClaimsSet claims) {
    try {
      String signingInput = b64(headerJson) + "." + b64(claims.toString());
      java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
      rsa.initSign(key.toRSAPrivateKey());
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    } catch (JOSEException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
