/**
 * The jakarta servlet side: {@link io.github.regionrouter.jwt.servlet.RegionRoutingFilter} verifies the
 * request's bearer token, opens the {@link io.github.regionrouter.RegionContext} for the request (and always
 * closes it), turns every failure into the right status code and RFC 6750 {@code WWW-Authenticate} header,
 * and carries read-your-writes across app instances in a signed header, and for browsers a cookie, bound to
 * the caller's subject. An optional {@link io.github.regionrouter.RegionDirectory} moves subjects whose data
 * was migrated after their token was issued.
 *
 * {@link io.github.regionrouter.jwt.servlet.RegionRouterHealthServlet} answers the seed's health endpoints
 * ({@code /health/basic|db|full}, 200 or 503 with JSON) without a token.
 *
 * <p>Register the filter programmatically (it is configured with objects, not init parameters), for the
 * {@code REQUEST} dispatcher type, before any filter or servlet that reaches the database.
 */
package io.github.regionrouter.jwt.servlet;
