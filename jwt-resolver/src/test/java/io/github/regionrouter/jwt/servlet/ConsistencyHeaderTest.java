package io.github.regionrouter.jwt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.WritePosition;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import io.github.regionrouter.jwt.ConsistencyTokenCodec.Rejection;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.TestKeys;
import io.github.regionrouter.jwt.Tokens;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consistency header between two app instances (two embedded Tomcats sharing the codec keys): issued
 * by A when a request wrote, set before the response commits however it commits, honoured by B, and
 * ignored (and counted) when tampered, expired or foreign.
 */
class ConsistencyHeaderTest {

  private static final String HEADER = RegionRoutingFilter.DEFAULT_CONSISTENCY_HEADER;
  private static final byte[] KEY = "consistency-key-shared-by-all-instances".getBytes(StandardCharsets.US_ASCII);
  private static final WritePosition WRITE = new WritePosition("eu", TestApp.LSN);

  private static JwtRegionResolver resolver;
  private static ConsistencyTokenCodec codecA;
  private static ConsistencyTokenCodec codecB;
  private static ShiftedClock timeB;
  private static RegionRoutingFilter filterA;
  private static ContextLeakDetector detectorA;
  private static ContextLeakDetector detectorB;
  private static EmbeddedTomcat instanceA;
  private static EmbeddedTomcat instanceB;

  @BeforeAll
  static void start() throws Exception {
    resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256").hmacSecret(TestKeys.HMAC_SECRET)
        .issuer(Tokens.ISSUER).build();
    codecA = ConsistencyTokenCodec.builder().signingKey("k1", KEY).build();
    timeB = new ShiftedClock();
    codecB = ConsistencyTokenCodec.builder().signingKey("k1", KEY).clock(timeB).build();
    filterA = RegionRoutingFilter.builder().resolver(resolver).knownRegions(Set.of("eu", "us"))
        .consistencyTokens(codecA).build();
    RegionRoutingFilter filterB = RegionRoutingFilter.builder().resolver(resolver).knownRegions(Set.of("eu", "us"))
        .consistencyTokens(codecB).build();
    detectorA = new ContextLeakDetector();
    detectorB = new ContextLeakDetector();
    instanceA = start(filterA, detectorA);
    instanceB = start(filterB, detectorB);
  }

  private static EmbeddedTomcat start(RegionRoutingFilter filter, ContextLeakDetector detector) throws Exception {
    return EmbeddedTomcat.start((classes, context) -> {
      context.addFilter("leakDetector", detector).addMappingForUrlPatterns(null, true, "/*");
      context.addFilter("regionRouting", filter)
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
      context.addServlet("app", new TestApp()).addMapping("/*");
    });
  }

  @AfterAll
  static void stop() throws Exception {
    instanceA.close();
    instanceB.close();
    resolver.close();
  }

  @AfterEach
  void noContextLeftOnEitherInstance() {
    assertThat(detectorA.leaks).isEmpty();
    assertThat(detectorB.leaks).isEmpty();
  }

  private static String token(String region) {
    return Tokens.hs256(TestKeys.HMAC_SECRET, Tokens.claims(Clock.systemUTC()).claim("region", region).build());
  }

  private static HttpResponse<String> send(EmbeddedTomcat instance, String path, String region,
      String consistency) throws Exception {
    return consistency == null
        ? instance.get(path, "Authorization", "Bearer " + token(region))
        : instance.get(path, "Authorization", "Bearer " + token(region), HEADER, consistency);
  }

  private static String headerOf(HttpResponse<String> response) {
    return response.headers().firstValue(HEADER).orElse(null);
  }

  @Test
  void aWriteOnA_givesReadYourWritesOnB() throws Exception {
    HttpResponse<String> wrote = send(instanceA, "/write", "eu", null);
    assertThat(wrote.statusCode()).isEqualTo(200);
    String consistency = headerOf(wrote);
    assertThat(consistency).isNotNull();
    assertThat(codecA.decode(consistency, "eu")).contains(WRITE);

    assertThat(send(instanceB, "/whoami", "eu", consistency).body())
        .isEqualTo("region=eu subject=https://idp.test/|user-42 readAfter=eu@3/16B3748");
    assertThat(send(instanceB, "/whoami", "eu", null).body()).endsWith("readAfter=-");
  }

  @Test
  void aRequestThatDidNotWrite_getsNoHeader_andAnIncomingTokenIsNotReissued() throws Exception {
    String consistency = headerOf(send(instanceA, "/write", "eu", null));
    HttpResponse<String> read = send(instanceA, "/whoami", "eu", consistency);
    assertThat(read.body()).endsWith("readAfter=eu@3/16B3748");
    assertThat(headerOf(read)).as("re-issuing would stretch the window").isNull();
  }

  @Test
  void tamperedExpiredAndForeignTokens_areIgnoredAndCounted() throws Exception {
    String consistency = headerOf(send(instanceA, "/write", "eu", null));
    String tampered = consistency.substring(0, 5) + (consistency.charAt(5) == 'A' ? 'B' : 'A')
        + consistency.substring(6);
    long rejected = codecB.rejectedCount();
    assertThat(send(instanceB, "/whoami", "eu", tampered).body()).endsWith("readAfter=-");
    assertThat(codecB.rejectedCount()).isEqualTo(rejected + 1);
    long badSignatures = codecB.rejectedCount(Rejection.BAD_SIGNATURE);
    String forged = consistency.substring(0, consistency.indexOf('.') + 1) + "A".repeat(22);
    assertThat(send(instanceB, "/whoami", "eu", forged).body()).endsWith("readAfter=-");
    assertThat(codecB.rejectedCount(Rejection.BAD_SIGNATURE)).isEqualTo(badSignatures + 1);

    String usWrite = headerOf(send(instanceA, "/write", "us", null));
    long foreign = codecB.rejectedCount(Rejection.FOREIGN_REGION);
    assertThat(send(instanceB, "/whoami", "eu", usWrite).body()).as("an eu request").endsWith("readAfter=-");
    assertThat(codecB.rejectedCount(Rejection.FOREIGN_REGION)).isEqualTo(foreign + 1);
    assertThat(send(instanceB, "/whoami", "us", usWrite).body()).endsWith("readAfter=us@3/16B3748");

    long expired = codecB.rejectedCount(Rejection.EXPIRED);
    timeB.shift = Duration.ofSeconds(5); // B's clock: the window has passed
    try {
      assertThat(send(instanceB, "/whoami", "eu", consistency).body()).endsWith("readAfter=-");
      assertThat(codecB.rejectedCount(Rejection.EXPIRED)).isEqualTo(expired + 1);
    } finally {
      timeB.shift = Duration.ZERO;
    }
  }

  @Test
  void theHeaderIsSetBeforeTheResponseCommits_howeverItCommits() throws Exception {
    for (String path : new String[] {"/write-then-flush", "/write-then-stream", "/write-then-error",
        "/write-then-redirect"}) {
      HttpResponse<String> response = send(instanceA, path, "eu", null);
      assertThat(headerOf(response)).as(path + " (status " + response.statusCode() + ")").isNotNull();
      assertThat(codecA.decode(headerOf(response), "eu")).as(path).contains(WRITE);
    }
    assertThat(send(instanceA, "/write-then-stream", "eu", null).body()).hasSize(64 * 8192);
  }

  @Test
  void aWriteRecordedAfterTheCommit_cannotBeAnnounced_andIsCounted() throws Exception {
    long missed = filterA.missedConsistencyTokens();
    HttpResponse<String> response = send(instanceA, "/write-after-commit", "eu", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(headerOf(response)).isNull();
    assertThat(filterA.missedConsistencyTokens()).isEqualTo(missed + 1);
  }

  @Test
  void aFailedRequestThatWrote_stillClosesItsContext() throws Exception {
    assertThat(send(instanceA, "/write-then-throw", "eu", null).statusCode()).isEqualTo(500);
  }

  /** The system clock, shifted on demand: instance B's view of time while real requests run. */
  private static final class ShiftedClock extends Clock {
    volatile Duration shift = Duration.ZERO;

    @Override
    public Instant instant() {
      return Instant.now().plus(shift);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
