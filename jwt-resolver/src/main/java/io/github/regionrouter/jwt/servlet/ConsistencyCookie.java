package io.github.regionrouter.jwt.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The browser carrier of consistency tokens (design rule 5): a browser that follows a redirect after a POST
 * sends no custom header, but it sends its cookies. The cookie is {@code HttpOnly} (scripts never need it),
 * {@code SameSite=Lax} (sent on top-level navigations such as that redirect, not on cross-site
 * sub-requests), {@code Secure} unless the request is plain HTTP to a loopback host name (a developer's
 * {@code http://localhost}; behind a TLS-terminating proxy the Host is the public name, so the cookie stays
 * {@code Secure}), with a configurable {@code Path} and {@code Max-Age} equal to the window: it outlives its
 * token by less than a second.
 *
 * <p>Thread safety: immutable.
 */
final class ConsistencyCookie {

  private final String name;
  private final String path;
  private final int maxAgeSeconds;

  ConsistencyCookie(String name, String path, Duration window) {
    this.name = name;
    this.path = path;
    long seconds = (window.toMillis() + 999) / 1000; // a window under a second still needs a cookie
    this.maxAgeSeconds = (int) Math.max(1, seconds);
  }

  String name() {
    return name;
  }

  String path() {
    return path;
  }

  /** Every value of a cookie of this name in the request (there can be several, set for different paths). */
  List<String> valuesIn(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>(1);
    for (Cookie cookie : cookies) {
      if (name.equals(cookie.getName())) {
        values.add(cookie.getValue());
      }
    }
    return values;
  }

  /** The cookie carrying {@code token} in the response to {@code request}. */
  Cookie create(String token, HttpServletRequest request) {
    Cookie cookie = new Cookie(name, token);
    cookie.setHttpOnly(true);
    cookie.setSecure(!isPlainHttpOnLoopback(request));
    cookie.setPath(path);
    cookie.setMaxAge(maxAgeSeconds);
    cookie.setAttribute("SameSite", "Lax");
    return cookie;
  }

  static boolean isPlainHttpOnLoopback(HttpServletRequest request) {
    if (request.isSecure()) {
      return false;
    }
    String host = request.getServerName();
    return host != null && (host.equalsIgnoreCase("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
        || host.equals("::1") || host.equals("[::1]"));
  }
}
