package io.github.regionrouter.spring;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** HS256 tokens for the JWT-filter tests, signed with a fixed test secret. */
final class HmacTokens {

  static final String ISSUER = "https://idp.test/";
  static final byte[] SECRET = "region-router-starter-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  static final String SECRET_BASE64 = Base64.getEncoder().encodeToString(SECRET);

  private HmacTokens() {
  }

  static String token(String subject, String region) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject)
        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))));
    if (region != null) {
      claims.claim("region", region);
    }
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
      jwt.sign(new MACSigner(SECRET));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The subject as the router sees it: {@code iss|sub}. */
  static String qualified(String subject) {
    return ISSUER + "|" + subject;
  }
}
