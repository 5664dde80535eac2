package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.UnknownRegionException;
import io.github.regionrouter.WritePosition;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserTextTest {

  @Test
  void shortValues_areQuotedAsTheyAre() {
    assertThat(UserText.quote("eu")).isEqualTo("'eu'");
    assertThat(UserText.quote("")).isEqualTo("''");
    assertThat(UserText.quote(null)).isEqualTo("null");
  }

  @Test
  void longValues_areCutAt64Characters_withTheirLengthStated() {
    String quoted = UserText.quote("x".repeat(1_000_000));
    assertThat(quoted).isEqualTo("'" + "x".repeat(64) + "'… (1000000 characters, cut)");
  }

  @Test
  void controlCharacters_areEscaped_soAClaimCannotForgeALogLine() {
    assertThat(UserText.quote("eu\nINFO fake\r\t\u0000\u001b[31m"))
        .isEqualTo("'eu\\nINFO fake\\r\\t\\u0000\\u001b[31m'");
  }

  @Test
  void aSurrogatePairIsNeverCutInTwo() {
    String value = "a".repeat(63) + "\uD83D\uDE00" + "b";
    assertThat(UserText.quote(value)).isEqualTo("'" + "a".repeat(63) + "'… (66 characters, cut)");
  }

  @Test
  void anUnknownRegionOfAMillionCharacters_givesABoundedMessage() {
    UnknownRegionException e = new UnknownRegionException("r".repeat(1_000_000) + "\n", Set.of("eu", "us"));
    assertThat(e.getMessage())
        .isEqualTo("Unknown region '" + "r".repeat(64) + "'… (1000001 characters, cut) (known regions: eu, us). "
            + "Check the caller's region claim or the RegionContext; no connection was borrowed.")
        .hasSizeLessThan(300);
    assertThat(e.region()).hasSize(1_000_001); // the accessor keeps the value for code that needs it
  }

  @Test
  void aForgedPositionInAToken_isQuotedBounded() {
    assertThatThrownBy(() -> WritePosition.parseLsn("0/" + "F".repeat(500) + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a PostgreSQL LSN (expected X/Y in hex): '0/" + "F".repeat(62) + "'… (503 characters, cut)");
  }
}
