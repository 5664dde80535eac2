package io.github.regionrouter.demo;

import io.github.regionrouter.jwt.servlet.RegionRoutingFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * One app instance: an embedded Tomcat on 127.0.0.1 (ephemeral port) serving {@link ApiServlet} under
 * {@code /api/*} behind {@link RegionRoutingFilter}, registered the way a plain servlet application does.
 *
 * <p>Not thread-safe to start and close; the running server is.
 */
final class AppInstance implements AutoCloseable {

  private final String name;
  private final Tomcat tomcat;
  private final Path baseDir;
  private final int port;
  private final LongAdder readRetries;

  private AppInstance(String name, Tomcat tomcat, Path baseDir, int port, LongAdder readRetries) {
    this.name = name;
    this.tomcat = tomcat;
    this.baseDir = baseDir;
    this.port = port;
    this.readRetries = readRetries;
  }

  /**
   * Starts an instance.
   *
   * @param name       for logs and the report, e.g. {@code app-fra}
   * @param filter     the region filter (verifies the JWT, opens the region context)
   * @param dataSource what the API runs its statements on
   * @param table      the notes table, possibly schema-qualified
   * @param threads    request threads
   */
  static AppInstance start(String name, RegionRoutingFilter filter, DataSource dataSource, String table,
      int threads) {
    LongAdder retries = new LongAdder();
    ServletContainerInitializer initializer = (classes, ctx) -> {
      FilterRegistration.Dynamic f = ctx.addFilter("regionRouting", filter);
      f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/api/*");
      ServletRegistration.Dynamic s = ctx.addServlet("api", new ApiServlet(dataSource, table, retries));
      s.addMapping("/api/notes/*");
    };
    Path baseDir;
    try {
      baseDir = Files.createTempDirectory("region-router-demo-" + name);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a Tomcat base directory for " + name + ": " + e, e);
    }
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    Connector connector = tomcat.getConnector();
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", Integer.toString(threads));
    connector.setProperty("minSpareThreads", "2");
    Context context = tomcat.addContext("", baseDir.toString());
    context.addServletContainerInitializer(initializer, null);
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      throw new IllegalStateException("app instance " + name + " did not start: " + e, e);
    }
    return new AppInstance(name, tomcat, baseDir, connector.getLocalPort(), retries);
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  /** Retries of reads after a connection-class failure (see {@link ApiServlet}). */
  long readRetries() {
    return readRetries.sum();
  }

  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException("app instance " + name + " did not stop: " + e, e);
    } finally {
      try (Stream<Path> files = Files.walk(baseDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        baseDir.toFile().deleteOnExit();
      }
    }
  }

  @Override
  public String toString() {
    return name + "@127.0.0.1:" + port;
  }
}
