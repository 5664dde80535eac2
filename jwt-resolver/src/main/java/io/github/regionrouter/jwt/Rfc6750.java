package io.github.regionrouter.jwt;

/**
 * Keeps client-facing text within what RFC 6750 §3 allows inside a quoted {@code error_description}:
 * {@code %x20-21 / %x23-5B / %x5D-7E}. Anything else (quotes, backslashes, control characters, non-ASCII)
 * becomes {@code ?}, so a value can never break out of the header's quoted string.
 */
final class Rfc6750 {

  private Rfc6750() {}

  static String descriptionSafe(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '?');
    }
    return out.toString();
  }
}
