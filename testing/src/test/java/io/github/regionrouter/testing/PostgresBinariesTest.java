package io.github.regionrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The binaries come from the Maven artifact, extracted once with their modes and links. */
class PostgresBinariesTest {

  @Test
  void resolvedBinaries_areExecutable_keepTheirSymlinks_andAreExtractedOnce() throws Exception {
    PostgresBinaries binaries = PostgresBinaries.resolve();

    assertThat(binaries.home().getFileName().toString()).matches("region-router-postgres-[0-9a-f]{16}");
    for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
      assertThat(binaries.program(program)).isExecutable();
    }
    try (Stream<Path> lib = Files.list(binaries.home().resolve("lib"))) {
      assertThat(lib.filter(Files::isSymbolicLink)).as("shared-library links").isNotEmpty();
    }
    assertThat(PostgresBinaries.resolve()).isSameAs(binaries);
  }

  @Test
  void resourceNameForThisMachine_isOnTheClassPath() {
    assertThat(PostgresBinaries.resourceNames())
        .anyMatch(name -> PostgresBinariesTest.class.getClassLoader().getResource(name) != null);
  }
}
