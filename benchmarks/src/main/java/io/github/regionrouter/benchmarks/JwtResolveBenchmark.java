package io.github.regionrouter.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.regionrouter.jwt.JwtRegionException;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.JwtRegionResolverBuilder;
import io.github.regionrouter.jwt.VerifiedRegion;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The region from a JWT: a full nimbus verification ({@code DefaultJWTProcessor}: parse, signature, claims)
 * for HS256, RS256 and ES256, against {@link JwtRegionResolver#resolve} answering from its verified-token
 * cache ({@link #resolverCacheHit}). Budget: cache hit ≤ 1/20 of HS256. {@link #resolverHs256} is the
 * resolver with its cache off: what a token costs the first time it is seen (nimbus plus the resolver's own
 * shape, header and claim checks).
 *
 * <p>Every method starts from the {@code Authorization} header, as a servlet filter does: the token is a
 * {@code substring} of it, a new string per request (new characters, no hash code cached yet), so the
 * cache pays for its hash and its full-text comparison on every op as it does in production; a token
 * string reused across ops would flatter it. {@link #headerOnly} measures that common part alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class JwtResolveBenchmark {

  private static final String BEARER = "Bearer ";
  private static final String ISSUER = "https://idp.example.com/";
  private static final String AUDIENCE = "orders-api";

  private String hs256Header;
  private String rs256Header;
  private String es256Header;
  private DefaultJWTProcessor<SecurityContext> hs256;
  private DefaultJWTProcessor<SecurityContext> rs256;
  private DefaultJWTProcessor<SecurityContext> es256;
  private JwtRegionResolver cached;
  private JwtRegionResolver uncached;

  @Setup(Level.Trial)
  public void start() throws JOSEException, JwtRegionException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();

    hs256Header = BEARER + sign(JWSAlgorithm.HS256, null, new MACSigner(secret));
    rs256Header = BEARER + sign(JWSAlgorithm.RS256, rsa.getKeyID(), new RSASSASigner(rsa));
    es256Header = BEARER + sign(JWSAlgorithm.ES256, ec.getKeyID(), new ECDSASigner(ec));

    hs256 = processor(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret)));
    rs256 = processor(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
        new ImmutableJWKSet<>(new JWKSet(rsa.toPublicJWK()))));
    es256 = processor(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        new ImmutableJWKSet<>(new JWKSet(ec.toPublicJWK()))));

    cached = resolver(secret, JwtRegionResolverBuilder.DEFAULT_CACHE_MAXIMUM_SIZE);
    uncached = resolver(secret, 0);
    VerifiedRegion first = cached.resolve(token(hs256Header)); // verifies and caches
    if (!"eu".equals(first.region()) || cached.resolve(token(hs256Header)) != first) {
      throw new IllegalStateException("the resolver did not cache the verified token: " + first);
    }
  }

  private static JwtRegionResolver resolver(byte[] secret, long cacheSize) {
    return JwtRegionResolver.builder()
        .allowedAlgorithms("HS256")
        .hmacSecret(secret)
        .issuer(ISSUER)
        .audiences(AUDIENCE)
        .cacheMaximumSize(cacheSize)
        .build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    cached.close();
    uncached.close();
  }

  private static String sign(JWSAlgorithm alg, String keyId, JWSSigner signer) throws JOSEException {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("user-42")
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .claim("region", "eu")
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(keyId).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static DefaultJWTProcessor<SecurityContext> processor(
      JWSVerificationKeySelector<SecurityContext> keySelector) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(keySelector);
    return processor;
  }

  /** The bearer token as a filter takes it from the header: a new string, hash not yet computed. */
  private static String token(String authorizationHeader) {
    return authorizationHeader.substring(BEARER.length());
  }

  @Benchmark
  public String headerOnly() {
    return token(hs256Header);
  }

  @Benchmark
  public Object nimbusHs256() throws BadJOSEException, JOSEException, ParseException {
    return hs256.process(token(hs256Header), null);
  }

  @Benchmark
  public Object nimbusRs256() throws BadJOSEException, JOSEException, ParseException {
    return rs256.process(token(rs256Header), null);
  }

  @Benchmark
  public Object nimbusEs256() throws BadJOSEException, JOSEException, ParseException {
    return es256.process(token(es256Header), null);
  }

  @Benchmark
  public VerifiedRegion resolverCacheHit() throws JwtRegionException {
    return cached.resolve(token(hs256Header));
  }

  @Benchmark
  public VerifiedRegion resolverHs256() throws JwtRegionException {
    return uncached.resolve(token(hs256Header));
  }
}
