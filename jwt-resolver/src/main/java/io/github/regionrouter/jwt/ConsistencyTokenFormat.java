package io.github.regionrouter.jwt;

import io.github.regionrouter.WritePosition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of a consistency token's payload, apart from keys, MACs and policy
 * ({@link ConsistencyTokenCodec}):
 * {@code version(1) | flags(1) | keyIdLength(1) keyId | regionLength(1) region | varint issuedAtMillis |
 * position | clockId(8), if given | subjectTag(8), if bound}. The low two bits of the flags say how the
 * position is given: an unsigned varint LSN; the zig-zag varint of {@code issuedAt - committedAt} for a write
 * known by its commit time (a few bytes, and negative when the committing instance's clock ran ahead); or
 * nothing for an unknown position. Flag {@code 0x04} says a subject tag follows; flag {@code 0x08} (version 3)
 * that the position's {@link WritePosition#clockId() clock id} follows, big-endian, so the instance whose clock
 * read the commit time resolves it without a clock-skew margin. Varints are unsigned LEB128 (7 bits a byte,
 * low bits first, at most 10 bytes).
 *
 * <p>Version 3 is written; version 2 (the same without the clock id) is still read, so a token issued by an
 * instance not yet upgraded keeps working on an upgraded one. An instance not yet upgraded ignores version 3
 * tokens as malformed: tokens live for seconds, so a rolling upgrade costs at most one window of tokens
 * issued by upgraded instances and presented to old ones. Version 1 (fixed-width, a 256-bit MAC, not bound to
 * a subject) is no longer read.
 *
 * <p>Thread safety: stateless.
 */
final class ConsistencyTokenFormat {

  static final int SUBJECT_TAG_BYTES = 8;
  static final int MAX_REGION_BYTES = 64;
  static final int CLOCK_ID_BYTES = 8;
  /** Longest well-formed payload: 1+1+(1+16)+(1+64) bytes, two 10-byte varints, a clock id and a subject tag. */
  static final int MAX_PAYLOAD_BYTES = 1 + 1 + 17 + 1 + MAX_REGION_BYTES + 10 + 10 + CLOCK_ID_BYTES
      + SUBJECT_TAG_BYTES;

  private static final byte VERSION = 3;
  /** Read, never written: version 3 without a clock id. */
  private static final byte VERSION_2 = 2;
  private static final int KIND_LSN = 0;
  private static final int KIND_COMMIT_TIME = 1;
  private static final int KIND_UNKNOWN = 2;
  private static final int KIND_MASK = 0x03;
  private static final int FLAG_BOUND = 0x04;
  private static final int FLAG_CLOCK = 0x08;

  private ConsistencyTokenFormat() {}

  /** A well-formed payload; whether its MAC matches is not known yet. */
  record Payload(String keyId, long issuedAtMillis, WritePosition position, byte[] subjectTag) {}

  /**
   * The payload bytes.
   *
   * @param keyId      at most 16 ASCII characters (checked by the codec's builder)
   * @param region     the region's UTF-8 bytes, at most {@link #MAX_REGION_BYTES}
   * @param subjectTag {@link #SUBJECT_TAG_BYTES} bytes, or null for a token bound to no subject
   */
  static byte[] payload(String keyId, byte[] region, long issuedAtMillis, WritePosition position,
      byte[] subjectTag) {
    int kind = position.isResolved() ? KIND_LSN
        : position.committedAtMillis() > 0 ? KIND_COMMIT_TIME : KIND_UNKNOWN;
    boolean clock = position.clockId() != 0;
    byte[] keyIdBytes = keyId.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(MAX_PAYLOAD_BYTES)
        .put(VERSION).put((byte) (kind | (subjectTag == null ? 0 : FLAG_BOUND) | (clock ? FLAG_CLOCK : 0)))
        .put((byte) keyIdBytes.length).put(keyIdBytes).put((byte) region.length).put(region);
    putVarint(out, issuedAtMillis);
    if (kind == KIND_LSN) {
      putVarint(out, position.lsn());
    } else if (kind == KIND_COMMIT_TIME) {
      putVarint(out, zigZag(issuedAtMillis - position.committedAtMillis()));
    }
    if (clock) {
      out.putLong(position.clockId());
    }
    if (subjectTag != null) {
      out.put(subjectTag);
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  /** Parses a payload, or returns null unless it is well-formed in every byte. */
  static Payload parse(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      byte version = in.get();
      if (version != VERSION && version != VERSION_2) {
        return null;
      }
      int flags = Byte.toUnsignedInt(in.get());
      int kind = flags & KIND_MASK;
      int known = KIND_MASK | FLAG_BOUND | (version == VERSION ? FLAG_CLOCK : 0);
      if ((flags & ~known) != 0 || kind > KIND_UNKNOWN) {
        return null;
      }
      String keyId = string(in, StandardCharsets.US_ASCII);
      String region = string(in, StandardCharsets.UTF_8);
      Long issuedAt = getVarint(in);
      Long field = kind == KIND_UNKNOWN ? Long.valueOf(0) : getVarint(in);
      if (issuedAt == null || field == null || keyId.isEmpty() || region.isBlank()) {
        return null;
      }
      WritePosition position;
      if (kind == KIND_LSN) {
        position = new WritePosition(region, field);
      } else if (kind == KIND_COMMIT_TIME) {
        long committedAt = issuedAt - unZigZag(field);
        if (committedAt <= 0) {
          return null; // not a commit time WritePosition accepts
        }
        position = WritePosition.committedAt(region, committedAt);
      } else {
        position = new WritePosition(region, WritePosition.UNKNOWN_LSN);
      }
      if ((flags & FLAG_CLOCK) != 0) {
        long clockId = in.getLong();
        if (clockId == 0) {
          return null; // never written: 0 is "not known", said by leaving the flag out
        }
        position = new WritePosition(region, position.lsn(), position.committedAtMillis(), clockId);
      }
      byte[] subjectTag = null;
      if ((flags & FLAG_BOUND) != 0) {
        subjectTag = new byte[SUBJECT_TAG_BYTES];
        in.get(subjectTag);
      }
      return in.hasRemaining() ? null : new Payload(keyId, issuedAt, position, subjectTag);
    } catch (BufferUnderflowException e) {
      return null;
    }
  }

  private static String string(ByteBuffer in, Charset charset) {
    int length = Byte.toUnsignedInt(in.get());
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, charset);
  }

  private static void putVarint(ByteBuffer out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  /** Returns null on a truncated varint or one longer than 64 bits. */
  private static Long getVarint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!in.hasRemaining()) {
        return null;
      }
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    return null;
  }

  private static long zigZag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  private static long unZigZag(long value) {
    return (value >>> 1) ^ -(value & 1);
  }
}
