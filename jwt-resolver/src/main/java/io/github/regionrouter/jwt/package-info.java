/**
 * The caller's region from a <em>verified</em> JWT, and read-your-writes across app instances.
 *
 * <ul>
 *   <li>{@link io.github.regionrouter.jwt.JwtRegionResolver} verifies a bearer token (nimbus-jose-jwt, an
 *       explicit algorithm allow-list, keys from a JWKS URL, a static JWK set or an HMAC secret) and returns a
 *       {@link io.github.regionrouter.jwt.VerifiedRegion}: the region that decides where the caller's data is
 *       written, and who the caller is. Successful verifications are cached, never beyond the token's
 *       {@code exp}. Every failure is a typed {@link io.github.regionrouter.jwt.JwtRegionException} whose
 *       {@linkplain io.github.regionrouter.jwt.JwtRegionException#description() description} is safe to send
 *       to the client and never contains the token.</li>
 *   <li>{@link io.github.regionrouter.jwt.ConsistencyTokenCodec} turns "this request (of subject S) wrote to
 *       region R at WAL position X, or at commit time T" into a short signed string and back, so that a
 *       request reaching another app instance still reads its own writes (design rule 5). Forged, tampered,
 *       expired, foreign-region and foreign-subject tokens are ignored and counted.</li>
 * </ul>
 *
 * <p>The servlet filter that puts both to work is in {@code io.github.regionrouter.jwt.servlet}. Nothing in
 * this package needs the Servlet API. Classes that are not public are implementation details.
 */
package io.github.regionrouter.jwt;
