package io.github.regionrouter.demo;

import io.github.regionrouter.demo.Geography.Group;
import io.github.regionrouter.demo.Recorder.Kind;
import io.github.regionrouter.demo.Recorder.Outcome;
import io.github.regionrouter.demo.Recorder.Phase;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One simulated user: a browser or app client with a signed JWT that keeps calling its nearest app instance.
 * Of every ten actions, nine are reads and one is a write followed at once by a read of that write (so reads
 * are 10:1 to writes, writes ≈ 9 % of requests); one write in three is a browser form post answered by a 303
 * redirect, whose follow-up GET carries the cookies but not the consistency header (browsers do not echo
 * response headers); the others are API calls that send back the newest consistency token, as a fetch client
 * does. A read of one's own just-written note that answers 404 is a stale read.
 *
 * <p>Runs on one thread; {@link #stop()} may be called from any thread.
 */
final class SimulatedUser implements Runnable {

  private static final String CONSISTENCY = "X-Region-Consistency";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  /** The first few unexpected read failures are printed, so a broken promise comes with its cause. */
  private static volatile int errorsToShow = 5;
  /** The API's refusal answer: "read refused (split-brain): ...". */
  private static final java.util.regex.Pattern REFUSED =
      java.util.regex.Pattern.compile("^\\w+ refused \\(([a-z-]+)\\)");

  private final Group group;
  private final String token;
  private final Recorder recorder;
  private final Supplier<Phase> phase;
  private final Supplier<URI> base;
  private final Duration think;
  private final Random random;
  private final HttpClient client;
  private final List<Long> ownNotes = new ArrayList<>();
  private volatile boolean stopped;
  private String consistency;

  SimulatedUser(Group group, String token, Recorder recorder, Supplier<Phase> phase, Supplier<URI> base,
      Duration think, long seed, Executor executor) {
    this.group = group;
    this.token = token;
    this.recorder = recorder;
    this.phase = phase;
    this.base = base;
    this.think = think;
    this.random = new Random(seed);
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    while (!stopped) {
      Phase p = phase.get();
      URI uri = base.get();
      if (random.nextInt(10) == 0) {
        if (random.nextInt(3) == 0) {
          formPostRedirectGet(p, uri);
        } else {
          writeThenRead(p, uri);
        }
      } else if (!ownNotes.isEmpty() && random.nextInt(10) < 7) {
        read(p, uri, ownNotes.get(random.nextInt(ownNotes.size())), false, true);
      } else {
        read(p, uri, -1, false, true);
      }
      try {
        Thread.sleep(think.toMillis() / 2 + random.nextInt((int) Math.max(1, think.toMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void writeThenRead(Phase p, URI uri) {
    long id = write(p, uri, "/api/notes", 201, true);
    if (id >= 0) {
      read(p, uri, id, true, true);
    }
  }

  private void formPostRedirectGet(Phase p, URI uri) {
    long id = write(p, uri, "/api/notes/form", 303, false);
    if (id >= 0) {
      read(p, uri, id, true, false);
    }
  }

  /** POSTs a note; returns its id, or -1 if the write did not succeed (recorded either way). */
  private long write(Phase p, URI uri, String path, int expected, boolean sendConsistency) {
    HttpRequest.Builder request = authorized(uri.resolve(path), sendConsistency)
        .POST(HttpRequest.BodyPublishers.ofString("note from " + group.key + " at " + System.nanoTime()));
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        String reason = refusalReason(response);
        recorder.record(p, group, Kind.WRITE, started, reason != null ? Outcome.REFUSED : Outcome.ERROR);
        if (reason != null) {
          recorder.refusal(p, Kind.WRITE, reason);
        } else if (errorsToShow-- > 0) {
          System.err.println("[demo] " + group.key + " write " + response.statusCode() + ": " + response.body());
        }
        return -1;
      }
      recorder.record(p, group, Kind.WRITE, started, Outcome.OK);
      keepConsistency(response);
      long id = expected == 303 ? Long.parseLong(response.headers().firstValue("Location").orElse("/-1")
          .replaceAll(".*/", "")) : Long.parseLong(response.body().trim());
      ownNotes.add(id);
      if (p == Phase.ROUTER || p == Phase.DRILL) {
        recorder.acknowledged(group.region, id);
      }
      if (ownNotes.size() > 50) {
        ownNotes.remove(0);
      }
      return id;
    } catch (IOException | RuntimeException e) {
      recorder.record(p, group, Kind.WRITE, started, Outcome.ERROR);
      if (errorsToShow-- > 0) {
        System.err.println("[demo] " + group.key + " write failed: " + e);
      }
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** GETs one note ({@code id >= 0}) or the note count; a 404 on a just-written note is a stale read. */
  private void read(Phase p, URI uri, long id, boolean afterOwnWrite, boolean sendConsistency) {
    HttpRequest.Builder request = authorized(uri.resolve(id >= 0 ? "/api/notes/" + id : "/api/notes"),
        sendConsistency).GET();
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Outcome outcome;
      String reason = refusalReason(response);
      if (response.statusCode() == 200) {
        outcome = Outcome.OK;
      } else if (response.statusCode() == 404 && afterOwnWrite) {
        outcome = Outcome.STALE;
      } else if (reason != null) {
        outcome = Outcome.REFUSED;
        recorder.refusal(p, Kind.READ, reason);
      } else {
        outcome = Outcome.ERROR;
      }
      recorder.record(p, group, Kind.READ, afterOwnWrite, started, outcome);
      if (outcome == Outcome.ERROR && errorsToShow-- > 0) {
        System.err.println("[demo] " + group.key + " read " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException | RuntimeException e) {
      recorder.record(p, group, Kind.READ, afterOwnWrite, started, Outcome.ERROR);
      if (errorsToShow-- > 0) {
        System.err.println("[demo] " + group.key + " read failed: " + e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The router's reason tag when the API answered 503 "... refused (reason): ...", else null. */
  private static String refusalReason(HttpResponse<String> response) {
    if (response.statusCode() != 503) {
      return null;
    }
    java.util.regex.Matcher m = REFUSED.matcher(response.body());
    return m.find() ? m.group(1) : null;
  }

  private HttpRequest.Builder authorized(URI uri, boolean sendConsistency) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token);
    if (sendConsistency && consistency != null) {
      request.header(CONSISTENCY, consistency);
    }
    return request;
  }

  private void keepConsistency(HttpResponse<String> response) {
    Optional<String> newest = response.headers().firstValue(CONSISTENCY);
    newest.ifPresent(t -> consistency = t);
  }
}
