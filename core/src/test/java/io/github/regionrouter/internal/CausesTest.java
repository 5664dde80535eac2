package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Failure descriptions for the start-up and transition logs, shaped like pgjdbc's exceptions. */
class CausesTest {

  @Test
  void namesTheKindOfFailureFirst() {
    assertThat(Causes.describe(new SQLException("Connection to 127.0.0.1:1 refused.", "08001",
        new ConnectException("Connection refused")))).isEqualTo("connection refused: Connection to 127.0.0.1:1 refused.");
    assertThat(Causes.describe(new SQLException("The connection attempt failed.", "08001",
        new UnknownHostException("db.invalid")))).isEqualTo("unknown host 'db.invalid': The connection attempt failed.");
    assertThat(Causes.describe(new SQLException("FATAL: password authentication failed for user \"app\"", "28P01")))
        .isEqualTo("authentication failed (28P01): FATAL: password authentication failed for user \"app\"");
    assertThat(Causes.describe(new SQLException("FATAL: database \"x\" does not exist", "3D000")))
        .isEqualTo("database does not exist (3D000): FATAL: database \"x\" does not exist");
  }

  @Test
  void masksUrlsAndPasswordsInMessages() {
    assertThat(Causes.redact("no driver for jdbc:postgresql://u:pw@h:5432/db?password=x&ssl=true, password=y"))
        .isEqualTo("no driver for jdbc:postgresql://h:5432/db password=***");
  }

  @Test
  void advisesWhatToCheck() {
    assertThat(Causes.advice("authentication failed (28000): FATAL: role \"x\" does not exist"))
        .startsWith("Check the username and password of this node's pool");
    assertThat(Causes.advice("connection refused: ...")).startsWith("Check the host and port");
  }
}
