package io.github.regionrouter.jwt.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * What a request's {@code Authorization} header holds: no bearer token, a bearer token, or a bearer token
 * sent wrong (with the client-safe reason).
 *
 * <p>Thread safety: immutable.
 */
record BearerCredentials(Kind kind, String token, String problem) {

  static final String MALFORMED_BEARER = "the Authorization header must be 'Bearer', one space and the token";

  enum Kind { NONE, BEARER, MALFORMED }

  static BearerCredentials of(HttpServletRequest request) {
    Enumeration<String> values = request.getHeaders("Authorization");
    if (values == null || !values.hasMoreElements()) {
      return new BearerCredentials(Kind.NONE, null, null);
    }
    String value = values.nextElement();
    if (values.hasMoreElements()) {
      return new BearerCredentials(Kind.MALFORMED, null, "the request has more than one Authorization header");
    }
    // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110).
    // Another scheme (Basic, ...) is not a bearer token: treated as none. Anything else that starts with
    // "Bearer" (no registered scheme does) is a bearer token sent wrong: a tab, no space, two spaces,
    // trailing junk. Those are refused, never taken for "no token" (which a default region would serve
    // anonymously); exactly one space is required, stricter than the grammar's 1*SP on purpose.
    if (!value.regionMatches(true, 0, "Bearer", 0, 6)) {
      return new BearerCredentials(Kind.NONE, null, null);
    }
    if (value.substring(6).isBlank()) {
      return new BearerCredentials(Kind.MALFORMED, null, "the Authorization header has no bearer token");
    }
    String token = value.substring(7);
    if (value.charAt(6) != ' ' || !isVisibleAscii(token)) {
      return new BearerCredentials(Kind.MALFORMED, null, MALFORMED_BEARER);
    }
    return new BearerCredentials(Kind.BEARER, token, null);
  }

  /** No white space or control character: a b64token never has one, and it would hide trailing junk. */
  private static boolean isVisibleAscii(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= 0x20 || c == 0x7F) {
        return false;
      }
    }
    return true;
  }
}
