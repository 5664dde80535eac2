package io.github.regionrouter.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Public keys from a JWKS URL through nimbus's {@link JWKSourceBuilder} stack: a cache with refresh-ahead,
 * a rate limit on fetches, outage tolerance (the last good set keeps serving while the URL is down).
 *
 * <p>Two things are added around nimbus's stack:
 * <ul>
 *   <li>the time every layer sees comes from an injectable {@link Clock}, instead of
 *       {@code System.currentTimeMillis()} in {@code JWKSetBasedJWKSource}, so tests advance time instead of
 *       sleeping. The look-up logic is the same: try the cached set, and when no key matches, ask once for a
 *       refresh (which the rate limit may refuse);</li>
 *   <li>the fetch layer records whether the last fetch failed ({@link #unreachable()}), so that "no key
 *       matches" can be told apart from "no key matches because the JWKS URL is down" (503, not 401), and
 *       drops symmetric keys and private parts from what the URL returns.</li>
 * </ul>
 *
 * <p>Thread safety: safe for concurrent use, like the nimbus sources it is made of.
 */
final class JwksKeySource implements JWKSource<SecurityContext>, Closeable {

  private final JWKSetSource<SecurityContext> cached;
  private final Fetcher fetcher;
  private final Clock clock;

  private JwksKeySource(JWKSetSource<SecurityContext> cached, Fetcher fetcher, Clock clock) {
    this.cached = cached;
    this.fetcher = fetcher;
    this.clock = clock;
  }

  static JwksKeySource create(URL url, Duration timeout, Duration timeToLive, Duration refreshAhead,
      Duration refreshTimeout, Duration rateLimit, Duration outageTolerance, Clock clock) {
    int timeoutMillis = Math.toIntExact(timeout.toMillis());
    DefaultResourceRetriever retriever = new DefaultResourceRetriever(
        timeoutMillis, timeoutMillis, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT);
    Fetcher fetcher = new Fetcher(new URLBasedJWKSetSource<>(url, retriever));
    JWKSource<SecurityContext> built = JWKSourceBuilder.<SecurityContext>create(fetcher)
        .cache(timeToLive.toMillis(), refreshTimeout.toMillis())
        // Our own executor: nimbus's default one has a non-daemon thread that would keep the JVM alive.
        .refreshAheadCache(refreshAhead.toMillis(), null, refreshExecutor(), true, null, false)
        .rateLimited(rateLimit.toMillis())
        .outageTolerant(outageTolerance.toMillis())
        .build();
    if (!(built instanceof JWKSetBasedJWKSource<SecurityContext> setBased)) {
      throw new IllegalStateException("unexpected JWK source from nimbus: " + built.getClass().getName());
    }
    return new JwksKeySource(setBased.getJWKSetSource(), fetcher, clock);
  }

  private static ExecutorService refreshExecutor() {
    return Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "region-router-jwks-refresh");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    long now = clock.millis();
    JWKSet set = cached.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
    List<JWK> matches = selector.select(set);
    if (!matches.isEmpty()) {
      return matches;
    }
    // Unknown key id: maybe the issuer rotated its keys. Refresh unless another thread just did; the rate
    // limiter below bounds how often a flood of made-up key ids can make us fetch.
    return selector.select(cached.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(set), now, context));
  }

  /** Whether the most recent fetch of the JWK set failed (also true before a first fetch that failed). */
  boolean unreachable() {
    return fetcher.lastFetchFailed;
  }

  @Override
  public void close() throws IOException {
    cached.close();
  }

  /** The bottom of the stack: fetches, remembers whether that worked, keeps public asymmetric keys only. */
  private static final class Fetcher implements JWKSetSource<SecurityContext> {
    private final JWKSetSource<SecurityContext> url;
    private volatile boolean lastFetchFailed;

    Fetcher(JWKSetSource<SecurityContext> url) {
      this.url = url;
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
        throws KeySourceException {
      JWKSet fetched;
      try {
        fetched = url.getJWKSet(evaluator, currentTime, context);
      } catch (KeySourceException | RuntimeException e) {
        lastFetchFailed = true;
        throw e;
      }
      lastFetchFailed = false;
      return publicAsymmetricKeys(fetched);
    }

    @Override
    public void close() throws IOException {
      url.close();
    }
  }

  /** The set without symmetric keys, and with only the public half of the others. */
  static JWKSet publicAsymmetricKeys(JWKSet set) {
    List<JWK> kept = new ArrayList<>(set.size());
    for (JWK key : set.getKeys()) {
      if (!KeyType.OCT.equals(key.getKeyType())) {
        JWK publicKey = key.toPublicJWK();
        if (publicKey != null) {
          kept.add(publicKey);
        }
      }
    }
    return new JWKSet(kept);
  }
}
