package io.github.regionrouter.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Assertions on rejected tokens: the type, the reason, the message, and that nothing of the token leaks. */
public final class Rejections {

  private Rejections() {}

  public static InvalidTokenException assertInvalid(JwtRegionResolver resolver, String token,
      InvalidTokenException.Reason reason, String description) {
    InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class, () -> resolver.resolve(token));
    assertThat(e).as("expected %s", reason).isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.description()).isEqualTo(description);
    assertThat(e.getMessage()).isEqualTo(description);
    assertThat(e.getCause()).as("no cause: a parser's message could quote the token").isNull();
    assertThat(e.getStackTrace()).as("invalid input is not a bug: no stack trace").isEmpty();
    assertNotEchoed(e.description(), token);
    return e;
  }

  /** Neither the token nor any of its parts (of 8 characters or more) appears in {@code text}. */
  public static void assertNotEchoed(String text, String token) {
    if (token == null || token.length() < 8) {
      return; // too short to tell an echo from ordinary words
    }
    assertThat(text).doesNotContain(token.substring(0, 8));
    for (String part : token.split("\\.")) {
      if (part.length() >= 8) {
        assertThat(text).as("a part of the token leaked").doesNotContain(part);
      }
    }
  }
}
