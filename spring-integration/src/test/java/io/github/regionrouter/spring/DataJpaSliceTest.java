package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.spring.notes.Note;
import io.github.regionrouter.spring.notes.NoteRepository;
import io.github.regionrouter.testing.PostgresTopology;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code @DataJpaTest} with {@code replace = NONE} uses the routing data source from the properties (the
 * starter is part of the JPA test slice), with Flyway per region, and no {@code MeterRegistry} in the slice.
 */
@DataJpaTest(properties = {
    "spring.liquibase.enabled=false"})
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(classes = io.github.regionrouter.spring.notes.NotesApp.class)
// The region is opened inside each test; the slice's own transaction would borrow before that.
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DataJpaSliceTest {

  private static final PostgresTopology topology = TestTopology.start();

  @Autowired
  DataSource dataSource;

  @Autowired
  NoteRepository repository;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestTopology.register(topology, registry);
  }

  @AfterAll
  static void stop() {
    topology.close();
  }

  @Test
  void theSliceUsesTheRoutingDataSource_andSavesInTheContextsRegion() throws Exception {
    assertThat(dataSource).isInstanceOf(RegionRoutingDataSource.class);
    String body = "slice-" + UUID.randomUUID();

    try (RegionContext.Scope scope = RegionContext.open("us", "slice-user")) {
      repository.save(new Note("slice-user", body));
    }

    assertThat(TestTopology.count(topology, "us-primary", "note", "body = '" + body + "'")).isEqualTo(1);
    assertThat(TestTopology.count(topology, "eu-primary", "note", "body = '" + body + "'")).isZero();
  }
}
