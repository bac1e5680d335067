package dev.osscse.oss;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The client-side encryption envelope of one OSS object or multipart upload.
 *
 * <p><b>What it is.</b> An immutable value: the wrapped content key and wrapped IV, the content and
 * wrap algorithms, the material description and the optional lengths. The wrapped values are in the
 * byte convention of the provider's wrap cipher: for RSA the raw RSA ciphertext (the header is its
 * base64); for {@code KMS/ALICLOUD} the US-ASCII bytes of the stored header value, i.e. the KMS
 * {@code CiphertextBlob} string (FMT-4). {@link EnvelopeCodec} converts it to and from OSS user
 * metadata; the format is docs/format.md.
 *
 * <p><b>Security guarantees.</b> It holds no secret: the key and IV are wrapped. {@link
 * #toString()} still prints only their lengths.
 *
 * <p><b>Restrictions.</b> The wrapped values are 1 to {@value #MAX_WRAPPED_LENGTH} bytes; lengths
 * are between 0 and {@value #MAX_OBJECT_SIZE}; the part size is a positive multiple of 16 up to
 * {@value #MAX_PART_SIZE}. The builder throws {@link IllegalArgumentException} otherwise.
 *
 * <pre>{@code
 * Envelope e = Envelope.builder(wrappedKey, wrappedIv, WrapAlgorithm.RSA_PKCS1)
 *     .matDesc(Map.of("desc", "backup"))
 *     .unencryptedLength(1234)
 *     .build();
 * }</pre>
 */
public final class Envelope {
  /** The only content cipher of the format (FMT-5). */
  public static final String CEK_ALGORITHM = "AES/CTR/NoPadding";

  /** Upper bound for a wrapped key or IV, in bytes (RSA-16384 is 2048 bytes). */
  public static final int MAX_WRAPPED_LENGTH = 4096;

  /** Upper bound for any length read from metadata: 2^50 bytes (1 PiB). */
  public static final long MAX_OBJECT_SIZE = 1L << 50;

  /** Upper bound for a multipart part size: 5 GiB, the OSS limit. */
  public static final long MAX_PART_SIZE = 5L << 30;

  /** Where the envelope came from. */
  public enum Format {
    /** The {@code client-side-encryption-*} family written by all current SDKs. */
    STANDARD,
    /**
     * The deprecated oss2 (before 2.11.0) {@code oss-crypto-*} family: read only; the wrapped "IV"
     * is a decimal counter string (docs/format.md FMT-16).
     */
    OSS2_DEPRECATED
  }

  /** The values: a copy of the builder's, never changed. */
  private final Builder v;

  private Envelope(Builder b) {
    this.v = b.copy();
  }

  /**
   * An unmodifiable sorted copy of {@code map}; a null key or value throws, naming {@code what}.
   */
  static SortedMap<String, String> sortedCopy(Map<String, String> map, String what) {
    TreeMap<String, String> copy = new TreeMap<>();
    map.forEach(
        (k, v) ->
            copy.put(
                Objects.requireNonNull(k, what + " key"),
                Objects.requireNonNull(v, what + " value")));
    return Collections.unmodifiableSortedMap(copy);
  }

  /** Starts a builder with the three mandatory parts; content cipher is always AES/CTR. */
  public static Builder builder(byte[] wrappedKey, byte[] wrappedIv, WrapAlgorithm wrapAlgorithm) {
    return new Builder(wrappedKey, wrappedIv, wrapAlgorithm);
  }

  /** Returns a builder initialised with this envelope's values. */
  public Builder toBuilder() {
    return v.copy();
  }

  /** The wrapped content encryption key (a copy). */
  public byte[] wrappedKey() {
    return v.wrappedKey.clone();
  }

  /** The wrapped IV, or for {@link Format#OSS2_DEPRECATED} the wrapped decimal counter (a copy). */
  public byte[] wrappedIv() {
    return v.wrappedIv.clone();
  }

  /** Always {@value #CEK_ALGORITHM}. */
  public String cekAlgorithm() {
    return CEK_ALGORITHM;
  }

  /** The key-wrap algorithm. */
  public WrapAlgorithm wrapAlgorithm() {
    return v.wrapAlgorithm;
  }

  /** The material description, sorted by key, unmodifiable; empty when absent. */
  public SortedMap<String, String> matDesc() {
    return v.matDesc;
  }

  /** The plaintext length when it was recorded. */
  public OptionalLong unencryptedLength() {
    return v.unencryptedLength < 0 ? OptionalLong.empty() : OptionalLong.of(v.unencryptedLength);
  }

  /** The caller-supplied base64 MD5 of the plaintext, when recorded. Not verified by anyone. */
  public Optional<String> unencryptedMd5() {
    return Optional.ofNullable(v.unencryptedMd5);
  }

  /** Multipart: the total plaintext size, when recorded. */
  public OptionalLong dataSize() {
    return v.dataSize < 0 ? OptionalLong.empty() : OptionalLong.of(v.dataSize);
  }

  /** Multipart: the plaintext part size (a multiple of 16), when recorded. */
  public OptionalLong partSize() {
    return v.partSize < 0 ? OptionalLong.empty() : OptionalLong.of(v.partSize);
  }

  /** The metadata family this envelope was read from (new envelopes are STANDARD). */
  public Format format() {
    return v.format;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e
        && Arrays.equals(v.wrappedKey, e.v.wrappedKey)
        && Arrays.equals(v.wrappedIv, e.v.wrappedIv)
        && v.wrapAlgorithm == e.v.wrapAlgorithm
        && v.matDesc.equals(e.v.matDesc)
        && v.unencryptedLength == e.v.unencryptedLength
        && Objects.equals(v.unencryptedMd5, e.v.unencryptedMd5)
        && v.dataSize == e.v.dataSize
        && v.partSize == e.v.partSize
        && v.format == e.v.format;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(v.wrappedKey),
        Arrays.hashCode(v.wrappedIv),
        v.wrapAlgorithm,
        v.matDesc,
        v.unencryptedLength,
        v.unencryptedMd5,
        v.dataSize,
        v.partSize,
        v.format);
  }

  /** Shows algorithms, lengths and matdesc keys; never the wrapped values or the MD5. */
  @Override
  public String toString() {
    return ("Envelope[format=%s, cekAlg=%s, wrapAlg=%s, wrappedKey=%d bytes, wrappedIv=%d bytes,"
            + " matDescKeys=%s, unencryptedLength=%s, unencryptedMd5=%s, dataSize=%s, partSize=%s]")
        .formatted(
            v.format,
            CEK_ALGORITHM,
            v.wrapAlgorithm.headerValue(),
            v.wrappedKey.length,
            v.wrappedIv.length,
            v.matDesc.keySet(),
            v.unencryptedLength < 0 ? "absent" : v.unencryptedLength,
            v.unencryptedMd5 == null ? "absent" : "present",
            v.dataSize < 0 ? "absent" : v.dataSize,
            v.partSize < 0 ? "absent" : v.partSize);
  }

  /** Builds an {@link Envelope}; not thread-safe. */
  public static final class Builder {
    private final byte[] wrappedKey;
    private final byte[] wrappedIv;
    private final WrapAlgorithm wrapAlgorithm;
    private SortedMap<String, String> matDesc = Collections.emptySortedMap();
    private long unencryptedLength = -1; // -1 = absent
    private String unencryptedMd5; // null = absent
    private long dataSize = -1; // -1 = absent
    private long partSize = -1; // -1 = absent
    private Format format = Format.STANDARD;

    private Builder(byte[] wrappedKey, byte[] wrappedIv, WrapAlgorithm wrapAlgorithm) {
      this.wrappedKey = checkWrapped(wrappedKey, "wrappedKey");
      this.wrappedIv = checkWrapped(wrappedIv, "wrappedIv");
      this.wrapAlgorithm = Objects.requireNonNull(wrapAlgorithm, "wrapAlgorithm");
    }

    private Builder copy() {
      Builder b = new Builder(wrappedKey, wrappedIv, wrapAlgorithm);
      b.matDesc = matDesc;
      b.unencryptedLength = unencryptedLength;
      b.unencryptedMd5 = unencryptedMd5;
      b.dataSize = dataSize;
      b.partSize = partSize;
      b.format = format;
      return b;
    }

    private static byte[] checkWrapped(byte[] v, String name) {
      Objects.requireNonNull(v, name);
      if (v.length == 0 || v.length > MAX_WRAPPED_LENGTH) {
        throw new IllegalArgumentException(
            name + " must be 1.." + MAX_WRAPPED_LENGTH + " bytes, got " + v.length);
      }
      return v.clone();
    }

    private static long checkLength(long v, String name) {
      if (v < 0 || v > MAX_OBJECT_SIZE) {
        throw new IllegalArgumentException(name + " must be 0.." + MAX_OBJECT_SIZE + ", got " + v);
      }
      return v;
    }

    /** Sets the material description; keys and values must not be null. */
    public Builder matDesc(Map<String, String> matDesc) {
      this.matDesc = sortedCopy(matDesc, "matDesc");
      return this;
    }

    /** Records the plaintext length. */
    public Builder unencryptedLength(long length) {
      this.unencryptedLength = checkLength(length, "unencryptedLength");
      return this;
    }

    /** Records the caller's base64 plaintext MD5 (leaks the MD5; only when the caller asks). */
    public Builder unencryptedMd5(String base64Md5) {
      this.unencryptedMd5 = Objects.requireNonNull(base64Md5, "unencryptedMd5");
      return this;
    }

    /** Records the multipart total plaintext size. */
    public Builder dataSize(long size) {
      this.dataSize = checkLength(size, "dataSize");
      return this;
    }

    /** Records the multipart part size: positive, a multiple of 16, at most 5 GiB. */
    public Builder partSize(long size) {
      this.partSize = InvalidPartSizeException.check(size);
      return this;
    }

    /** Sets the metadata family (only the codec uses {@link Format#OSS2_DEPRECATED}). */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Builds the envelope. */
    public Envelope build() {
      return new Envelope(this);
    }
  }
}
