package dev.osscse.oss;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that an encrypted multipart upload is the caller's own, returned when the upload is
 * initiated and required to resume it.
 *
 * <p><b>What it is.</b> The upload id, the part size, the data size and a 32-byte key commitment:
 * HMAC-SHA256 keyed with the content key (CEK) over a fixed label, the bucket, the object key, the
 * upload id, the content cipher ({@code AES/CTR/NoPadding}), the IV, the part size and the data
 * size. Its {@link #toString()} form ({@code osscse-resume-1.} followed by unpadded base64url) is
 * stable: store it with the upload id and {@link #parse} it back.
 *
 * <p><b>Security guarantees.</b> Resume unwraps the key and IV that ListParts names and accepts
 * them only if they give this commitment; so an upload planted by anyone else (who can wrap a key
 * of their choice with the RSA public key, or has write access to the bucket, or answers as the
 * endpoint) is refused, and nothing is encrypted under a key they chose. The commitment reveals
 * nothing usable about the CEK (a PRF output under a 128- to 256-bit key); the token is not a
 * secret, but only its holder can resume the upload through this library. A resume that the token
 * refuses throws {@link ResumeTokenException} naming the field.
 *
 * <pre>{@code
 * String saved = upload.resumeToken().toString();         // keep with the upload id
 * ResumeToken token = ResumeToken.parse(saved);
 * uploader.resume("bkt", "big.bin", token.uploadId(), token, Path.of("big.bin"));
 * }</pre>
 */
public final class ResumeToken {
  /** The prefix of the string form; the digit is the token version. */
  public static final String PREFIX = "osscse-resume-1.";

  private static final byte[] LABEL =
      "oss-cse multipart resume token v1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_LENGTH = 32;
  private static final int MAX_UPLOAD_ID = 256;

  private final String uploadId;
  private final long partSize;
  private final long dataSize; // -1 = unknown
  private final byte[] commitment;

  private ResumeToken(String uploadId, long partSize, long dataSize, byte[] commitment) {
    checkUploadId(uploadId);
    this.uploadId = uploadId;
    this.partSize = partSize;
    this.dataSize = dataSize;
    this.commitment = commitment;
  }

  /**
   * Makes the token of an upload from its content key, for uploads initiated by other code (the
   * official {@code OSSEncryptionClient}'s {@code MultipartUploadCryptoContext} holds the CEK and
   * IV). Uploads initiated here return theirs from {@link EncryptedMultipartUpload#resumeToken()}.
   *
   * @param cek the AES content key (16, 24 or 32 bytes)
   * @param iv the 16-byte initial counter block
   * @param dataSize the total plaintext size, or -1 if the upload records none
   */
  public static ResumeToken create(
      String bucket,
      String key,
      String uploadId,
      SecretKey cek,
      byte[] iv,
      long partSize,
      long dataSize)
      throws GeneralSecurityException {
    Objects.requireNonNull(cek, "cek");
    byte[] raw = cek.getEncoded();
    if (raw == null) {
      throw new java.security.InvalidKeyException("the CEK must expose its bytes");
    }
    try {
      return of(bucket, key, uploadId, raw, Objects.requireNonNull(iv, "iv"), partSize, dataSize);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** The token of an upload whose content key is {@code contentKey}, of a multipart envelope. */
  static ResumeToken create(
      String bucket, String key, String uploadId, ContentKey contentKey, Envelope envelope)
      throws GeneralSecurityException {
    long partSize = envelope.partSize().orElseThrow();
    long dataSize = envelope.dataSize().orElse(-1);
    return contentKey.withBytes(
        (cek, iv) -> of(bucket, key, uploadId, cek, iv, partSize, dataSize));
  }

  /**
   * Checks that an upload as listed, with the content key its listing unwraps to, is the one this
   * token was made for.
   *
   * @throws ResumeTokenException naming the first field that differs
   */
  void verify(
      String bucket, String key, String listedUploadId, Envelope listed, ContentKey unwrapped)
      throws GeneralSecurityException {
    long listedPartSize = listed.partSize().orElse(-1);
    if (listedPartSize != partSize) {
      throw new ResumeTokenException(
          "part size", "the upload lists " + listedPartSize + " bytes, the token says " + partSize);
    }
    long listedDataSize = listed.dataSize().orElse(-1);
    if (listedDataSize != dataSize) {
      throw new ResumeTokenException(
          "data size",
          "the upload lists %s, the token says %s"
              .formatted(
                  listedDataSize < 0 ? "none" : listedDataSize, dataSize < 0 ? "none" : dataSize));
    }
    if (!ContentKey.TRANSFORMATION.equals(listed.cekAlgorithm())) {
      throw new ResumeTokenException("content key", "the upload lists another content cipher");
    }
    ResumeToken actual = create(bucket, key, listedUploadId, unwrapped, listed);
    if (!MessageDigest.isEqual(actual.commitment, commitment)) {
      throw new ResumeTokenException(
          "content key",
          "the key and IV the upload lists are not the ones this token was made for"
              + " (ClientEncryptionKey/ClientEncryptionStart)");
    }
  }

  /** The token with the key commitment made from the raw CEK and IV (see the class doc). */
  private static ResumeToken of(
      String bucket,
      String key,
      String uploadId,
      byte[] cek,
      byte[] iv,
      long partSize,
      long dataSize)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(cek, "HmacSHA256"));
    field(mac, LABEL);
    field(mac, Objects.requireNonNull(bucket, "bucket").getBytes(StandardCharsets.UTF_8));
    field(mac, Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8));
    field(mac, uploadId.getBytes(StandardCharsets.UTF_8));
    field(mac, ContentKey.TRANSFORMATION.getBytes(StandardCharsets.US_ASCII));
    field(mac, iv);
    mac.update(ByteBuffer.allocate(16).putLong(partSize).putLong(dataSize).array());
    return new ResumeToken(uploadId, partSize, dataSize, mac.doFinal());
  }

  /** Length-prefixed, so that no two field lists give the same MAC input. */
  private static void field(Mac mac, byte[] value) {
    mac.update(ByteBuffer.allocate(4).putInt(value.length).array());
    mac.update(value);
  }

  /**
   * Parses the {@link #toString()} form.
   *
   * @throws ResumeTokenException (field {@code resume token}) if it is not a well-formed token
   */
  public static ResumeToken parse(String text) throws ResumeTokenException {
    if (text == null) {
      throw new ResumeTokenException("resume token", "missing");
    }
    String t = text.trim();
    if (!t.startsWith(PREFIX) || t.length() > PREFIX.length() + 1024) {
      throw new ResumeTokenException("resume token", "not an oss-cse resume token of version 1");
    }
    byte[] b;
    try {
      b = Base64.getUrlDecoder().decode(t.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new ResumeTokenException("resume token", "malformed base64url");
    }
    ByteBuffer in = ByteBuffer.wrap(b);
    int idLength = b.length < 2 ? 0 : in.getShort() & 0xffff;
    if (idLength == 0 || idLength > MAX_UPLOAD_ID || b.length != 2 + idLength + 16 + MAC_LENGTH) {
      throw new ResumeTokenException("resume token", "malformed length");
    }
    byte[] id = new byte[idLength];
    in.get(id);
    long partSize = in.getLong();
    long dataSize = in.getLong();
    if (partSize <= 0 || partSize % 16 != 0 || dataSize < -1) {
      throw new ResumeTokenException("resume token", "malformed part or data size");
    }
    byte[] mac = new byte[MAC_LENGTH];
    in.get(mac);
    try {
      return new ResumeToken(new String(id, StandardCharsets.UTF_8), partSize, dataSize, mac);
    } catch (IllegalArgumentException e) {
      throw new ResumeTokenException("resume token", "malformed upload id");
    }
  }

  private static void checkUploadId(String uploadId) {
    Objects.requireNonNull(uploadId, "uploadId");
    int n = uploadId.getBytes(StandardCharsets.UTF_8).length;
    if (n == 0 || n > MAX_UPLOAD_ID || uploadId.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException(
          "an upload id is 1.." + MAX_UPLOAD_ID + " printable ASCII");
    }
  }

  /** The upload id the token was made for. */
  public String uploadId() {
    return uploadId;
  }

  /** The part size of the upload. */
  public long partSize() {
    return partSize;
  }

  /** The data size of the upload, when it records one. */
  public OptionalLong dataSize() {
    return dataSize < 0 ? OptionalLong.empty() : OptionalLong.of(dataSize);
  }

  /** The stable string form, {@code osscse-resume-1.<base64url>}; {@link #parse} reads it. */
  @Override
  public String toString() {
    byte[] id = uploadId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(2 + id.length + 16 + MAC_LENGTH);
    out.putShort((short) id.length).put(id).putLong(partSize).putLong(dataSize).put(commitment);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResumeToken t
        && t.uploadId.equals(uploadId)
        && t.partSize == partSize
        && t.dataSize == dataSize
        && MessageDigest.isEqual(t.commitment, commitment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uploadId, partSize, dataSize, Arrays.hashCode(commitment));
  }
}
