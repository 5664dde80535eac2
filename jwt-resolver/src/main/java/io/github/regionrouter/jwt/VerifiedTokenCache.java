package io.github.regionrouter.jwt;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Successful verifications, keyed by the whole token text, so that the next request with the same token
 * costs a look-up instead of a signature check.
 *
 * <p>An entry never outlives its token: it is served only until {@code min(exp, stored + maximumTimeToLive)},
 * checked against the ticker on every hit, and a token that is already past its {@code exp} (accepted within
 * the clock skew) is not stored at all. Only successful verifications are stored, so a flood of bad tokens
 * cannot fill it. A hit needs the exact same token text: a token that differs in one character (a forged
 * header or payload with a copied signature) misses and is verified in full.
 *
 * <p>Why not a hash map: a request's token is a new string, so {@code String.hashCode} hashes all of its
 * ~300 characters on every request, and a general-purpose cache adds its own bookkeeping to every read
 * (JwtResolveBenchmark measured 446 ns a hit with Caffeine, 1/14 of an HS256 verification). Here the slot is
 * chosen by a hash of the token's length and its last {@value #HASHED_CHARS} characters, which are the
 * signature's (high-entropy: an HMAC or a signature the caller cannot choose without the key), and a hit is
 * confirmed by {@code String.equals} on the full text, a vectorised intrinsic. The slots form a fixed array of
 * {@code maximumSize} immutable entries; a token may sit in {@value #WAYS} slots, two adjacent ones at each of
 * two independent places (like a cuckoo table's two buckets, without moving entries), and a new entry takes an
 * empty or expired one of them, else replaces the one that expires first. The size bound is therefore exact.
 * A token can be evicted before the cache is full when its four slots are taken (such a token is just verified
 * again); simulated with uniformly random requests, that costs 0.002 % of requests with half as many live tokens
 * as slots, 0.06 % at three quarters and 4.6 % at as many tokens as slots.
 *
 * <p>Thread safety: safe for concurrent use, lock-free. Entries are immutable (final fields) and published
 * through an {@link AtomicReferenceArray}; a hit only reads. Two concurrent stores may overwrite each other,
 * which costs the loser one more verification, never a wrong answer: every hit compares the full text.
 */
final class VerifiedTokenCache {

  /** Characters hashed from the token's end: all within the signature of any JWS the resolver accepts. */
  static final int HASHED_CHARS = 16;
  /** Slots probed per token: two windows of {@link #WINDOW} adjacent slots at independent places. */
  static final int WAYS = 4;
  private static final int WINDOW = 2;
  /** The largest maximum size: the slot array is allocated up front (4–8 MB at this size). */
  static final long MAXIMUM_SLOTS = 1 << 20;

  private final AtomicReferenceArray<Entry> slots;
  private final int slotCount;
  private final Clock clock;
  private final Ticker ticker;
  private final long maximumNanos;

  /**
   * @param maximumSize       the most entries kept (at most {@link #MAXIMUM_SLOTS}); 0 disables the cache
   * @param maximumTimeToLive the longest an entry lives, whatever its token's {@code exp}
   * @param clock             wall time, to compare with {@code exp}
   * @param ticker            the monotonic time source that ages entries
   */
  VerifiedTokenCache(long maximumSize, Duration maximumTimeToLive, Clock clock, Ticker ticker) {
    if (maximumSize < 0 || maximumSize > MAXIMUM_SLOTS) {
      throw new IllegalArgumentException("cacheMaximumSize must be between 0 and " + MAXIMUM_SLOTS + ": "
          + maximumSize);
    }
    this.clock = clock;
    this.ticker = ticker;
    this.maximumNanos = maximumTimeToLive.toNanos();
    this.slotCount = (int) maximumSize;
    this.slots = slotCount == 0 ? null : new AtomicReferenceArray<>(slotCount);
  }

  /** The cached verification of {@code token}, or null: not stored, evicted, or past its time. */
  VerifiedRegion get(String token) {
    if (slots == null) {
      return null;
    }
    int hash = hash(token);
    int first = home(hash);
    int second = -1; // computed only when the first window misses
    for (int way = 0; way < WAYS; way++) {
      if (way == WINDOW) {
        second = home(rehash(hash));
      }
      int slot = slot(first, second, way);
      Entry entry = slots.get(slot);
      if (entry != null && entry.hash == hash && entry.token.equals(token)) {
        if (ticker.read() - entry.deadline < 0) {
          return entry.verified;
        }
        slots.compareAndSet(slot, entry, null); // let the token go now rather than at its slot's next use
        return null;
      }
    }
    return null;
  }

  /** Stores a successful verification, unless its token has no time left. */
  void put(String token, VerifiedRegion verified) {
    if (slots == null) {
      return;
    }
    long nanosToLive = nanosToLive(verified);
    if (nanosToLive <= 0) {
      return;
    }
    long now = ticker.read();
    int hash = hash(token);
    int first = home(hash);
    int second = home(rehash(hash));
    int victim = -1;
    long victimDeadline = 0;
    for (int way = 0; way < WAYS; way++) {
      int slot = slot(first, second, way);
      Entry entry = slots.get(slot);
      if (entry == null || now - entry.deadline >= 0 || (entry.hash == hash && entry.token.equals(token))) {
        victim = slot; // free, expired, or this very token: nothing of value is lost
        break;
      }
      if (victim < 0 || entry.deadline - victimDeadline < 0) {
        victim = slot;
        victimDeadline = entry.deadline;
      }
    }
    slots.set(victim, new Entry(token, hash, verified, now + nanosToLive));
  }

  /** How long {@code verified} may stay cached from now: never past its {@code exp}. */
  long nanosToLive(VerifiedRegion verified) {
    long untilExpiry;
    try {
      untilExpiry = Duration.between(clock.instant(), verified.expiresAt()).toNanos();
    } catch (ArithmeticException farFuture) { // exp centuries away: the maximum applies anyway
      untilExpiry = Long.MAX_VALUE;
    }
    return Math.max(0, Math.min(untilExpiry, maximumNanos));
  }

  /** Entries currently held and not expired; a scan of every slot, for tests and diagnostics. */
  long size() {
    if (slots == null) {
      return 0;
    }
    long now = ticker.read();
    long size = 0;
    for (int i = 0; i < slotCount; i++) {
      Entry entry = slots.get(i);
      if (entry != null && now - entry.deadline < 0) {
        size++;
      }
    }
    return size;
  }

  /**
   * The slot hash: the token's length and its last {@value #HASHED_CHARS} characters, mixed by MurmurHash3's
   * finaliser so that the home slot, taken from the high bits, depends on every one of them. Tokens that
   * share a signature (a forged copy) share a hash: {@code equals} on the full text tells them apart.
   */
  static int hash(String token) {
    int length = token.length();
    int h = length;
    for (int i = Math.max(0, length - HASHED_CHARS); i < length; i++) {
      h = 31 * h + token.charAt(i);
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  /** A second, independent hash for the second window. */
  private static int rehash(int hash) {
    int h = hash * 0x9E3779B9; // the golden ratio (Fibonacci hashing), then the finaliser again
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h ^ (h >>> 16);
  }

  /** The hash scaled onto [0, slotCount) by a multiply and shift (Lemire's fast range): no division. */
  private int home(int hash) {
    return (int) (((hash & 0xFFFF_FFFFL) * slotCount) >>> 32);
  }

  /** Way 0 and 1 are the first window, 2 and 3 the second; a window may wrap past the array's end. */
  private int slot(int first, int second, int way) {
    int slot = (way < WINDOW ? first : second) + (way & (WINDOW - 1));
    return slot >= slotCount ? slot - slotCount : slot;
  }

  /** One verified token; immutable, so a reader that sees the reference sees every field. */
  private static final class Entry {
    final String token;
    final int hash;
    final VerifiedRegion verified;
    /** Ticker time from which the entry is no longer served. */
    final long deadline;

    Entry(String token, int hash, VerifiedRegion verified, long deadline) {
      this.token = token;
      this.hash = hash;
      this.verified = verified;
      this.deadline = deadline;
    }
  }
}
