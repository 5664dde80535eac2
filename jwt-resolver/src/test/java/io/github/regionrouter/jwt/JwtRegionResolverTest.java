package io.github.regionrouter.jwt;

import static io.github.regionrouter.jwt.Rejections.assertInvalid;
import static io.github.regionrouter.jwt.Rejections.assertNotEchoed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.regionrouter.jwt.InvalidTokenException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every classic JWT attack and mistake against a resolver with static keys (RS256, ES256, HS256), checked
 * by type, reason and exact description, and that the token never appears in what the caller gets back.
 */
class JwtRegionResolverTest {

  private final FakeTime time = FakeTime.now();
  private final JwtRegionResolver resolver = JwtRegionResolver.builder()
      .allowedAlgorithms("RS256", "ES256", "HS256")
      .jwkSet(TestKeys.published())
      .hmacSecret(TestKeys.HMAC_SECRET)
      .issuer(Tokens.ISSUER)
      .audiences(Tokens.AUDIENCE)
      .clock(time)
      .ticker(time)
      .build();

  @AfterEach
  void close() {
    resolver.close();
  }

  @Test
  void resolvesRegionAndSubject_fromValidRs256Es256AndHs256Tokens() throws Exception {
    JWTClaimsSet claims = Tokens.claims(time).build();
    for (String token : List.of(Tokens.rs256(TestKeys.RSA, claims), Tokens.es256(TestKeys.EC, claims),
        Tokens.hs256(TestKeys.HMAC_SECRET, claims))) {
      VerifiedRegion verified = resolver.resolve(token);
      assertThat(verified.region()).isEqualTo("eu");
      assertThat(verified.issuer()).isEqualTo(Tokens.ISSUER);
      assertThat(verified.subject()).isEqualTo(Tokens.SUBJECT);
      assertThat(verified.qualifiedSubject()).isEqualTo("https://idp.test/|user-42");
      assertThat(verified.expiresAt()).isEqualTo(claims.getExpirationTime().toInstant().truncatedTo(ChronoUnit.SECONDS));
    }
  }

  @Test
  void rejectsAlgNone_inEverySpelling() {
    String payload = "{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\"orders-api\",\"sub\":\"user-42\",\"region\":\"eu\","
        + "\"exp\":" + (time.instant().getEpochSecond() + 600) + "}";
    assertInvalid(resolver, Tokens.raw("{\"alg\":\"none\"}", payload, ""), Reason.UNSIGNED,
        "unsigned tokens (alg none) are not accepted");
    assertInvalid(resolver, Tokens.raw("{\"alg\":\"none\"}", payload, "c2ln"), Reason.UNSIGNED,
        "unsigned tokens (alg none) are not accepted");
    for (String alg : List.of("None", "NONE", "nOnE")) {
      assertInvalid(resolver, Tokens.raw("{\"alg\":\"" + alg + "\"}", payload, "c2ln"), Reason.ALGORITHM_NOT_ALLOWED,
          "the token's signing algorithm is not accepted (accepted: ES256, HS256, RS256)");
    }
  }

  @Test
  void rejectsHs256SignedWithTheRsaPublicKey_asPemOrDer_evenWithTheRsaKeyId() {
    JWTClaimsSet claims = Tokens.claims(time).build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(TestKeys.RSA.getKeyID()).build();
    for (byte[] publicKeyBytes : List.of(TestKeys.rsaPublicKeyPem(), TestKeys.rsaPublicKeyDer())) {
      String forged = Tokens.sign(header, publicKeyBytes, claims);
      // HS256 is allowed here, but only ever with the configured secret: the public key is never tried.
      assertInvalid(resolver, forged, Reason.BAD_SIGNATURE, "the token's signature is invalid");
    }
    try (JwtRegionResolver rsaOnly = JwtRegionResolver.builder().allowedAlgorithms("RS256")
        .jwkSet(TestKeys.published()).clock(time).build()) {
      assertInvalid(rsaOnly, Tokens.sign(header, TestKeys.rsaPublicKeyPem(), claims), Reason.ALGORITHM_NOT_ALLOWED,
          "the token's signing algorithm is not accepted (accepted: RS256)");
    }
  }

  @Test
  void rejectsAnAlgorithmThatIsNotOnTheList() {
    JWTClaimsSet claims = Tokens.claims(time).build();
    assertInvalid(resolver, Tokens.sign(JWSAlgorithm.RS512, TestKeys.RSA, claims), Reason.ALGORITHM_NOT_ALLOWED,
        "the token's signing algorithm is not accepted (accepted: ES256, HS256, RS256)");
    assertInvalid(resolver, Tokens.sign(JWSAlgorithm.PS256, TestKeys.RSA, claims), Reason.ALGORITHM_NOT_ALLOWED,
        "the token's signing algorithm is not accepted (accepted: ES256, HS256, RS256)");
  }

  @Test
  void rejectsATokenSignedByAnotherKeyWithOurKeyId_andATamperedPayload() throws Exception {
    JWTClaimsSet claims = Tokens.claims(time).build();
    assertInvalid(resolver, Tokens.rs256(TestKeys.ATTACKER_RSA, claims), Reason.BAD_SIGNATURE,
        "the token's signature is invalid");
    String valid = Tokens.rs256(TestKeys.RSA, claims);
    resolver.resolve(valid); // cached now: a tampered copy must still be checked in full
    String[] parts = valid.split("\\.");
    String usPayload = Tokens.b64(claims.toString().replace("\"eu\"", "\"us\""));
    assertInvalid(resolver, parts[0] + "." + usPayload + "." + parts[2], Reason.BAD_SIGNATURE,
        "the token's signature is invalid");
  }

  @Test
  void expiry_isRequired_andForgivenOnlyWithinTheClockSkew() throws Exception {
    Instant now = time.instant();
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA, Tokens.claims(time).expirationTime(null).build()),
        Reason.MISSING_EXPIRY, "the token has no exp claim");
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA,
            Tokens.claims(time).expirationTime(Date.from(now.minusSeconds(61))).build()),
        Reason.EXPIRED, "the token has expired");
    String withinSkew = Tokens.rs256(TestKeys.RSA,
        Tokens.claims(time).expirationTime(Date.from(now.minusSeconds(59))).build());
    assertThat(resolver.resolve(withinSkew).region()).isEqualTo("eu");
    assertThat(resolver.cache().size()).as("a token past its exp is never cached").isZero();
    time.advance(Duration.ofSeconds(2));
    assertInvalid(resolver, withinSkew, Reason.EXPIRED, "the token has expired");
  }

  @Test
  void notBefore_inTheFuture_isRejectedBeyondTheClockSkew() throws Exception {
    Instant now = time.instant();
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA,
            Tokens.claims(time).notBeforeTime(Date.from(now.plusSeconds(61))).build()),
        Reason.NOT_YET_VALID, "the token is not valid yet (nbf)");
    assertThat(resolver.resolve(Tokens.rs256(TestKeys.RSA,
        Tokens.claims(time).notBeforeTime(Date.from(now.plusSeconds(59))).build())).region()).isEqualTo("eu");
  }

  @Test
  void issuedAt_inTheFuture_isRejectedBeyondTheClockSkew() throws Exception {
    Instant now = time.instant();
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA, Tokens.claims(time)
            .issueTime(Date.from(now.plus(Duration.ofDays(3650)))).build()),
        Reason.ISSUED_IN_FUTURE, "the token is issued in the future (iat)");
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA, Tokens.claims(time)
            .issueTime(Date.from(now.plusSeconds(61))).build()),
        Reason.ISSUED_IN_FUTURE, "the token is issued in the future (iat)");
    assertThat(resolver.resolve(Tokens.rs256(TestKeys.RSA,
        Tokens.claims(time).issueTime(Date.from(now.plusSeconds(59))).build())).region())
        .as("within the 60 s clock skew").isEqualTo("eu");
    assertThat(resolver.resolve(Tokens.rs256(TestKeys.RSA, Tokens.claims(time).issueTime(null).build())).region())
        .as("iat is optional").isEqualTo("eu");
  }

  @Test
  void anEmptyCritHeader_isMalformed_evenWhenSignedWithTheRightKey() throws Exception {
    JWSHeader emptyCrit = JWSHeader.parse(Tokens.b64URL("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[]}"));
    assertThat(emptyCrit.getCriticalParams()).as("nimbus keeps the empty list").isEmpty();
    assertInvalid(resolver, Tokens.sign(emptyCrit, TestKeys.HMAC_SECRET, Tokens.claims(time).build()),
        Reason.MALFORMED, "the token's crit header is an empty list");
    assertInvalid(resolver, Tokens.rs256Header(TestKeys.RSA, "{\"alg\":\"RS256\",\"kid\":\""
        + TestKeys.RSA.getKeyID() + "\",\"crit\":[]}", Tokens.claims(time).build()),
        Reason.MALFORMED, "the token's crit header is an empty list");
  }

  @Test
  void issuerAndAudience_mustMatch() throws Exception {
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA, Tokens.claims(time).issuer("https://evil.test/").build()),
        Reason.WRONG_ISSUER, "the token's issuer is not accepted");
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA, Tokens.claims(time).issuer(null).build()),
        Reason.WRONG_ISSUER, "the token's issuer is not accepted");
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA, Tokens.claims(time).audience("billing-api").build()),
        Reason.WRONG_AUDIENCE, "the token's audience does not include this service");
    assertInvalid(resolver, Tokens.rs256(TestKeys.RSA, Tokens.claims(time).audience((String) null).build()),
        Reason.WRONG_AUDIENCE, "the token's audience does not include this service");
    assertThat(resolver.resolve(Tokens.rs256(TestKeys.RSA,
        Tokens.claims(time).audience(List.of("billing-api", Tokens.AUDIENCE)).build())).region()).isEqualTo("eu");
  }

  @Test
  void regionClaim_missingNotAStringOrBlank_isAMissingRegionClaim() {
    for (JWTClaimsSet claims : List.of(Tokens.claims(time).claim("region", null).build(),
        Tokens.claims(time).claim("region", 42).build(), Tokens.claims(time).claim("region", List.of("eu")).build(),
        Tokens.claims(time).claim("region", " ").build())) {
      MissingRegionClaimException e = catchThrowableOfType(MissingRegionClaimException.class,
          () -> resolver.resolve(Tokens.rs256(TestKeys.RSA, claims)));
      assertThat(e.claimName()).isEqualTo("region");
      assertThat(e.description()).isIn("the token has no 'region' claim",
          "the token's 'region' claim is not a non-blank string");
    }
    assertThat(resolver.cache().size()).as("only successful verifications are cached").isZero();
  }

  @Test
  void regionMapping_mapsClaimValues_andRejectsValuesItDoesNotKnow() throws Exception {
    try (JwtRegionResolver mapped = JwtRegionResolver.builder().allowedAlgorithms("RS256")
        .jwkSet(TestKeys.published()).regionClaim("data_region").regionMapping(Map.of("DE", "eu", "FR", "eu"))
        .clock(time).build()) {
      assertThat(mapped.resolve(Tokens.rs256(TestKeys.RSA, Tokens.claims(time).claim("data_region", "DE").build()))
          .region()).isEqualTo("eu");
      UnknownRegionClaimException e = catchThrowableOfType(UnknownRegionClaimException.class,
          () -> mapped.resolve(Tokens.rs256(TestKeys.RSA, Tokens.claims(time).claim("data_region", "US").build())));
      assertThat(e.claimValue()).isEqualTo("US");
      assertThat(e.description()).as("claim values are user data: never echoed")
          .isEqualTo("the token's 'data_region' claim names no region this service knows");
      assertThat(e.getMessage()).isEqualTo(e.description());
      UnknownRegionClaimException hostile = catchThrowableOfType(UnknownRegionClaimException.class,
          () -> mapped.resolve(Tokens.rs256(TestKeys.RSA,
              Tokens.claims(time).claim("data_region", "\"><script>\r\nX-Evil: 1").build())));
      assertThat(hostile.description()).isEqualTo("the token's 'data_region' claim names no region this service knows");
      assertThat(hostile.claimValue()).isEqualTo("\"><script>\r\nX-Evil: 1");
    }
  }

  @Test
  void oversizeTokens_areRejectedBeforeAnyParsing() {
    String big = Tokens.rs256(TestKeys.RSA, Tokens.claims(time).claim("padding", "x".repeat(9000)).build());
    assertInvalid(resolver, big, Reason.OVERSIZE, "the token is longer than 8192 characters");
    assertInvalid(resolver, "!".repeat(100_000), Reason.OVERSIZE, "the token is longer than 8192 characters");
  }

  @Test
  void encryptedTokens_areRejected() throws Exception {
    EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
        Tokens.claims(time).build());
    jwe.encrypt(new RSAEncrypter(TestKeys.RSA.toRSAPublicKey()));
    assertInvalid(resolver, jwe.serialize(), Reason.ENCRYPTED, "encrypted tokens (JWE) are not accepted");
    // A JWE header squeezed into three parts is not a signed token either.
    assertInvalid(resolver, Tokens.raw("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}", "{}", "c2ln"),
        Reason.ENCRYPTED, "encrypted tokens (JWE) are not accepted");
  }

  @Test
  void garbage_isMalformed() {
    String exp = String.valueOf(time.instant().getEpochSecond() + 600);
    for (String garbage : List.of(" ", "abc", "a.b", "a.b.c.d", "a.b.c.d.e.f", ".eyJ9.c2ln", "Bearer x.y.z",
        "eyJhbGciOiJIUzI1NiJ9.eyJ9+.c2ln", "ä.ö.ü", "\u0000.\u0000.\u0000",
        Tokens.raw("not json", "{}", "c2ln"), Tokens.raw("[]", "{}", "c2ln"),
        Tokens.raw("{\"alg\":\"RS256\"}", "not json", "c2ln"),
        Tokens.raw("{\"alg\":\"RS256\"}", "[1,2,3]", "c2ln"),
        Tokens.raw("{\"alg\":\"RS256\"}", "{\"exp\":\"tomorrow\",\"region\":\"eu\"}", "c2ln"),
        Tokens.raw("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", "{\"exp\":" + exp + "}", "!!"))) {
      assertInvalid(resolver, garbage, Reason.MALFORMED, "the token is not a well-formed signed JWT");
    }
    assertInvalid(resolver, "", Reason.MALFORMED, "the token is empty");
    assertInvalid(resolver, null, Reason.MALFORMED, "the token is empty");
  }

  @Test
  void deeplyNestedClaims_areMalformed_neverAStackOverflow() throws Exception {
    // 3,000 levels fit under the size cap; nimbus's JSON parser stops at 255 levels (CVE-2025-53864 fix),
    // so this is refused before signature checking, on a thread with a deliberately small stack.
    String nested = "[".repeat(3000) + "]".repeat(3000);
    String payload = "{\"region\":\"eu\",\"exp\":" + (time.instant().getEpochSecond() + 600) + ",\"x\":" + nested + "}";
    String header = "{\"alg\":\"RS256\",\"x\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000) + "}";
    Throwable[] failure = new Throwable[1];
    Thread small = new Thread(null, () -> {
      try {
        assertInvalid(resolver, Tokens.raw("{\"alg\":\"RS256\"}", payload, "c2ln"), Reason.MALFORMED,
            "the token is not a well-formed signed JWT");
        assertInvalid(resolver, Tokens.raw(header, "{}", "c2ln"), Reason.MALFORMED,
            "the token is not a well-formed signed JWT");
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "small-stack", 256 * 1024);
    small.start();
    small.join();
    assertThat(failure[0]).isNull();
  }

  @Test
  void typHeader_mustBeJwtOrAccessTokenOrAbsent() throws Exception {
    JWTClaimsSet claims = Tokens.claims(time).build();
    for (String type : List.of("JWT", "jwt", "at+jwt", "application/at+jwt")) {
      JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(type)).build();
      assertThat(resolver.resolve(Tokens.sign(header, TestKeys.HMAC_SECRET, claims)).region()).isEqualTo("eu");
    }
    assertThat(resolver.resolve(Tokens.sign(new JWSHeader(JWSAlgorithm.HS256), TestKeys.HMAC_SECRET, claims))
        .region()).isEqualTo("eu");
    JWSHeader logout = new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("logout+jwt")).build();
    assertInvalid(resolver, Tokens.sign(logout, TestKeys.HMAC_SECRET, claims), Reason.WRONG_TYPE,
        "the token's typ header is not accepted (accepted: JWT, at+jwt)");
  }

  @Test
  void aVerifiedTokenIsCached_andASecondResolveSkipsVerification() throws Exception {
    String token = Tokens.es256(TestKeys.EC, Tokens.claims(time).build());
    VerifiedRegion first = resolver.resolve(token);
    assertThat(resolver.resolve(token)).isSameAs(first);
    assertThat(resolver.cache().size()).isEqualTo(1);
    time.advance(Duration.ofMinutes(10)); // exactly exp: gone from the cache, and expired (beyond the skew) soon
    assertThat(resolver.cache().get(token)).isNull();
  }

  @Test
  void aTokenWithoutSubject_hasNoSubject_andNoIssuerMeansJustTheSubject() throws Exception {
    try (JwtRegionResolver noIssuerCheck = JwtRegionResolver.builder().allowedAlgorithms("ES256")
        .jwkSet(TestKeys.published()).clock(time).build()) {
      VerifiedRegion anonymous = noIssuerCheck.resolve(Tokens.es256(TestKeys.EC,
          Tokens.claims(time).subject(null).build()));
      assertThat(anonymous.subject()).isNull();
      assertThat(anonymous.qualifiedSubject()).isNull();
      VerifiedRegion noIssuer = noIssuerCheck.resolve(Tokens.es256(TestKeys.EC,
          Tokens.claims(time).issuer(null).build()));
      assertThat(noIssuer.qualifiedSubject()).isEqualTo("user-42");
      VerifiedRegion pipe = noIssuerCheck.resolve(Tokens.es256(TestKeys.EC,
          Tokens.claims(time).issuer("a|b%").subject("c").build()));
      assertThat(pipe.qualifiedSubject()).isEqualTo("a%7Cb%25|c");
    }
  }

  @Test
  void descriptionsNeverContainTheToken_evenWhenTheTokenIsInTheClaims() {
    String evilExp = String.valueOf(time.instant().getEpochSecond() - 3600);
    String token = Tokens.raw("{\"alg\":\"HS256\",\"kid\":\"\\\"><b>injected</b>\"}",
        "{\"iss\":\"\\\"injected\",\"exp\":" + evilExp + ",\"region\":\"eu\"}", "c2lnbmF0dXJlc2lnbmF0dXJl");
    InvalidTokenException e = assertInvalid(resolver, token, Reason.BAD_SIGNATURE, "the token's signature is invalid");
    assertNotEchoed(e.toString(), token);
    assertThat(e.toString()).doesNotContain("injected");
  }

  @Test
  void resolve_throwsCheckedTypedExceptions_only() {
    assertThatThrownBy(() -> resolver.resolve("x.y.z")).isInstanceOf(JwtRegionException.class);
  }
}
