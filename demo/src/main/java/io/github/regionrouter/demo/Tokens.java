package io.github.regionrouter.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The demo's identity provider: HS256 tokens signed with a secret shared by every app instance, as a small team
 * with one IdP and an HMAC secret would have. The secret is random per run and never printed.
 *
 * <p>Thread-safe.
 */
final class Tokens {

  static final String ISSUER = "https://idp.demo.region-router/";
  static final String AUDIENCE = "notes-api";

  private final byte[] jwtSecret = random(32);
  private final byte[] consistencySecret = random(32);

  /** The HMAC secret the instances verify JWTs with. */
  byte[] jwtSecret() {
    return jwtSecret.clone();
  }

  /** The key the instances sign and verify consistency tokens with. */
  byte[] consistencySecret() {
    return consistencySecret.clone();
  }

  /** A signed token for a user whose data lives in {@code region}, valid for {@code lifetime}. */
  String mint(String subject, String region, Duration lifetime) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
        .claim("region", region).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(jwtSecret));
    } catch (JOSEException e) {
      throw new IllegalStateException("signing the demo token for " + subject + " failed: " + e, e);
    }
    return jwt.serialize();
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
