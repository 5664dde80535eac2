package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionDirectory;
import io.github.regionrouter.jwt.servlet.RegionRequestScope;
import jakarta.servlet.FilterChain;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The Security path's decisions, on the verified {@link Jwt} Security leaves in its context. */
class SecurityJwtRegionFilterTest {

  private final AtomicReference<String> seen = new AtomicReference<>("not called");
  private final FilterChain chain = (request, response) -> seen.set(
      RegionContext.current().map(c -> c.region() + "|" + c.subject().orElse("-")).orElse("none"));
  private final MockHttpServletResponse response = new MockHttpServletResponse();

  @AfterEach
  void clear() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void runsInTheClaimsRegion_asIssuerAndSubject() throws Exception {
    authenticate(Map.of("region", "eu"));

    filter(null, null).doFilter(new MockHttpServletRequest(), response, chain);

    assertThat(seen).hasValue("eu|https://idp.test/|ada");
  }

  @Test
  void theRegionDirectoryMovesAMigratedSubject_afterVerification() throws Exception {
    authenticate(Map.of("region", "eu"));
    RegionDirectory directory = subject -> subject.equals("https://idp.test/|ada") ? Optional.of("us")
        : Optional.empty();

    filter(null, directory).doFilter(new MockHttpServletRequest(), response, chain);

    assertThat(seen).hasValue("us|https://idp.test/|ada");
  }

  @Test
  void aDirectoryRegionThisServiceDoesNotServe_isForbidden() throws Exception {
    authenticate(Map.of("region", "eu"));

    filter(null, subject -> Optional.of("apac")).doFilter(new MockHttpServletRequest(), response, chain);

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(seen).hasValue("not called");
  }

  @Test
  void aVerifiedTokenWithoutRegionIsForbidden_evenWithADefaultRegion() throws Exception {
    authenticate(Map.of("scope", "read"));

    filter("eu", null).doFilter(new MockHttpServletRequest(), response, chain);

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getContentAsString()).isEqualTo("the token has no usable 'region' claim\n");
    assertThat(seen).hasValue("not called");
  }

  @Test
  void aRequestSecurityLetThroughWithoutJwt_runsInTheDefaultRegion_orInNone() throws Exception {
    filter("us", null).doFilter(new MockHttpServletRequest(), response, chain);
    assertThat(seen).hasValue("us|-");

    filter(null, null).doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(), chain);
    assertThat(seen).hasValue("none");
  }

  private static SecurityJwtRegionFilter filter(String defaultRegion, RegionDirectory directory) {
    return new SecurityJwtRegionFilter("region", Map.of(), Set.of("eu", "us"), defaultRegion, directory,
        new RegionRequestScope(null, "X-Region-Consistency"));
  }

  private static void authenticate(Map<String, Object> claims) {
    Jwt.Builder jwt = Jwt.withTokenValue("t").header("alg", "RS256").issuer("https://idp.test/").subject("ada")
        .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600));
    claims.forEach(jwt::claim);
    SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt.build(), java.util.List.of()));
  }
}
