package io.github.regionrouter.spring;

import static io.github.regionrouter.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.regionrouter.spring.notes.NotesApp;
import io.github.regionrouter.testing.PostgresTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Security's OAuth2 resource server verifies the JWTs (Boot's own configuration from
 * {@code spring.security.oauth2.resourceserver.jwt.public-key-location}); the starter takes region and
 * subject from the verified {@code Jwt} without verifying again. The region claim is {@code zone} with a
 * mapping, as {@code region-router.jwt.region-claim} and {@code region-mapping} say.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.liquibase.enabled=false",
    "region-router.jwt.region-claim=zone",
    "region-router.jwt.region-mapping.EU=eu",
    "region-router.jwt.region-mapping.US=us",
    "region-router.jwt.region-mapping.APAC=apac"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SecurityJwtIntegrationTest {

  private static final String ISSUER = "https://idp.security.test/";
  private static final PostgresTopology topology = TestTopology.start();
  private static final RSAKey key = rsaKey();
  private static final Path publicKey = writePublicKey(key);

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestTopology.register(topology, registry);
    registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> publicKey.toUri().toString());
    registry.add("region-router.consistency.signing-keys.k1", () -> HmacTokens.SECRET_BASE64);
  }

  @AfterAll
  static void stop() throws IOException {
    topology.close();
    Files.deleteIfExists(publicKey);
  }

  @Test
  void writesLandOnThePrimaryOfTheVerifiedJwtsRegion() throws Exception {
    String body = "sec-" + UUID.randomUUID();

    HttpResponse<String> write = new Http(port).post("/api/notes?body=" + body, bearer(token("ada", "US")));

    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    assertThat(write.headers().firstValue("X-Region-Consistency")).isPresent();
    assertThat(TestTopology.count(topology, "us-primary", "note", "body = '" + body + "'")).isEqualTo(1);
    assertThat(TestTopology.count(topology, "eu-primary", "note", "body = '" + body + "'")).isZero();
  }

  @Test
  void theSubjectIsIssuerAndSub_asWithTheJwtFilter() {
    HttpResponse<String> answer = new Http(port).get("/api/async", bearer(token("bob", "EU")));

    assertThat(answer.body()).endsWith(" eu|" + ISSUER + "|bob");
  }

  @Test
  void aVerifiedTokenWithoutTheRegionClaim_isForbidden_andWritesNothing() throws Exception {
    String body = "none-" + UUID.randomUUID();

    HttpResponse<String> answer = new Http(port).post("/api/notes?body=" + body, bearer(token("cy", null)));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).isEqualTo("the token has no usable 'zone' claim\n");
    assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue(
        "Bearer error=\"insufficient_scope\", error_description=\"the token has no usable 'zone' claim\"");
    assertThat(TestTopology.count(topology, "eu-primary", "note", "body = '" + body + "'")
        + TestTopology.count(topology, "us-primary", "note", "body = '" + body + "'")).isZero();
  }

  @Test
  void anUnmappedClaimValue_isForbidden() {
    HttpResponse<String> answer = new Http(port).get("/api/notes/1", bearer(token("dee", "eu")));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).isEqualTo("the token's 'zone' claim names no region this service maps\n");
  }

  @Test
  void aMappedRegionThisServiceDoesNotServe_isForbidden() {
    HttpResponse<String> answer = new Http(port).get("/api/notes/1", bearer(token("eve", "APAC")));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).isEqualTo("the token names a region this service does not serve (it serves: eu, us)\n");
  }

  @Test
  void securityStillRejectsAnUnverifiedToken() {
    String forged = token("mallory", "EU");
    String tampered = forged.substring(0, forged.lastIndexOf('.') + 1) + "AAAA";

    assertThat(new Http(port).get("/api/notes/1", bearer(tampered)).statusCode()).isEqualTo(401);
  }

  private static String token(String subject, String zone) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject)
        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))));
    if (zone != null) {
      claims.claim("zone", zone);
    }
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey rsaKey() {
    try {
      return new RSAKeyGenerator(2048).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writePublicKey(RSAKey key) {
    try {
      Path file = Files.createTempFile("region-router-test-", ".pub");
      String pem = "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPublicKey().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
      Files.writeString(file, pem);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
