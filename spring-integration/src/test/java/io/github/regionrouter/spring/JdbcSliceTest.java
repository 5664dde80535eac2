package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.RegionRoutingDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code @JdbcTest} includes the starter (registered in {@code AutoConfigureJdbc.imports}): with
 * {@code replace = NONE} the slice's data source is the routing one from the properties. No database is
 * needed to see that: the nodes point at a closed port, which the data source tolerates at start-up.
 */
@JdbcTest(properties = {"spring.flyway.enabled=false", "spring.liquibase.enabled=false",
    "region-router.regions.eu.nodes.eu-primary.role=primary",
    "region-router.regions.eu.nodes.eu-primary.location=fra",
    "region-router.regions.eu.nodes.eu-primary.url=jdbc:postgresql://127.0.0.1:1/app"})
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(classes = JdbcSliceTest.Empty.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class JdbcSliceTest {

  @Autowired
  DataSource dataSource;

  @Test
  void theJdbcSliceUsesTheRoutingDataSource() {
    assertThat(dataSource).isInstanceOf(RegionRoutingDataSource.class);
    assertThat(((RegionRoutingDataSource) dataSource).regions()).containsExactly("eu");
  }

  /** No application classes: the slice's auto-configurations only. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class Empty {
  }
}
