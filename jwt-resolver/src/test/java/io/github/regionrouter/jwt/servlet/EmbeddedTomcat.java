package io.github.regionrouter.jwt.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A real embedded Tomcat 11 on 127.0.0.1 and an ephemeral port, set up the way a plain servlet application
 * registers filters: through a {@link ServletContainerInitializer}. One request thread only, so a context
 * leaked by one request would still be on the thread when the next one starts.
 */
final class EmbeddedTomcat implements AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

  private final Tomcat tomcat;
  private final Path baseDir;
  private final int port;

  private EmbeddedTomcat(Tomcat tomcat, Path baseDir, int port) {
    this.tomcat = tomcat;
    this.baseDir = baseDir;
    this.port = port;
  }

  static EmbeddedTomcat start(ServletContainerInitializer initializer) throws IOException, LifecycleException {
    Path baseDir = Files.createTempDirectory("region-router-tomcat");
    // close() deletes it; Tomcat may still be removing its work directory then, which leaves baseDir
    // behind empty: the JVM removes it at exit in that case.
    baseDir.toFile().deleteOnExit();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    Connector connector = tomcat.getConnector();
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", "1");
    connector.setProperty("minSpareThreads", "1");
    connector.setProperty("maxHttpHeaderSize", "65536"); // let oversize tokens reach the filter
    Context context = tomcat.addContext("", baseDir.toString());
    context.addServletContainerInitializer(initializer, null);
    tomcat.start();
    return new EmbeddedTomcat(tomcat, baseDir, connector.getLocalPort());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** GETs {@code path} with the given header name/value pairs. */
  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws LifecycleException, IOException {
    tomcat.stop();
    tomcat.destroy();
    try (Stream<Path> files = Files.walk(baseDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
