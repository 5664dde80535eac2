package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.spring.notes.NotesApp;
import io.github.regionrouter.testing.PostgresTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Liquibase instead of Flyway, in an application that is not a web application: Liquibase migrates every
 * region's primary once, with Boot's {@code spring.liquibase.*} settings; no filter is registered.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "spring.main.web-application-type=none",
    "spring.flyway.enabled=false",
    "region-router.jwt.algorithms=HS256"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class LiquibaseMigrationTest {

  private static final PostgresTopology topology = TestTopology.start();

  @Autowired
  ApplicationContext context;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestTopology.register(topology, registry);
    registry.add("region-router.jwt.hmac-secret", () -> HmacTokens.SECRET_BASE64);
  }

  @AfterAll
  static void stop() {
    topology.close();
  }

  @Test
  void liquibaseMigratedEveryRegionsPrimaryOnce() throws Exception {
    for (String primary : new String[] {"eu-primary", "us-primary"}) {
      assertThat(TestTopology.hasTable(topology, primary, "note")).as(primary).isTrue();
      assertThat(TestTopology.count(topology, primary, "databasechangelog", "id = '1'")).as(primary).isEqualTo(1);
    }
  }

  @Test
  void aNonWebApplicationGetsTheDataSourceButNoFilter() {
    assertThat(context.getBean(javax.sql.DataSource.class)).isInstanceOf(RegionRoutingDataSource.class);
    assertThat(context.getBeansOfType(FilterRegistrationBean.class)).isEmpty();
  }
}
