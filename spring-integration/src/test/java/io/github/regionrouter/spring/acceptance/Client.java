package io.github.regionrouter.spring.acceptance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A browser-like HTTP client on 127.0.0.1 (no redirects followed, no cookie jar). */
final class Client {

  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final int port;

  Client(int port) {
    this.port = port;
  }

  HttpResponse<String> get(String path, String bearer) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), bearer);
  }

  HttpResponse<String> get(String path, String bearer, String header, String value) {
    return send(HttpRequest.newBuilder(uri(path)).GET().header(header, value), bearer);
  }

  HttpResponse<String> post(String path, String bearer) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), bearer);
  }

  /** A browser's CORS preflight for a POST with an Authorization header from {@code origin}. */
  HttpResponse<String> preflight(String path, String origin) {
    return send(HttpRequest.newBuilder(uri(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization"), null);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String bearer) {
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    request.timeout(Duration.ofSeconds(20));
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
