package io.github.regionrouter.demo;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo's application: a small Spring Boot service (Spring MVC on embedded Tomcat, {@code JdbcTemplate},
 * Flyway) whose data source, JWT filter, consistency tokens and per-region migrations all come from the
 * region-router starter and {@code region-router.*} properties; it declares no bean of its own for them.
 * {@link AppInstance} starts one per location with that location's properties.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class DemoApp {

  /** For Spring; instances are started by {@link AppInstance}. */
  public DemoApp() {
  }
}
