package io.github.regionrouter.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS endpoint on 127.0.0.1 that counts its fetches and can be rotated or taken down. */
public final class JwksServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile String document;
  private volatile int failWith;

  public JwksServer(JWKSet keys) throws IOException {
    serve(keys);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      int status = failWith;
      byte[] body = (status == 0 ? document : "{\"error\":\"down\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status == 0 ? 200 : status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
  }

  /** Publishes {@code keys} (public parts only, as an issuer would). */
  public void serve(JWKSet keys) {
    document = keys.toString(true);
    failWith = 0;
  }

  public void serve(JWK... keys) {
    serve(new JWKSet(List.of(keys)));
  }

  /** Publishes a raw JSON document, e.g. one holding a symmetric key. */
  public void serveRaw(String json) {
    document = json;
    failWith = 0;
  }

  /** Simulates an outage: every fetch answers {@code status}. */
  public void fail(int status) {
    failWith = status;
  }

  public int fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
