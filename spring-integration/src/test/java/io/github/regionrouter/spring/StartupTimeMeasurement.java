package io.github.regionrouter.spring;

import io.github.regionrouter.spring.notes.NotesApp;
import io.github.regionrouter.testing.PostgresTopology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures what the starter adds to an application's start-up, side by side in one run: the notes app
 * (JPA, Flyway, Actuator, web) with the starter over four nodes, against the same app with the starter
 * disabled and Boot's own HikariCP data source on the eu primary. Not a test (timings are noisy on a shared
 * machine): run with {@code -Dregionrouter.measureStartup=true}; it prints medians.
 */
@EnabledIfSystemProperty(named = "regionrouter.measureStartup", matches = "true")
class StartupTimeMeasurement {

  private static final int ROUNDS = 5;

  @Test
  void measure() {
    try (PostgresTopology topology = TestTopology.start()) {
      Map<String, Object> starter = new LinkedHashMap<>();
      starter.put("region-router.local-location", "fra");
      starter.put("region-router.pool.username", topology.user());
      String[][] nodes = {{"eu", "eu-primary", "primary", "fra"}, {"eu", "eu-replica", "replica", "fra"},
          {"us", "us-primary", "primary", "iad"}, {"us", "us-replica", "replica", "fra"}};
      for (String[] n : nodes) {
        String at = "region-router.regions." + n[0] + ".nodes." + n[1] + ".";
        starter.put(at + "role", n[2]);
        starter.put(at + "location", n[3]);
        starter.put(at + "url", topology.jdbcUrl(n[1]));
      }
      starter.put("region-router.jwt.algorithms", "HS256");
      starter.put("region-router.jwt.hmac-secret", HmacTokens.SECRET_BASE64);
      Map<String, Object> plain = new LinkedHashMap<>();
      plain.put("region-router.enabled", "false");
      plain.put("spring.datasource.url", topology.jdbcUrl("eu-primary"));
      plain.put("spring.datasource.username", topology.user());
      List<Long> withStarter = new ArrayList<>();
      List<Long> without = new ArrayList<>();
      start(starter); // warm-up: class loading, JIT, Flyway's first migration of each primary
      start(plain);
      for (int i = 0; i < ROUNDS; i++) {
        withStarter.add(start(starter));
        without.add(start(plain));
      }
      Collections.sort(withStarter);
      Collections.sort(without);
      long a = withStarter.get(ROUNDS / 2);
      long b = without.get(ROUNDS / 2);
      System.out.printf("STARTUP with starter (4 nodes, 2 regions migrated): median %d ms %s%n", a, withStarter);
      System.out.printf("STARTUP Boot's own data source (1 node): median %d ms %s%n", b, without);
      System.out.printf("STARTUP added by the starter: %d ms (ratio %.2f)%n", a - b, (double) a / b);
    }
  }

  private static long start(Map<String, Object> properties) {
    SpringApplication app = new SpringApplication(NotesApp.class);
    app.setWebApplicationType(WebApplicationType.SERVLET);
    Map<String, Object> all = new LinkedHashMap<>(properties);
    all.put("server.port", "0");
    all.put("spring.liquibase.enabled", "false");
    all.put("spring.main.banner-mode", "off");
    all.put("logging.level.io.github.regionrouter.spring", "DEBUG");
    app.setDefaultProperties(all);
    long started = System.nanoTime();
    try (ConfigurableApplicationContext context = app.run()) {
      return (System.nanoTime() - started) / 1_000_000;
    }
  }
}
