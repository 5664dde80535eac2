package io.github.regionrouter.jwt;

import io.github.regionrouter.WritePosition;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed consistency tokens (design rule 5): "this caller wrote to region R, and the write is at or before
 * WAL position X" (or, when the write path did not read the position, "committed at time T"). An app
 * instance issues one when a request wrote; any instance that receives it back opens the request's context
 * with {@code RegionContext.open(region, subject, readAfter)}, so the caller reads its own write even on an
 * instance that never saw it.
 *
 * <p>Format (about 55 characters, 66 with a clock id; header-, cookie- and URL-safe): {@code
 * base64url(payload) "." base64url(mac)}. The payload names the key, the region, when the token was issued,
 * the position (an LSN, a commit time, or unknown) with the {@link WritePosition#clockId() clock id} of a
 * commit time, and, for a bound token, the subject's tag; see {@code ConsistencyTokenFormat}.
 * The MAC is HMAC-SHA256 over a fixed domain label and the payload, truncated to 128 bits (RFC 2104 §5
 * allows it; a token lives for one window), with the secret named by the key id. Key ids let secrets
 * rotate: sign with the new key, keep accepting the old one with
 * {@link Builder#verificationKey(String, byte[])} for one window, then drop it.
 *
 * <p><b>Subject binding.</b> A token issued for a request that had a subject carries an 8-byte keyed hash of
 * that subject (HMAC-SHA256 with the same secret, so the token does not reveal who wrote, and nobody
 * without the secret can compute the tag of a guessed subject). A request authenticated as another subject
 * gets it ignored and counted as {@link Rejection#FOREIGN_SUBJECT}; a request with no subject may use any
 * valid token of its region (it can only make its own reads fresher), and so may any request use a token
 * issued without a subject.
 *
 * <p>{@link #decode(String, String, String)} never throws on bad input. A token that is malformed, signed
 * with an unknown key or badly, for another region than the request's, bound to another subject, issued
 * more than {@link Builder#window(Duration) window} ago (no grace), or dated in the future beyond
 * {@link Builder#clockSkew(Duration) clockSkew} is ignored and counted ({@link #rejectedCount(Rejection)}
 * and, with a Micrometer registry, the counter {@value #REJECTED_METER} tagged {@code reason}). So a token
 * can push a caller's reads to the primary for at most one window after it was issued (plus the skew, if
 * the issuing instance's clock runs ahead), and only for its own region; it can never name a region the
 * verified JWT did not.
 *
 * <p>Thread safety: immutable once built and safe for concurrent use.
 */
public final class ConsistencyTokenCodec {

  /** The Micrometer counter of ignored tokens; tag {@code reason} is {@link Rejection#tag()}. */
  public static final String REJECTED_METER = "regionrouter.consistency.tokens.rejected";
  /** Default {@link Builder#window(Duration)}: the read-your-writes window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(5);
  /** Default {@link Builder#clockSkew(Duration)}. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(1);

  private static final byte[] DOMAIN = "region-router/consistency-token\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUBJECT_DOMAIN = "region-router/consistency-subject\0"
      .getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_BYTES = 16;
  private static final int MAX_TOKEN_CHARS = (ConsistencyTokenFormat.MAX_PAYLOAD_BYTES * 4 + 2) / 3 + 1
      + (MAC_BYTES * 4 + 2) / 3;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /** Why a presented token was ignored. */
  public enum Rejection {
    /** Not a token of this format (or of an unknown version). */
    MALFORMED("malformed"),
    /** Signed with a key id this instance does not have (rotated out, or forged). */
    UNKNOWN_KEY("unknown-key"),
    /** The MAC does not match: tampered or forged. */
    BAD_SIGNATURE("bad-signature"),
    /** Issued more than the window ago. */
    EXPIRED("expired"),
    /** Issued in the future, by more than the clock skew. */
    NOT_YET_VALID("not-yet-valid"),
    /** For another region than the request's. */
    FOREIGN_REGION("foreign-region"),
    /** Issued for another subject than the one the request is authenticated as. */
    FOREIGN_SUBJECT("foreign-subject");

    private final String tag;

    Rejection(String tag) {
      this.tag = tag;
    }

    /** The value of the metric's {@code reason} tag, e.g. {@code bad-signature}. */
    public String tag() {
      return tag;
    }
  }

  private final String signingKeyId;
  private final Map<String, SecretKeySpec> keys;
  private final long windowMillis;
  private final long skewMillis;
  private final Clock clock;
  private final Map<Rejection, LongAdder> rejected;
  private final Consumer<Rejection> meter;

  private ConsistencyTokenCodec(Builder builder) {
    this.signingKeyId = builder.signingKeyId;
    this.keys = Map.copyOf(builder.keys);
    this.windowMillis = builder.window.toMillis();
    this.skewMillis = builder.clockSkew.toMillis();
    this.clock = builder.clock;
    Map<Rejection, LongAdder> counters = new EnumMap<>(Rejection.class);
    for (Rejection reason : Rejection.values()) {
      counters.put(reason, new LongAdder());
    }
    this.rejected = counters;
    this.meter = builder.meterRegistry == null ? reason -> { } : MicrometerRejections.bind(builder.meterRegistry);
  }

  /** Starts a builder; {@link Builder#signingKey(String, byte[])} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Issues a token for {@code position} that is not bound to a subject, dated now and signed with the
   * signing key. Same as {@code encode(position, null)}.
   *
   * @throws NullPointerException     if {@code position} is null
   * @throws IllegalArgumentException if the region name is longer than 64 UTF-8 bytes
   */
  public String encode(WritePosition position) {
    return encode(position, null);
  }

  /**
   * Issues a token for {@code position}, bound to {@code subject} when it is not null, dated now and signed
   * with the signing key. The position may be an LSN, a commit time ({@link WritePosition#committedAt}) or
   * unknown; {@link #decode(String, String, String)} returns the same {@link WritePosition}.
   *
   * @param position the request's last write
   * @param subject  the subject the request ran as ({@code RegionContext.subject()}), or null
   * @throws NullPointerException     if {@code position} is null
   * @throws IllegalArgumentException if the region name is longer than 64 UTF-8 bytes
   */
  public String encode(WritePosition position, String subject) {
    Objects.requireNonNull(position, "position");
    byte[] region = position.region().getBytes(StandardCharsets.UTF_8);
    if (region.length > ConsistencyTokenFormat.MAX_REGION_BYTES) {
      throw new IllegalArgumentException("region name is longer than " + ConsistencyTokenFormat.MAX_REGION_BYTES
          + " bytes: "
          + position.region());
    }
    SecretKeySpec key = keys.get(signingKeyId);
    byte[] bytes = ConsistencyTokenFormat.payload(signingKeyId, region, clock.millis(), position,
        subject == null ? null : subjectTag(key, subject));
    return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(key, bytes));
  }

  /**
   * Returns the write position a presented token proves, if it is genuine, current and for
   * {@code requestRegion}, with no subject check. Same as {@code decode(token, requestRegion, null)}.
   */
  public Optional<WritePosition> decode(String token, String requestRegion) {
    return decode(token, requestRegion, null);
  }

  /**
   * Returns the write position a presented token proves, if it is genuine, current, for
   * {@code requestRegion} and, when both the token and the request have a subject, for that subject;
   * otherwise empty, and the rejection is counted. Null or empty input is "no token" and is not counted.
   *
   * @param token          the header or cookie value as received (may be null)
   * @param requestRegion  the region of the request (from the verified JWT, or the default region)
   * @param requestSubject the subject the request is authenticated as, or null when it has none
   */
  public Optional<WritePosition> decode(String token, String requestRegion, String requestSubject) {
    Objects.requireNonNull(requestRegion, "requestRegion");
    Verified verified = verify(token, requestRegion, requestSubject);
    return verified == null ? Optional.empty() : Optional.of(verified.position);
  }

  /**
   * Decodes every presented token (e.g. a header and a cookie) as {@link #decode(String, String, String)}
   * does, counting each one that is ignored, and returns the newest position among the valid ones: the
   * higher LSN, or the later commit time; when one is known by LSN and the other by commit time, the one in
   * the token issued later (the later response); an unknown position beats any other (it is the
   * conservative one: only the primary can serve it). Of two commit times read on different clocks
   * ({@link WritePosition#clockId()}), the later is returned with clock id {@code 0}: it then resolves only
   * after the clock-skew margin, which covers the earlier one too.
   *
   * @param tokens         the values as received; nulls and empty strings are skipped
   * @param requestRegion  the region of the request
   * @param requestSubject the subject the request is authenticated as, or null when it has none
   */
  public Optional<WritePosition> decodeNewest(Iterable<String> tokens, String requestRegion,
      String requestSubject) {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(requestRegion, "requestRegion");
    Verified newest = null;
    for (String token : tokens) {
      Verified verified = verify(token, requestRegion, requestSubject);
      if (verified == null) {
        continue;
      }
      if (newest != null && verified.byCommitTime() && newest.byCommitTime()
          && verified.position.clockId() != newest.position.clockId()) {
        // Commit times read on two clocks: keep the later with no clock id, so the margin covers both.
        newest = new Verified(verified.position.max(newest.position),
            Math.max(verified.issuedAtMillis, newest.issuedAtMillis));
      } else if (newest == null || verified.isNewerThan(newest)) {
        newest = verified;
      }
    }
    return newest == null ? Optional.empty() : Optional.of(newest.position);
  }

  private Verified verify(String token, String requestRegion, String requestSubject) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    int dot = token.indexOf('.');
    if (token.length() > MAX_TOKEN_CHARS || dot <= 0 || dot != token.lastIndexOf('.')) {
      return reject(Rejection.MALFORMED);
    }
    byte[] payload = canonicalBase64(token.substring(0, dot));
    byte[] presentedMac = canonicalBase64(token.substring(dot + 1));
    if (payload == null || presentedMac == null) {
      return reject(Rejection.MALFORMED);
    }
    ConsistencyTokenFormat.Payload parsed = ConsistencyTokenFormat.parse(payload);
    if (parsed == null || presentedMac.length != MAC_BYTES) {
      return reject(Rejection.MALFORMED);
    }
    SecretKeySpec key = keys.get(parsed.keyId());
    if (key == null) {
      return reject(Rejection.UNKNOWN_KEY);
    }
    // Constant-time comparison: a byte-by-byte early exit would let a client find a valid MAC by timing.
    if (!MessageDigest.isEqual(mac(key, payload), presentedMac)) {
      return reject(Rejection.BAD_SIGNATURE);
    }
    if (!parsed.position().region().equals(requestRegion)) {
      return reject(Rejection.FOREIGN_REGION);
    }
    if (parsed.subjectTag() != null && requestSubject != null
        && !MessageDigest.isEqual(subjectTag(key, requestSubject), parsed.subjectTag())) {
      return reject(Rejection.FOREIGN_SUBJECT);
    }
    long age = clock.millis() - parsed.issuedAtMillis();
    if (age >= windowMillis) {
      return reject(Rejection.EXPIRED);
    }
    if (age < -skewMillis) {
      return reject(Rejection.NOT_YET_VALID);
    }
    return new Verified(parsed.position(), parsed.issuedAtMillis());
  }

  /** Tokens ignored so far, for any reason. */
  public long rejectedCount() {
    long total = 0;
    for (LongAdder adder : rejected.values()) {
      total += adder.sum();
    }
    return total;
  }

  /** Tokens ignored so far for {@code reason}. */
  public long rejectedCount(Rejection reason) {
    return rejected.get(Objects.requireNonNull(reason, "reason")).sum();
  }

  /** How long after it was issued a token is honoured. */
  public Duration window() {
    return Duration.ofMillis(windowMillis);
  }

  private Verified reject(Rejection reason) {
    rejected.get(reason).increment();
    meter.accept(reason);
    return null;
  }

  private static byte[] subjectTag(SecretKeySpec key, String subject) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(SUBJECT_DOMAIN);
      return Arrays.copyOf(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)),
          ConsistencyTokenFormat.SUBJECT_TAG_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e); // every JVM has it
    }
  }

  /**
   * Decodes base64url, or returns null unless {@code text} is the one canonical encoding of its bytes: the
   * JDK decoder ignores the unused low bits of the last character, so without this check a token would
   * have several spellings, and a changed character could go unnoticed.
   */
  private static byte[] canonicalBase64(String text) {
    try {
      byte[] bytes = B64D.decode(text);
      return B64.encodeToString(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] mac(SecretKeySpec key, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(DOMAIN);
      return Arrays.copyOf(mac.doFinal(payload), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e); // every JVM has it
    }
  }

  @Override
  public String toString() {
    return "ConsistencyTokenCodec[signingKey=" + signingKeyId + ", keys=" + keys.keySet() + ", window="
        + window() + "]";
  }

  /** A token that verified: its position, and when it was issued (to pick the newest of several). */
  private record Verified(WritePosition position, long issuedAtMillis) {
    boolean byCommitTime() {
      return position.isUnknown() && position.committedAtMillis() > 0;
    }

    boolean isNewerThan(Verified other) {
      WritePosition mine = position;
      WritePosition theirs = other.position;
      boolean mineUnknown = mine.isUnknown() && mine.committedAtMillis() == 0;
      boolean theirsUnknown = theirs.isUnknown() && theirs.committedAtMillis() == 0;
      if (mineUnknown || theirsUnknown) {
        return mineUnknown && !theirsUnknown;
      }
      if (mine.isResolved() && theirs.isResolved()) {
        return Long.compareUnsigned(mine.lsn(), theirs.lsn()) > 0;
      }
      if (!mine.isResolved() && !theirs.isResolved()) {
        return mine.committedAtMillis() > theirs.committedAtMillis();
      }
      return issuedAtMillis > other.issuedAtMillis
          || (issuedAtMillis == other.issuedAtMillis && !mine.isResolved());
    }
  }

  /**
   * Builds a {@link ConsistencyTokenCodec}. Setters validate at once and may be called once (except
   * {@link #verificationKey(String, byte[])}).
   *
   * <p>Thread safety: not thread-safe; build on one thread.
   */
  public static final class Builder {
    private String signingKeyId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private Duration window;
    private Duration clockSkew;
    private Clock clock;
    private MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * The key new tokens are signed with (and that verifies them). Share it among all app instances.
     *
     * @param keyId  a short name for the key, {@code [A-Za-z0-9_-]{1,16}}, e.g. {@code "2026-11"}
     * @param secret at least 32 random bytes; copied
     * @throws IllegalArgumentException if the key id or secret is not acceptable
     * @throws IllegalStateException    if a signing key was already set, or the key id is taken
     */
    public Builder signingKey(String keyId, byte[] secret) {
      if (signingKeyId != null) {
        throw new IllegalStateException("signingKey was already set (key id '" + signingKeyId + "')");
      }
      addKey("signingKey", keyId, secret);
      signingKeyId = keyId;
      return this;
    }

    /**
     * An additional key whose tokens are still accepted, typically the previous signing key during a
     * rotation. Keep it for at least one window after the switch, then remove it.
     *
     * @throws IllegalArgumentException if the key id or secret is not acceptable
     * @throws IllegalStateException    if the key id is taken
     */
    public Builder verificationKey(String keyId, byte[] secret) {
      addKey("verificationKey", keyId, secret);
      return this;
    }

    private void addKey(String setting, String keyId, byte[] secret) {
      Objects.requireNonNull(keyId, setting + " keyId");
      Objects.requireNonNull(secret, setting + " secret");
      if (!KEY_ID.matcher(keyId).matches()) {
        throw new IllegalArgumentException(setting + " key id must match [A-Za-z0-9_-]{1,16}: '"
            + Rfc6750.descriptionSafe(keyId) + "'");
      }
      if (secret.length < 32) {
        throw new IllegalArgumentException(setting + " '" + keyId + "': the secret is " + secret.length
            + " bytes; at least 32 random bytes are required");
      }
      if (keys.containsKey(keyId)) {
        throw new IllegalStateException(setting + ": key id '" + keyId + "' is already used");
      }
      keys.put(keyId, new SecretKeySpec(secret.clone(), "HmacSHA256"));
    }

    /**
     * How long after it was issued a token is honoured: the read-your-writes window. Use the
     * {@code readYourWritesWindow} of the routing data source.
     *
     * @throws IllegalArgumentException if not positive or longer than 5 minutes
     * @throws IllegalStateException    if already set
     */
    public Builder window(Duration window) {
      if (this.window != null) {
        throw new IllegalStateException("window was already set");
      }
      Objects.requireNonNull(window, "window");
      if (window.toMillis() <= 0 || window.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("window must be between 1ms and 5 minutes: " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * How far in the future (by this instance's clock) a token may be dated, for app instances whose
     * clocks disagree. Expiry gets no such grace.
     *
     * @throws IllegalArgumentException if negative or more than 5 seconds
     * @throws IllegalStateException    if already set
     */
    public Builder clockSkew(Duration skew) {
      if (this.clockSkew != null) {
        throw new IllegalStateException("clockSkew was already set");
      }
      Objects.requireNonNull(skew, "clockSkew");
      if (skew.isNegative() || skew.compareTo(Duration.ofSeconds(5)) > 0) {
        throw new IllegalArgumentException("clockSkew must be between 0 and 5s: " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * The clock tokens are dated and checked with (tests).
     *
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock clock) {
      if (this.clock != null) {
        throw new IllegalStateException("clock was already set");
      }
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Publishes the {@value #REJECTED_METER} counter (tag {@code reason}) to {@code registry}. Optional;
     * Micrometer need not be on the class path when this is not called.
     *
     * @throws IllegalStateException if already set
     */
    public Builder meterRegistry(MeterRegistry registry) {
      if (this.meterRegistry != null) {
        throw new IllegalStateException("meterRegistry was already set");
      }
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Builds the codec.
     *
     * @throws IllegalStateException if no signing key is set
     */
    public ConsistencyTokenCodec build() {
      if (signingKeyId == null) {
        throw new IllegalStateException("signingKey must be set: a key id and at least 32 random bytes, the "
            + "same on every app instance");
      }
      if (window == null) {
        window = DEFAULT_WINDOW;
      }
      if (clockSkew == null) {
        clockSkew = DEFAULT_CLOCK_SKEW;
      }
      if (clock == null) {
        clock = Clock.systemUTC();
      }
      return new ConsistencyTokenCodec(this);
    }
  }
}
