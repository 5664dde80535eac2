package io.github.regionrouter.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.regionrouter.WritePosition;
import io.github.regionrouter.jwt.ConsistencyTokenCodec.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Consistency tokens: round trip, tampering, expiry without grace, foreign regions, key rotation, counting. */
class ConsistencyTokenCodecTest {

  private static final byte[] KEY_1 = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_2 = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
  private static final WritePosition WRITE = new WritePosition("eu", WritePosition.parseLsn("3/16B3748"));
  private static final String ALICE = "https://idp.test/|alice";
  private static final String BOB = "https://idp.test/|bob";

  private final FakeTime time = new FakeTime(Instant.parse("2026-11-21T12:00:00Z"));
  private final ConsistencyTokenCodec codec = ConsistencyTokenCodec.builder().signingKey("k1", KEY_1).clock(time)
      .build();

  @Test
  void aTokenRoundTrips_andIsCompact() {
    String token = codec.encode(WRITE);
    assertThat(token).hasSizeLessThan(60).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(codec.decode(token, "eu")).contains(WRITE);
    WritePosition unknown = new WritePosition("eu", WritePosition.UNKNOWN_LSN);
    assertThat(codec.decode(codec.encode(unknown), "eu")).contains(unknown);
    assertThat(codec.rejectedCount()).isZero();
  }

  @Test
  void aCommitTimeRoundTrips_boundOrNot_andStaysShort() {
    WritePosition committed = WritePosition.committedAt("eu", time.millis() - 3);
    String unbound = codec.encode(committed);
    String bound = codec.encode(committed, ALICE);
    assertThat(codec.decode(unbound, "eu")).contains(committed);
    assertThat(codec.decode(bound, "eu", ALICE)).contains(committed);
    assertThat(codec.decode(codec.encode(WRITE, ALICE), "eu", ALICE)).contains(WRITE);
    assertThat(unbound).hasSizeLessThan(50);
    assertThat(bound).hasSizeLessThan(60);
    WritePosition aheadOfIssue = WritePosition.committedAt("eu", time.millis() + 700); // another clock
    assertThat(codec.decode(codec.encode(aheadOfIssue, ALICE), "eu", ALICE)).contains(aheadOfIssue);
    WritePosition farLsn = new WritePosition("eu", -2L); // FFFFFFFF/FFFFFFFE: the widest varint
    assertThat(codec.decode(codec.encode(farLsn, ALICE), "eu", ALICE)).contains(farLsn);
    assertThat(codec.rejectedCount()).isZero();
  }

  @Test
  void aCommitTimesClockId_roundTrips_andTwoClocksCombineToTheLaterTimeWithNoClockId() {
    WritePosition here = WritePosition.committedAt("eu", time.millis() - 3, 0x1234_5678_9ABC_DEF0L);
    String token = codec.encode(here, ALICE);
    assertThat(codec.decode(token, "eu", ALICE)).contains(here);
    assertThat(token).hasSizeLessThan(72);
    WritePosition negative = WritePosition.committedAt("eu", time.millis() - 3, -7L);
    assertThat(codec.decode(codec.encode(negative), "eu")).contains(negative);

    WritePosition elsewhereLater = WritePosition.committedAt("eu", time.millis() - 1, 99L);
    assertThat(codec.decodeNewest(List.of(token, codec.encode(elsewhereLater, ALICE)), "eu", ALICE))
        .as("two clocks: the later commit time, resolved with the margin (clock id 0)")
        .contains(WritePosition.committedAt("eu", time.millis() - 1));
    WritePosition sameClockLater = WritePosition.committedAt("eu", time.millis() - 1, here.clockId());
    assertThat(codec.decodeNewest(List.of(token, codec.encode(sameClockLater, ALICE)), "eu", ALICE))
        .as("one clock: the later commit time keeps its clock").contains(sameClockLater);
    assertThat(codec.rejectedCount()).isZero();
  }

  @Test
  void versionTwoPayloads_withoutAClockId_areStillRead_butNeverCarryOne() {
    WritePosition committed = WritePosition.committedAt("eu", time.millis() - 3);
    byte[] region = "eu".getBytes(StandardCharsets.UTF_8);
    byte[] v3 = ConsistencyTokenFormat.payload("k1", region, time.millis(), committed, null);
    assertThat(v3[0]).isEqualTo((byte) 3);
    byte[] v2 = v3.clone();
    v2[0] = 2;
    assertThat(ConsistencyTokenFormat.parse(v2).position()).isEqualTo(committed);

    byte[] withClock = ConsistencyTokenFormat.payload("k1", region, time.millis(),
        WritePosition.committedAt("eu", time.millis() - 3, 42L), null);
    assertThat(ConsistencyTokenFormat.parse(withClock).position().clockId()).isEqualTo(42L);
    withClock[0] = 2;
    assertThat(ConsistencyTokenFormat.parse(withClock)).as("version 2 has no clock flag").isNull();
  }

  @Test
  void aTokenBoundToOneSubject_isIgnoredAndCounted_forAnother_butServesRequestsWithNoSubject() {
    String alices = codec.encode(WRITE, ALICE);
    assertThat(codec.decode(alices, "eu", BOB)).isEmpty();
    assertThat(codec.rejectedCount(Rejection.FOREIGN_SUBJECT)).isEqualTo(1);
    assertThat(codec.decode(alices, "eu", null)).as("no subject: may only make its reads fresher").contains(WRITE);
    assertThat(codec.decode(alices, "eu")).contains(WRITE);
    assertThat(codec.decode(codec.encode(WRITE), "eu", BOB)).as("a token issued with no subject").contains(WRITE);
    assertThat(codec.decode(codec.encode(WRITE, "https://idp.test/|user-4"), "eu", "https://idp.test/|user-42"))
        .as("a prefix of the subject is another subject").isEmpty();
    assertThat(codec.rejectedCount()).isEqualTo(2);
    assertThat(alices).as("the token does not carry the subject in clear")
        .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(
            "alice".getBytes(StandardCharsets.UTF_8)).substring(0, 5));
  }

  @Test
  void ofSeveralTokens_theNewestValidPositionWins_andEachInvalidOneIsCounted() {
    WritePosition older = new WritePosition("eu", 1_000);
    WritePosition newer = new WritePosition("eu", 2_000);
    String olderToken = codec.encode(older, ALICE);
    String newerToken = codec.encode(newer, ALICE);
    assertThat(codec.decodeNewest(List.of(olderToken, newerToken), "eu", ALICE)).contains(newer);
    assertThat(codec.decodeNewest(List.of(newerToken, olderToken), "eu", ALICE)).contains(newer);
    assertThat(codec.decodeNewest(java.util.Arrays.asList(null, "", olderToken), "eu", ALICE)).contains(older);

    WritePosition committedEarly = WritePosition.committedAt("eu", time.millis() - 100);
    WritePosition committedLate = WritePosition.committedAt("eu", time.millis() - 10);
    assertThat(codec.decodeNewest(List.of(codec.encode(committedLate), codec.encode(committedEarly)), "eu", null))
        .contains(committedLate);

    String lsnFirst = codec.encode(newer);
    time.advance(Duration.ofMillis(50));
    WritePosition committedAfter = WritePosition.committedAt("eu", time.millis());
    String committedSecond = codec.encode(committedAfter);
    assertThat(codec.decodeNewest(List.of(lsnFirst, committedSecond), "eu", null))
        .as("LSN against commit time: the token issued later").contains(committedAfter);
    time.advance(Duration.ofMillis(50));
    String lsnThird = codec.encode(older);
    assertThat(codec.decodeNewest(List.of(committedSecond, lsnThird), "eu", null)).contains(older);
    WritePosition unknown = new WritePosition("eu", WritePosition.UNKNOWN_LSN);
    assertThat(codec.decodeNewest(List.of(lsnThird, codec.encode(unknown)), "eu", null))
        .as("an unknown position is the conservative one").contains(unknown);
    assertThat(codec.rejectedCount()).isZero();

    String bobs = codec.encode(new WritePosition("eu", 9_000), BOB);
    assertThat(codec.decodeNewest(List.of(olderToken, bobs, "garbage"), "eu", ALICE))
        .as("Bob's newer token does not count for Alice").contains(older);
    assertThat(codec.rejectedCount(Rejection.FOREIGN_SUBJECT)).isEqualTo(1);
    assertThat(codec.rejectedCount(Rejection.MALFORMED)).isEqualTo(1);
    assertThat(codec.decodeNewest(List.of(bobs), "eu", ALICE)).isEmpty();
  }

  @Test
  void noTokenIsNotARejection() {
    assertThat(codec.decode(null, "eu")).isEmpty();
    assertThat(codec.decode("", "eu")).isEmpty();
    assertThat(codec.rejectedCount()).isZero();
  }

  @Test
  void everySingleCharacterChange_isRejected() {
    String token = codec.encode(WRITE);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    int attempts = 0;
    for (int i = 0; i < token.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c == token.charAt(i)) {
          continue;
        }
        String tampered = token.substring(0, i) + c + token.substring(i + 1);
        assertThat(codec.decode(tampered, "eu")).as("changed position %d to %s", i, c).isEmpty();
        attempts++;
      }
    }
    assertThat(codec.rejectedCount()).isEqualTo(attempts);
    assertThat(codec.rejectedCount(Rejection.BAD_SIGNATURE)).isPositive();
    assertThat(codec.rejectedCount(Rejection.MALFORMED)).isPositive();
  }

  @Test
  void aForgedPayload_withTheMacOfAnotherToken_isABadSignature() {
    String eu = codec.encode(WRITE);
    String later = codec.encode(new WritePosition("eu", WRITE.lsn() + 1_000_000));
    String forged = later.substring(0, later.indexOf('.')) + eu.substring(eu.indexOf('.'));
    assertThat(codec.decode(forged, "eu")).isEmpty();
    assertThat(codec.rejectedCount(Rejection.BAD_SIGNATURE)).isEqualTo(1);
  }

  @Test
  void aTokenIsHonouredForTheWindow_plusNothing() {
    String token = codec.encode(WRITE);
    time.advance(Duration.ofMillis(4_999));
    assertThat(codec.decode(token, "eu")).contains(WRITE);
    time.advance(Duration.ofMillis(1));
    assertThat(codec.decode(token, "eu")).isEmpty();
    assertThat(codec.rejectedCount(Rejection.EXPIRED)).isEqualTo(1);
  }

  @Test
  void aTokenFromTheFuture_isAcceptedOnlyWithinTheClockSkew() {
    FakeTime ahead = new FakeTime(time.instant().plusMillis(1_000));
    FakeTime farAhead = new FakeTime(time.instant().plusMillis(1_001));
    ConsistencyTokenCodec aheadCodec = ConsistencyTokenCodec.builder().signingKey("k1", KEY_1).clock(ahead).build();
    ConsistencyTokenCodec farAheadCodec = ConsistencyTokenCodec.builder().signingKey("k1", KEY_1).clock(farAhead)
        .build();
    assertThat(codec.decode(aheadCodec.encode(WRITE), "eu")).contains(WRITE);
    assertThat(codec.decode(farAheadCodec.encode(WRITE), "eu")).isEmpty();
    assertThat(codec.rejectedCount(Rejection.NOT_YET_VALID)).isEqualTo(1);
  }

  @Test
  void aTokenForAnotherRegion_isIgnored() {
    String us = codec.encode(new WritePosition("us", 42));
    assertThat(codec.decode(us, "eu")).isEmpty();
    assertThat(codec.rejectedCount(Rejection.FOREIGN_REGION)).isEqualTo(1);
    assertThat(codec.decode(us, "us")).contains(new WritePosition("us", 42));
  }

  @Test
  void keysRotate_theOldKeyIsAcceptedWhileConfigured_thenUnknown() {
    String signedWithK1 = codec.encode(WRITE);
    ConsistencyTokenCodec rotating = ConsistencyTokenCodec.builder().signingKey("k2", KEY_2)
        .verificationKey("k1", KEY_1).clock(time).build();
    ConsistencyTokenCodec rotated = ConsistencyTokenCodec.builder().signingKey("k2", KEY_2).clock(time).build();

    assertThat(rotating.decode(signedWithK1, "eu")).contains(WRITE);
    assertThat(rotated.decode(rotating.encode(WRITE), "eu")).as("new tokens use k2").contains(WRITE);
    assertThat(rotated.decode(signedWithK1, "eu")).isEmpty();
    assertThat(rotated.rejectedCount(Rejection.UNKNOWN_KEY)).isEqualTo(1);

    ConsistencyTokenCodec impostor = ConsistencyTokenCodec.builder().signingKey("k1", KEY_2).clock(time).build();
    assertThat(codec.decode(impostor.encode(WRITE), "eu")).as("same key id, other secret").isEmpty();
    assertThat(codec.rejectedCount(Rejection.BAD_SIGNATURE)).isEqualTo(1);
  }

  @Test
  void malformedInput_isCountedAsMalformed() {
    String valid = codec.encode(WRITE);
    String payload = valid.substring(0, valid.indexOf('.'));
    byte[] payloadBytes = Base64.getUrlDecoder().decode(payload);
    payloadBytes[0] = 1; // version 1 (before subject binding and commit times) is no longer read
    String otherVersion = Base64.getUrlEncoder().withoutPadding().encodeToString(payloadBytes)
        + valid.substring(valid.indexOf('.'));
    for (String garbage : new String[] {"x", ".", "a.b", "a.b.c", valid + "." + valid, valid.replace('.', '!'),
        "x".repeat(10_000), payload + ".", "." + payload, otherVersion, "\u00e9\u00e9.\u00e9"}) {
      assertThat(codec.decode(garbage, "eu")).as(garbage).isEmpty();
    }
    assertThat(codec.rejectedCount()).isEqualTo(11);
    assertThat(codec.rejectedCount(Rejection.MALFORMED)).isEqualTo(11);
  }

  @Test
  void rejectionsAreCountedInMicrometer_byReason() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsistencyTokenCodec metered = ConsistencyTokenCodec.builder().signingKey("k1", KEY_1).clock(time)
        .meterRegistry(registry).build();
    metered.decode("garbage", "eu");
    metered.decode(metered.encode(WRITE), "us");
    metered.decode(metered.encode(WRITE), "us");

    Set<String> tags = Set.of("malformed", "unknown-key", "bad-signature", "expired", "not-yet-valid",
        "foreign-region", "foreign-subject");
    assertThat(registry.find(ConsistencyTokenCodec.REJECTED_METER).counters()).hasSize(tags.size())
        .allSatisfy(c -> assertThat(tags).contains(c.getId().getTag("reason")));
    assertThat(registry.get(ConsistencyTokenCodec.REJECTED_METER).tag("reason", "malformed").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(ConsistencyTokenCodec.REJECTED_METER).tag("reason", "foreign-region").counter().count())
        .isEqualTo(2);
    assertThat(EnumSet.allOf(Rejection.class)).hasSize(tags.size());
  }

  @Test
  void builderRejectsWeakOrConflictingKeys_withMessagesNamingTheSetting() {
    assertThatThrownBy(() -> ConsistencyTokenCodec.builder().signingKey("k1", new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signingKey 'k1': the secret is 31 bytes; at least 32 random bytes are required");
    assertThatThrownBy(() -> ConsistencyTokenCodec.builder().signingKey("key id!", KEY_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signingKey key id must match [A-Za-z0-9_-]{1,16}: 'key id!'");
    assertThatThrownBy(() -> ConsistencyTokenCodec.builder().signingKey("k1", KEY_1).verificationKey("k1", KEY_2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("verificationKey: key id 'k1' is already used");
    assertThatThrownBy(() -> ConsistencyTokenCodec.builder().signingKey("k1", KEY_1).signingKey("k2", KEY_2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("signingKey was already set (key id 'k1')");
    assertThatThrownBy(() -> ConsistencyTokenCodec.builder().verificationKey("k1", KEY_1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("signingKey must be set");
    assertThatThrownBy(() -> ConsistencyTokenCodec.builder().window(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("window must be between 1ms and 5 minutes: PT0S");
    assertThatThrownBy(() -> ConsistencyTokenCodec.builder().clockSkew(Duration.ofSeconds(6)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("clockSkew must be between 0 and 5s: PT6S");
  }

  @Test
  void theSecretIsCopied_soLaterChangesToTheCallersArrayDoNotMatter() {
    byte[] secret = KEY_1.clone();
    ConsistencyTokenCodec copy = ConsistencyTokenCodec.builder().signingKey("k1", secret).clock(time).build();
    String token = copy.encode(WRITE);
    secret[0] ^= 1;
    assertThat(copy.decode(token, "eu")).isEqualTo(Optional.of(WRITE));
    assertThat(codec.decode(token, "eu")).contains(WRITE);
  }
}
