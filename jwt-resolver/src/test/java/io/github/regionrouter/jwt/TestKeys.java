package io.github.regionrouter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** Keys shared by the tests; generated once per JVM (RSA generation is the slow part). */
public final class TestKeys {

  public static final RSAKey RSA = rsa("rsa-1");
  public static final RSAKey RSA_ROTATED = rsa("rsa-2");
  public static final RSAKey ATTACKER_RSA = rsa("rsa-1"); // same kid as ours, different key
  public static final ECKey EC = ec("ec-1");
  public static final byte[] HMAC_SECRET = random(32);

  private TestKeys() {}

  /** The public keys the issuer publishes: RSA and EC. */
  public static JWKSet published() {
    return new JWKSet(java.util.List.of(RSA.toPublicJWK(), EC.toPublicJWK()));
  }

  /** The RSA public key in PEM form: what an attacker uses as an "HMAC secret". */
  public static byte[] rsaPublicKeyPem() {
    try {
      String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(RSA.toPublicKey().getEncoded());
      return ("-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n")
          .getBytes(StandardCharsets.US_ASCII);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The RSA public key in DER (X.509 SubjectPublicKeyInfo) form. */
  public static byte[] rsaPublicKeyDer() {
    try {
      return RSA.toPublicKey().getEncoded();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
