package io.github.regionrouter.internal;

/** Makes JDBC URLs safe to log: drops the query string and any user-info, where passwords hide. */
final class JdbcUrls {

  private JdbcUrls() {
  }

  /** {@code jdbc:postgresql://u:pw@host:5432/db?password=x} becomes {@code jdbc:postgresql://host:5432/db}. */
  static String redact(String url) {
    if (url == null) {
      return "null";
    }
    String s = url;
    int q = s.indexOf('?');
    if (q >= 0) {
      s = s.substring(0, q);
    }
    int scheme = s.indexOf("//");
    int at = s.indexOf('@', scheme < 0 ? 0 : scheme);
    if (scheme >= 0 && at > scheme) {
      s = s.substring(0, scheme + 2) + s.substring(at + 1);
    }
    return s;
  }
}
