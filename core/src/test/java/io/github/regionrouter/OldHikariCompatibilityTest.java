package io.github.regionrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.testing.PostgresTopology;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The router on HikariCP 5.1 (what Spring Boot 3 manages), against real PostgreSQL: HikariCP and the router's
 * classes are loaded child-first from HikariCP 5.1's jar (copied by the build into target/hikaricp-5.1) and
 * this module's classes; everything else (JDK, SLF4J, Caffeine, pgjdbc, the testing harness) is shared.
 * HikariCP 5.1's {@code setDriverClassName(null)} threw a NullPointerException during {@code build()}.
 */
class OldHikariCompatibilityTest {

  @Test
  void theRouterBuildsReadsAndWritesOnHikariCp51() throws Exception {
    Path jar = Path.of("target", "hikaricp-5.1", "HikariCP-5.1.0.jar");
    assertThat(jar).as("copied by maven-dependency-plugin at generate-test-resources").exists();
    Path classes = Path.of(RegionRoutingDataSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path testClasses = Path.of(OldHikariApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(Files.isDirectory(classes)).isTrue();
    try (PostgresTopology topo = PostgresTopology.builder().primary("eu-primary", "eu", "fra").start();
         ChildFirst loader = new ChildFirst(new URL[] {jar.toUri().toURL(), classes.toUri().toURL(),
             testClasses.toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Function<String[], String> app = (Function<String[], String>) loader
          .loadClass(OldHikariApp.class.getName()).getConstructor().newInstance();
      String answer = app.apply(new String[] {topo.jdbcUrl("eu-primary"), topo.user()});
      assertThat(answer).contains("HikariCP-5.1.0.jar").endsWith(" rows=1 db=true");
    }
  }

  /** Loads HikariCP and region-router classes itself, so the 5.1 jar wins over the 7.x on the class path. */
  private static final class ChildFirst extends URLClassLoader {

    ChildFirst(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      boolean mine = (name.startsWith("com.zaxxer.hikari.") || name.startsWith("io.github.regionrouter."))
          && !name.startsWith("io.github.regionrouter.testing.");
      if (!mine) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
