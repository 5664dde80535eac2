package io.github.regionrouter.internal;

/**
 * Quotes a value that came from outside the configuration — a region claim, a token field, a name typed in a
 * property — for an exception message or a log line: at most {@link #MAX_CHARS} characters (a region name of a
 * million characters must not become a megabyte of message), control characters escaped (a newline in a claim
 * must not forge a log line). The one helper core uses wherever it quotes such input. Thread-safe (stateless).
 */
public final class UserText {

  /** Characters of the value kept in a message; the rest is counted, not copied. */
  public static final int MAX_CHARS = 64;

  private UserText() {
  }

  /**
   * The value in single quotes, cut at {@link #MAX_CHARS} characters with the full length stated, control
   * characters written as {@code \n}, {@code \t}, {@code \r} or {@code \}{@code uXXXX}.
   *
   * @param value the value, may be {@code null}
   * @return {@code 'value'}, or {@code null} (unquoted) for a null value
   */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    int keep = Math.min(value.length(), MAX_CHARS);
    if (keep > 0 && keep < value.length() && Character.isHighSurrogate(value.charAt(keep - 1))) {
      keep--; // never cut a surrogate pair in two
    }
    StringBuilder sb = new StringBuilder(keep + 32).append('\'');
    for (int i = 0; i < keep; i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    sb.append('\'');
    if (keep < value.length()) {
      sb.append("… (").append(value.length()).append(" characters, cut)");
    }
    return sb.toString();
  }
}
