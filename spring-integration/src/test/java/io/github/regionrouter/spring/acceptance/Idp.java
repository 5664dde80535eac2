package io.github.regionrouter.spring.acceptance;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny identity provider on 127.0.0.1: an RS256 key, its JWK set served over HTTP (what DESIGN.md's
 * {@code jwt.jwks-uri} points at), and tokens signed with it.
 */
final class Idp implements AutoCloseable {

  static final String ISSUER = "https://idp.example.com/";
  static final String AUDIENCE = "orders-api";

  private final RSAKey key;
  private final HttpServer server;
  private final AtomicInteger jwksFetches = new AtomicInteger();

  Idp() {
    try {
      key = new RSAKeyGenerator(2048).keyID("acceptance-1").generate();
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    server.createContext("/.well-known/jwks.json", exchange -> {
      jwksFetches.incrementAndGet();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, jwks.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(jwks);
      }
    });
    server.start();
  }

  String jwksUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
  }

  /** A token of {@link #ISSUER} for {@link #AUDIENCE}; {@code region} null leaves the claim out. */
  String token(String subject, String region) {
    return token(ISSUER, subject, region);
  }

  String token(String issuer, String subject, String region) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(AUDIENCE)
        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))));
    if (region != null) {
      claims.claim("region", region);
    }
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
          claims.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
