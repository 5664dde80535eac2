package io.github.regionrouter.jwt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.github.regionrouter.RegionContext;
import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.WritePosition;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import io.github.regionrouter.jwt.JwtRegionResolver;
import io.github.regionrouter.jwt.TestKeys;
import io.github.regionrouter.jwt.Tokens;
import io.github.regionrouter.testing.PostgresTopology;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes across app instances (design rule 5) against real PostgreSQL streaming replication:
 * two {@link RegionRoutingDataSource}s (two app instances) over the same eu-primary and eu-replica, with
 * the replica's replay paused so that it can only serve stale reads. A write through A, carried to B as a
 * consistency token, must be visible to B's reads every time; the same reads without the token must be
 * stale, or this test would prove nothing.
 */
class CrossInstanceReadYourWritesTest {

  private static final int ITERATIONS = 1_000;
  private static final String SUBJECT = "https://idp.test/|user-42";
  private static final byte[] KEY = "consistency-key-shared-by-all-instances".getBytes(StandardCharsets.US_ASCII);

  private static PostgresTopology topo;
  private static RegionRoutingDataSource instanceA;
  private static RegionRoutingDataSource instanceB;
  private static final ConsistencyTokenCodec codecA = ConsistencyTokenCodec.builder().signingKey("k1", KEY).build();
  private static final ConsistencyTokenCodec codecB = ConsistencyTokenCodec.builder().signingKey("k1", KEY).build();

  @BeforeAll
  static void start() throws Exception {
    topo = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .start();
    try (Connection c = topo.connect("eu-primary"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE ryw (n int PRIMARY KEY, subject text NOT NULL)");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    instanceA = dataSource();
    instanceB = dataSource();
    awaitReplicaServesReads(instanceA);
    awaitReplicaServesReads(instanceB);
  }

  private static RegionRoutingDataSource dataSource() {
    return RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool("eu-primary"))
        .replica("eu-replica", "eu", "fra", pool("eu-replica"))
        .maxReplicaLag(Duration.ofMinutes(10)) // the paused replica must stay eligible: staleness is the point
        .monitorInterval(Duration.ofMillis(50))
        .build();
  }

  private static HikariConfig pool(String node) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(topo.jdbcUrl(node));
    config.setUsername(topo.user());
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(3_000);
    return config;
  }

  /** Waits (bounded) until the monitor has seen the replica and reads go there. */
  private static void awaitReplicaServesReads(DataSource ds) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!readServedByReplica(ds)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("reads never reached eu-replica within 15 s");
      }
      Thread.sleep(20);
    }
  }

  @SuppressWarnings("try") // the scope is used by the data source, through the thread
  private static boolean readServedByReplica(DataSource ds) throws SQLException {
    try (RegionContext.Scope s = RegionContext.open("eu", "probe"); Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (instanceA != null) {
      instanceA.close();
    }
    if (instanceB != null) {
      instanceB.close();
    }
    if (topo != null) {
      topo.close();
    }
  }

  /** Inserts row {@code n} through {@code ds} in a context of (eu, subject); returns the recorded write. */
  static WritePosition write(DataSource ds, int n, String subject) throws SQLException {
    try (RegionContext.Scope scope = RegionContext.open("eu", subject)) {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO ryw (n, subject) VALUES (?, ?)")) {
        ps.setInt(1, n);
        ps.setString(2, subject);
        ps.executeUpdate();
      }
      return scope.context().lastWrite().orElseThrow(() -> new AssertionError("the write was not recorded"));
    }
  }

  /** Reads row {@code n} on a read-only connection of the current context; true if it is there. */
  static boolean sees(DataSource ds, int n) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ryw WHERE n = ?")) {
        ps.setInt(1, n);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1) == 1;
        }
      }
    }
  }

  /** Which node served a read of row {@code n} ("replica" or "primary") and whether it was there. */
  static String where(DataSource ds, int n) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT pg_is_in_recovery(), (SELECT count(*) FROM ryw WHERE n = ?)")) {
        ps.setInt(1, n);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return (rs.getBoolean(1) ? "replica" : "primary") + (rs.getLong(2) == 1 ? " found" : " missing");
        }
      }
    }
  }

  @Test
  @SuppressWarnings("try") // the scopes are used by the data source, through the thread
  void aThousandWritesOnA_areAllVisibleOnB_withTheConsistencyToken_andStaleWithout() throws Exception {
    topo.pauseReplay("eu-replica");
    try {
      int staleWithToken = 0;
      for (int n = 0; n < ITERATIONS; n++) {
        String header = codecA.encode(write(instanceA, n, SUBJECT));
        WritePosition readAfter = codecB.decode(header, "eu").orElseThrow();
        try (RegionContext.Scope s = RegionContext.open("eu", SUBJECT, readAfter)) {
          if (!sees(instanceB, n)) {
            staleWithToken++;
          }
        }
      }

      int staleWithoutToken = 0;
      for (int n = ITERATIONS; n < 2 * ITERATIONS; n++) {
        write(instanceA, n, SUBJECT);
        try (RegionContext.Scope s = RegionContext.open("eu", "another-subject")) {
          if (!sees(instanceB, n)) {
            staleWithoutToken++;
          }
        }
      }
      System.out.printf("cross-instance read-your-writes, replay paused: %d/%d stale reads with the consistency "
          + "token, %d/%d without%n", staleWithToken, ITERATIONS, staleWithoutToken, ITERATIONS);
      assertThat(staleWithToken).as("stale reads on B with the token").isZero();
      assertThat(staleWithoutToken).as("stale reads on B without the token (else this test proves nothing)")
          .isEqualTo(ITERATIONS);
      assertThat(codecB.rejectedCount()).isZero();
    } finally {
      topo.resumeReplay("eu-replica");
    }
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(30));
    assertThat(RegionContext.current()).isEmpty();
  }

  @Test
  void theHeaderFlowsEndToEnd_throughTwoTomcats() throws Exception {
    try (JwtRegionResolver resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256")
            .hmacSecret(TestKeys.HMAC_SECRET).issuer(Tokens.ISSUER).build();
        EmbeddedTomcat tomcatA = app(resolver, codecA, instanceA);
        EmbeddedTomcat tomcatB = app(resolver, codecB, instanceB)) {
      String bearer = "Bearer " + Tokens.hs256(TestKeys.HMAC_SECRET, Tokens.claims(Clock.systemUTC()).build());
      topo.pauseReplay("eu-replica");
      try {
        for (int n = 10_000; n < 10_005; n++) {
          HttpResponse<String> wrote = tomcatA.get("/items/write?n=" + n, "Authorization", bearer);
          assertThat(wrote.body()).isEqualTo("wrote " + n);
          String header = wrote.headers().firstValue(RegionRoutingFilter.DEFAULT_CONSISTENCY_HEADER).orElseThrow();

          assertThat(tomcatB.get("/items/read?n=" + n, "Authorization", bearer,
              RegionRoutingFilter.DEFAULT_CONSISTENCY_HEADER, header).body())
              .as("B with A's consistency token").isEqualTo("found");
          assertThat(tomcatB.get("/items/read?n=" + n, "Authorization", bearer).body())
              .as("B without it: the paused replica serves, and has not got the row").isEqualTo("missing");
        }
      } finally {
        topo.resumeReplay("eu-replica");
      }
    }
  }

  /**
   * Issue 13: an Asian user's reads in the half second after a write went to the far primary because the
   * consistency token the client sent back was resolved after the clock-skew margin, although this very
   * instance had minted it (its commit time was read on this clock). Through the real filter: A's read with
   * A's own token reaches the replica (which has the row) well inside the margin; B, an instance with
   * another clock, still gives A's token the margin and reads from the primary in that moment.
   */
  @Test
  void aTokenMintedHere_needsNoClockSkewMargin_butAnotherInstancesTokenStillGetsIt() throws Exception {
    long margin = 500; // RoutingDataSource.CLOCK_SKEW_MARGIN_MILLIS
    try (JwtRegionResolver resolver = JwtRegionResolver.builder().allowedAlgorithms("HS256")
            .hmacSecret(TestKeys.HMAC_SECRET).issuer(Tokens.ISSUER).build();
        EmbeddedTomcat tomcatA = app(resolver, codecA, instanceA);
        EmbeddedTomcat tomcatB = app(resolver, codecB, instanceB)) {
      String bearer = "Bearer " + Tokens.hs256(TestKeys.HMAC_SECRET, Tokens.claims(Clock.systemUTC()).build());
      String consistency = RegionRoutingFilter.DEFAULT_CONSISTENCY_HEADER;
      int checkedOnB = 0;
      for (int n = 20_000; n < 20_010; n++) {
        HttpResponse<String> wrote = tomcatA.get("/items/write?n=" + n, "Authorization", bearer);
        assertThat(wrote.body()).isEqualTo("wrote " + n);
        String token = wrote.headers().firstValue(consistency).orElseThrow();
        long committedAt = codecA.decode(token, "eu").orElseThrow().committedAtMillis();
        assertThat(committedAt).as("the write is known by its commit time").isPositive();

        String onA;
        while ((onA = tomcatA.get("/items/where?n=" + n, "Authorization", bearer, consistency, token).body())
            .startsWith("primary")) {
          assertThat(System.currentTimeMillis() - committedAt).as("A's own token still sent reads to the primary")
              .isLessThan(5 * margin);
          Thread.sleep(2);
        }
        long reachedReplicaAfter = System.currentTimeMillis() - committedAt;
        String onB = tomcatB.get("/items/where?n=" + n, "Authorization", bearer, consistency, token).body();
        long askedBAfter = System.currentTimeMillis() - committedAt;
        assertThat(onA).as("A's read with its own token").isEqualTo("replica found");
        assertThat(reachedReplicaAfter).as("A's own token resolved within the clock-skew margin")
            .isLessThan(margin);
        assertThat(onB).endsWith("found");
        if (askedBAfter < margin - 50) { // a stalled machine may have let the margin pass: nothing to prove then
          checkedOnB++;
          assertThat(onB).as("B with A's token inside the margin").isEqualTo("primary found");
        }
      }
      assertThat(checkedOnB).as("iterations where B was asked inside the margin").isPositive();
    }
  }

  private static EmbeddedTomcat app(JwtRegionResolver resolver, ConsistencyTokenCodec codec,
      RegionRoutingDataSource ds) throws Exception {
    RegionRoutingFilter filter = RegionRoutingFilter.builder().resolver(resolver).knownRegions(ds.regions())
        .consistencyTokens(codec).build();
    return EmbeddedTomcat.start((classes, context) -> {
      context.addFilter("regionRouting", filter)
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
      context.addServlet("items", new ItemsServlet(ds)).addMapping("/items/*");
    });
  }

  /** The application: writes and reads rows through its own instance's routing data source. */
  private static final class ItemsServlet extends HttpServlet {
    private final transient DataSource ds;

    ItemsServlet(DataSource ds) {
      this.ds = ds;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      int n = Integer.parseInt(request.getParameter("n"));
      String subject = RegionContext.current().orElseThrow().subject().orElseThrow();
      try {
        if (request.getRequestURI().endsWith("/write")) {
          try (Connection c = ds.getConnection();
              PreparedStatement ps = c.prepareStatement("INSERT INTO ryw (n, subject) VALUES (?, ?)")) {
            ps.setInt(1, n);
            ps.setString(2, subject);
            ps.executeUpdate();
          }
          response.getWriter().print("wrote " + n);
        } else if (request.getRequestURI().endsWith("/where")) {
          response.getWriter().print(where(ds, n));
        } else {
          response.getWriter().print(sees(ds, n) ? "found" : "missing");
        }
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }
}
