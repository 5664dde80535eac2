package io.github.regionrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.testing.LatencyProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an Asian user's write costs on the ocean: the demo's {@code sin} instance (the Boot app, the starter's JWT
 * filter and consistency tokens, {@code JdbcTemplate}'s auto-commit {@code INSERT … RETURNING}) writes to the US
 * primary in {@code iad}, and every round trip on the {@code sin → iad} link is counted by the latency proxy.
 * The instance's monitor is made quiet (one poll an hour) so that the link carries the app's traffic only; the
 * write path does not depend on the monitor (rule 4: a write's position is resolved from polls, not queried).
 *
 * <p>Counts, not timings, are asserted. Earlier builds paid a second round trip after half a second idle
 * (HikariCP's alive check, now answered from the monitor: {@code VouchedConnection}) and, before that, a third, a
 * {@code SELECT pg_current_wal_insert_lsn()} when the writing connection closed.
 */
class AsianWriteRoundTripsTest {

  private static DemoTopology topo;
  private static AppInstance app;
  private static LatencyProxy ocean;
  private static HttpClient client;
  private static URI notes;
  private static String jwt;

  @BeforeAll
  static void startTheSingaporeInstance() throws Exception {
    Tokens tokens = new Tokens();
    topo = DemoTopology.start(new Geography(0.05));
    Map<String, Object> properties = topo.routerProperties(Geography.SIN, tokens);
    properties.put("region-router.monitor-interval", "1h");
    app = AppInstance.start("app-sin", properties);
    ocean = topo.topology().link(Geography.SIN, DemoTopology.US_PRIMARY);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    notes = URI.create("http://127.0.0.1:" + app.port() + "/api/notes");
    jwt = tokens.mint("asia-user-1", "us", Duration.ofHours(1));
    assertThat(write().statusCode()).as("a first write, which also opens what the pool opens lazily").isEqualTo(201);
    awaitQuietLink();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (topo != null) {
      topo.close();
    }
  }

  @Test
  void asianWrite_crossesTheOceanOnce_whenItsPooledConnectionWasUsedWithinHalfASecond() throws Exception {
    List<Long> roundTrips = writesAfterIdle(Duration.ofMillis(50), 5);

    // +1 when the commit asks the monitor for a position probe of the far primary (rule 4): it is sent on the
    // monitor's own connection over the same link, off the write path, and only once the monitor has found the
    // Singapore replica eligible (nearer than the primary), so a write counts 1 or 2 here.
    assertThat(roundTrips).as("sin→iad round trips of each write (the INSERT, and maybe the position probe)")
        .isNotEmpty().allSatisfy(n -> assertThat(n).isBetween(1L, 1L + PROBE));
  }

  @Test
  void asianWrite_crossesTheOceanOnce_afterItsPooledConnectionIdledOverHalfASecond_too() throws Exception {
    List<Long> roundTrips = writesAfterIdle(Duration.ofMillis(800), 3);

    // HikariCP checks a connection idle for over 500 ms before lending it; the router answers that check from
    // the monitor while it vouches for the node (its start-up poll here, good for 20 s), so it costs no round trip
    assertThat(roundTrips).as("sin→iad round trips of each write (the INSERT, and maybe the position probe)")
        .isNotEmpty().allSatisfy(n -> assertThat(n).isBetween(1L, 1L + PROBE));
  }

  /** At most one position probe of the far primary per commit (coalesced: one in flight per primary). */
  private static final long PROBE = 1;

  private static List<Long> writesAfterIdle(Duration idle, int count) throws Exception {
    List<Long> roundTrips = new ArrayList<>();
    write(); // the connection the next writes get was used just now
    for (int i = 0; i < count; i++) {
      Thread.sleep(idle.toMillis());
      long before = ocean.roundTrips();
      HttpResponse<String> response = write();
      roundTrips.add(ocean.roundTrips() - before);
      assertThat(response.statusCode()).as("write answered %s", response.body()).isEqualTo(201);
      assertThat(response.headers().firstValue("X-Region-Consistency")).as("the write's consistency token")
          .isPresent();
    }
    return roundTrips;
  }

  private static HttpResponse<String> write() throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(notes).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + jwt).POST(HttpRequest.BodyPublishers.ofString("note from asia"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits, at most 15 s, until the link has carried nothing for 1 s (the pool has opened its idle connections). */
  private static void awaitQuietLink() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    long last = ocean.roundTrips();
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < Duration.ofSeconds(1).toNanos()) {
      assertThat(System.nanoTime()).as("the sin→iad link to go quiet within 15 s").isLessThan(deadline);
      Thread.sleep(50);
      long now = ocean.roundTrips();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
  }
}
