package dev.osscse.oss.internal.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * The authentication record of one object (docs/format.md FMT-29): its chunk tags, its length and
 * the root that binds them to the bucket and key. Stored as the companion object {@link
 * #companionKey}.
 *
 * <pre>
 * offset  size  field
 *      0     8  magic, ASCII "OSSCSEA1"
 *      8     4  uint32_be chunk size C, MUST be 1048576
 *     12     8  uint64_be ciphertext length L (= plaintext length), at most 2^42
 *     20     8  uint64_be epoch, the writer's clock in ms since 1970 (not checked by readers)
 *     28     4  uint32_be n, MUST be ceil(L / C)
 *     32   16n  T_0 .. T_{n-1} (FMT-28)
 *  32+16n   32  R = HMAC-SHA256(K_root, "oss-cse/auth/v1/root"
 *                     || uint32_be(len(bucket)) || bucket || uint32_be(len(key)) || key
 *                     || bytes [0, 32+16n) of this record)    (bucket and key UTF-8)
 * </pre>
 *
 * <p>Every number is unverified until {@link #decode} checked it; decoding checks the structure
 * first (bounded, before any allocation that depends on it) and then {@code R} in constant time.
 * All failures are {@link AEADBadTagException}s naming the field, never a key-derived value.
 *
 * @param length the object length L
 * @param epochMillis the writer's clock at completion, ms since 1970; authenticated, but not
 *     checked
 * @param tags tag bytes, {@code T_i} at {@code 16 * i}; not copied: the caller must not modify them
 */
public record AuthRecord(long length, long epochMillis, byte[] tags) {
  /** Chunk size C. */
  public static final int CHUNK_SIZE = 1 << 20;

  /** Largest authenticated object: 2^22 chunks, 4 TiB. */
  public static final long MAX_LENGTH = 1L << 42;

  /** Root length. */
  public static final int ROOT_LENGTH = 32;

  /** Fixed header length. */
  public static final int HEADER_LENGTH = 32;

  /** Prefix of the companion object's key. */
  public static final String COMPANION_PREFIX = ".oss-cse-auth/";

  private static final byte[] MAGIC = "OSSCSEA1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ROOT_LABEL = AuthKeys.ROOT_INFO.getBytes(StandardCharsets.US_ASCII);

  /** Checks that there are n tags for an object of {@code length} bytes. */
  public AuthRecord {
    if (tags.length != (long) chunkCount(length) * ChunkMac.TAG_LENGTH) {
      throw new IllegalArgumentException(
          "an object of " + length + " bytes has " + chunkCount(length) + " chunk tags");
    }
  }

  /** A record for an object of {@code length} bytes with a copy of {@code tags} (n * 16 bytes). */
  public static AuthRecord of(long length, long epochMillis, byte[] tags) {
    if (epochMillis < 0) {
      throw new IllegalArgumentException("epoch must be >= 0");
    }
    return new AuthRecord(length, epochMillis, tags.clone());
  }

  /** {@code n = ceil(L / C)}. */
  public static int chunkCount(long length) {
    if (length < 0 || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "authenticated objects are 0.." + MAX_LENGTH + " bytes, got " + length);
    }
    return (int) ((length + CHUNK_SIZE - 1) / CHUNK_SIZE);
  }

  /** The key of the companion object of {@code key}. */
  public static String companionKey(String key) {
    return COMPANION_PREFIX + Objects.requireNonNull(key, "key");
  }

  /** Encoded size of a record for {@code length} bytes. */
  public static long encodedLength(long length) {
    return HEADER_LENGTH + (long) chunkCount(length) * ChunkMac.TAG_LENGTH + ROOT_LENGTH;
  }

  /** The record's bytes, root included, for the object {@code bucket}/{@code key}. */
  public byte[] encode(AuthKeys keys, String bucket, String key) throws GeneralSecurityException {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(encodedLength(length)));
    b.put(MAGIC).putInt(CHUNK_SIZE).putLong(length).putLong(epochMillis);
    b.putInt(chunkCount(length)).put(tags);
    b.put(keys.root(rootMessage(bucket, key, b.array(), b.position())));
    return b.array();
  }

  /**
   * Decodes and verifies a record read from the companion of {@code bucket}/{@code key}.
   *
   * @throws AEADBadTagException if the record is malformed (the field is named) or its root does
   *     not verify ("authentication record does not verify")
   */
  public static AuthRecord decode(byte[] record, AuthKeys keys, String bucket, String key)
      throws GeneralSecurityException {
    long length = peekLength(record);
    int bodyLength = record.length - ROOT_LENGTH;
    byte[] expected = keys.root(rootMessage(bucket, key, record, bodyLength));
    // Constant time: MessageDigest.isEqual depends on the lengths alone.
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(record, bodyLength, record.length))) {
      throw new AEADBadTagException("authentication record does not verify");
    }
    long epoch = ByteBuffer.wrap(record).getLong(20);
    return new AuthRecord(length, epoch, Arrays.copyOfRange(record, HEADER_LENGTH, bodyLength));
  }

  /**
   * The length {@code L} of a structurally valid record, NOT verified: usable only to choose what
   * to fetch before the record can be verified.
   *
   * @throws AEADBadTagException if the structure is invalid (the field is named)
   */
  public static long peekLength(byte[] record) throws AEADBadTagException {
    if (record.length < HEADER_LENGTH + ROOT_LENGTH || record.length > encodedLength(MAX_LENGTH)) {
      throw malformed("record length " + record.length);
    }
    if (!Arrays.equals(record, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw malformed("magic");
    }
    ByteBuffer b = ByteBuffer.wrap(record);
    int c = b.getInt(8); // unverified
    if (c != CHUNK_SIZE) {
      throw malformed("chunk size " + Integer.toUnsignedString(c));
    }
    long length = b.getLong(12); // unverified
    if (length < 0 || length > MAX_LENGTH) {
      throw malformed("length");
    }
    int n = b.getInt(28); // unverified; the epoch at 20 is not used for decisions
    if (n != chunkCount(length)) {
      throw malformed("chunk count");
    }
    if (record.length != encodedLength(length)) {
      throw malformed("record length " + record.length);
    }
    return length;
  }

  private static AEADBadTagException malformed(String field) {
    return new AEADBadTagException("authentication record malformed: " + field);
  }

  private static byte[] rootMessage(String bucket, String key, byte[] body, int bodyLength) {
    byte[] bu = bucket.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(ROOT_LABEL.length + 8 + bu.length + k.length + bodyLength)
        .put(ROOT_LABEL)
        .putInt(bu.length)
        .put(bu)
        .putInt(k.length)
        .put(k)
        .put(body, 0, bodyLength)
        .array();
  }

  /** n. */
  public int chunkCount() {
    return tags.length / ChunkMac.TAG_LENGTH;
  }

  /** A copy of {@code T_index}. */
  public byte[] tag(int index) {
    Objects.checkIndex(index, chunkCount());
    return Arrays.copyOfRange(tags, index * ChunkMac.TAG_LENGTH, (index + 1) * ChunkMac.TAG_LENGTH);
  }
}
