package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.NodeMisconfiguredException;
import io.github.regionrouter.RegionUnavailableException;
import io.github.regionrouter.RegionUnavailableException.Reason;
import io.github.regionrouter.SubjectFencedException;
import io.github.regionrouter.UnknownRegionException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.servlet.ModelAndView;

/**
 * The answers to the router's failures as Spring wraps them (the exceptions are the real ones, built as the
 * core and Spring build them; the servlet request and response are Spring's test doubles).
 */
@ExtendWith(OutputCaptureExtension.class)
class RegionRouterExceptionResolverTest {

  private final RegionRouterExceptionResolver resolver = new RegionRouterExceptionResolver(Duration.ofSeconds(5), null);
  private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/orders");
  private final MockHttpServletResponse response = new MockHttpServletResponse();

  @Test
  void splitBrainWrappedByJdbcTemplate_answers503WithRetryAfterAndAProblemNamingRegionAndReason() throws Exception {
    request.setQueryString("token=secret");
    ModelAndView handled = resolver.resolveException(request, response, null,
        new TransientDataAccessResourceException("PreparedStatementCallback", unavailable(Reason.SPLIT_BRAIN)));

    assertThat(handled).isNotNull();
    assertThat(handled.isEmpty()).isTrue();
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("5");
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(response.getContentType()).startsWith("application/problem+json");
    assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"urn:region-router:problem:region-unavailable\","
        + "\"title\":\"Region unavailable\",\"status\":503,\"detail\":\"Region 'eu' has more than one writable node "
        + "(split brain); writes are refused until exactly one remains, and nothing was written. Retry after 5 s.\","
        + "\"instance\":\"/api/orders\",\"region\":\"eu\",\"reason\":\"split-brain\"}");
  }

  @Test
  void noNodeDeepInAJpaChain_answers503_withoutTheExceptionsMessageOrNodeNames() throws Exception {
    Exception jpa = new JpaSystemException(new JDBCConnectionException("could not prepare statement",
        unavailable(Reason.NO_NODE)));

    resolver.resolveException(request, response, null, new CannotCreateTransactionException("begin", jpa));

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getContentAsString())
        .contains("\"detail\":\"No database node of region 'eu' can serve this request right now. Retry after 5 s.\"")
        .contains("\"reason\":\"no-node\"")
        .doesNotContain("eu-primary", "eu-replica", "jdbc:", "token=secret");
  }

  @Test
  void noPrimaryBehindCannotGetJdbcConnection_answers503() throws Exception {
    resolver.resolveException(request, response, null,
        new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", unavailable(Reason.NO_PRIMARY)));

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getContentAsString()).contains("\"reason\":\"no-primary\"");
  }

  @Test
  void aFencedSubject_answers503WithRetryAfter_namingBothRegionsButNotTheSubject() throws Exception {
    SubjectFencedException fenced = new SubjectFencedException("https://idp/|ada@example.com", "us", "eu",
        "subject 'https://idp/|ada@example.com' is being moved from region 'us' to 'eu'");

    resolver.resolveException(request, response, null,
        new PessimisticLockingFailureException("could not execute statement", fenced));

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("5");
    assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"urn:region-router:problem:subject-fenced\","
        + "\"title\":\"Data being moved\",\"status\":503,\"detail\":\"The caller's data is being moved from region "
        + "'us' to 'eu' (or has just been); nothing was written. Retry after 5 s: the request is then served by "
        + "region 'eu'.\",\"instance\":\"/api/orders\",\"region\":\"us\",\"movingTo\":\"eu\","
        + "\"reason\":\"subject-fenced\"}");
  }

  @Test
  void noRegionWithoutCredentials_answers401WithABearerChallengeNamingTheRealm() throws Exception {
    RegionRouterExceptionResolver withRealm = new RegionRouterExceptionResolver(Duration.ofSeconds(5), "orders");

    withRealm.resolveException(request, response, null, noRegion());

    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"orders\"");
    assertThat(response.getHeader("Retry-After")).isNull();
    assertThat(response.getContentAsString()).contains("\"title\":\"Unauthorized\"").contains("\"status\":401")
        .contains("\"reason\":\"no-region\"");
  }

  @Test
  void noRegionWithAnAuthorizationHeader_answers403WithoutAChallenge() throws Exception {
    request.addHeader("Authorization", "Basic dXNlcjpwYXNz");

    resolver.resolveException(request, response, null, noRegion());

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getHeader("WWW-Authenticate")).isNull();
    assertThat(response.getContentAsString()).contains("\"title\":\"Forbidden\"");
  }

  @Test
  void noRegionForAnAuthenticatedPrincipal_answers403() {
    request.setUserPrincipal(() -> "ada");

    resolver.resolveException(request, response, null, noRegion());

    assertThat(response.getStatus()).isEqualTo(403);
  }

  @Test
  void anUnknownRegion_isNamedEscaped() throws Exception {
    request.addHeader("Authorization", "Bearer x");

    resolver.resolveException(request, response, null,
        new DataAccessResourceFailureException("x", new UnknownRegionException("a\"<b>", Set.of("eu"))));

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getContentAsString()).contains("\"region\":\"a\\\"\\u003cb\\u003e\"")
        .contains("\"reason\":\"unknown-region\"");
  }

  @Test
  void aMisconfiguredNodeStays500_andItsFixIsLoggedOncePerNodeAndProblem(CapturedOutput output) throws Exception {
    for (int i = 0; i < 3; i++) {
      MockHttpServletResponse each = new MockHttpServletResponse();
      resolver.resolveException(request, each, null, new DataAccessResourceFailureException("x", misconfigured()));
      assertThat(each.getStatus()).isEqualTo(500);
      assertThat(each.getContentAsString()).contains("\"type\":\"urn:region-router:problem:node-misconfigured\"")
          .contains("\"region\":\"eu\"").doesNotContain("eu-primary", "password");
    }

    String fix = "node 'eu-primary' of region 'eu': the server refused user 'app'; fix "
        + "region-router.regions.eu.nodes.eu-primary.password";
    assertThat(output.getOut().split(java.util.regex.Pattern.quote(fix), -1)).hasSize(2);
    assertThat(output.getOut()).contains("ERROR").contains("logged once per node and problem");
  }

  @Test
  void otherFailuresAreLeftToSpring() {
    ModelAndView handled = resolver.resolveException(request, response, null,
        new DataAccessResourceFailureException("x", new SQLException("boom", "08006")));

    assertThat(handled).isNull();
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeader("Retry-After")).isNull();
  }

  @Test
  void aCommittedResponseIsLeftAlone() {
    response.setCommitted(true);

    assertThat(resolver.resolveException(request, response, null, unavailable(Reason.NO_PRIMARY))).isNull();
    assertThat(response.getHeader("Retry-After")).isNull();
  }

  @Test
  void retryAfterIsWholeSeconds_roundedUp_atLeastOne() {
    assertThat(new RegionRouterExceptionResolver(Duration.ofMillis(1500), null).retryAfterSeconds()).isEqualTo(2);
    assertThat(new RegionRouterExceptionResolver(Duration.ZERO, null).retryAfterSeconds()).isEqualTo(1);
    assertThatThrownBy(() -> new RegionRouterExceptionResolver(Duration.ofSeconds(-1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retryAfter cannot be negative: PT-1S");
  }

  @Test
  void isOrderedAfterSpringMvcsOwnResolvers() {
    // Spring MVC's composite (the app's @ExceptionHandler methods, @ResponseStatus, its defaults) has order 0.
    assertThat(resolver.getOrder()).isEqualTo(org.springframework.core.Ordered.LOWEST_PRECEDENCE);
  }

  private static RegionUnavailableException unavailable(Reason reason) {
    return new RegionUnavailableException("eu", reason, List.of("eu-primary", "eu-replica"),
        "region 'eu' cannot take writes: eu-primary (down) at jdbc:postgresql://10.0.0.1/app", null);
  }

  private static UnknownRegionException noRegion() {
    return new UnknownRegionException(null, Set.of("eu", "us"));
  }

  private static NodeMisconfiguredException misconfigured() {
    return new NodeMisconfiguredException("eu-primary", "eu", NodeMisconfiguredException.Problem.AUTHENTICATION,
        "node 'eu-primary' of region 'eu': the server refused user 'app'; fix "
            + "region-router.regions.eu.nodes.eu-primary.password", "28P01", new SQLException("password failed"));
  }
}
