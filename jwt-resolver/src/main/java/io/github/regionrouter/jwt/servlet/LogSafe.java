package io.github.regionrouter.jwt.servlet;

/**
 * Makes user data (a claim value) fit for a DEBUG log line: at most {@value #MAX_CHARS} characters of it,
 * printable ASCII kept, everything else (control characters, line breaks, quotes, backslashes, non-ASCII)
 * escaped as {@code \\uXXXX}, so a value can neither forge a log line nor flood the log. The result is
 * quoted, with the original length when it was cut.
 *
 * <p>Thread safety: stateless.
 */
final class LogSafe {

  static final int MAX_CHARS = 64;

  private LogSafe() {}

  static String bounded(String value) {
    if (value == null) {
      return "(none)";
    }
    int shown = Math.min(value.length(), MAX_CHARS);
    StringBuilder out = new StringBuilder(shown + 24).append('"');
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    out.append('"');
    if (value.length() > shown) {
      out.append("... (").append(value.length()).append(" characters)");
    }
    return out.toString();
  }
}
