package io.github.regionrouter.demo;

import io.github.regionrouter.RegionRoutingDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One app instance: {@link DemoApp} started as a Spring Boot web application (embedded Tomcat on 127.0.0.1, an
 * ephemeral port) from properties alone — the instance's {@code region-router.*} configuration plus a few of the
 * demo's own.
 *
 * <p>Not thread-safe to start and close; the running application is.
 */
final class AppInstance implements AutoCloseable {

  private final String name;
  private final ConfigurableApplicationContext context;
  private final int port;

  private AppInstance(String name, ConfigurableApplicationContext context, int port) {
    this.name = name;
    this.context = context;
    this.port = port;
  }

  /**
   * Starts an instance.
   *
   * @param name       for the report and the logs, e.g. {@code app-fra}
   * @param properties its configuration: {@code region-router.*}, {@code demo.table}, {@code spring.flyway.*}
   * @throws IllegalStateException if the application does not start, with Boot's reason
   */
  static AppInstance start(String name, Map<String, Object> properties) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("spring.application.name", name);
    all.put("spring.main.banner-mode", "off");
    all.put("spring.main.register-shutdown-hook", "false");
    all.put("server.address", "127.0.0.1");
    all.put("server.port", "0");
    all.put("server.tomcat.threads.max", "16");
    all.putAll(properties);
    ConfigurableApplicationContext context;
    try {
      context = new SpringApplicationBuilder(DemoApp.class).web(WebApplicationType.SERVLET).properties(all)
          .run();
    } catch (RuntimeException e) {
      throw new IllegalStateException("app instance " + name + " did not start: " + e.getMessage(), e);
    }
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return new AppInstance(name, context, port);
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  /** The instance's data source, as the starter built it from the properties. */
  RegionRoutingDataSource dataSource() {
    return context.getBean(RegionRoutingDataSource.class);
  }

  /** Retries of reads after a connection-class failure (see {@link NotesController}). */
  long readRetries() {
    return context.getBean(NotesController.class).readRetries();
  }

  @Override
  public void close() {
    context.close();
  }

  @Override
  public String toString() {
    return name + "@127.0.0.1:" + port;
  }
}
