package io.github.regionrouter.spring;

/** Test applications that run without Spring Security although it is on the test class path. */
final class NoSecurity {

  static final String EXCLUDE = "spring.autoconfigure.exclude="
      + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
      + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
      + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
      + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
      + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
      + "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration,"
      + "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web."
      + "OAuth2ResourceServerWebSecurityAutoConfiguration";

  private NoSecurity() {
  }
}
