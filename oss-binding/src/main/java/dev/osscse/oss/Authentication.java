package dev.osscse.oss;

import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.internal.auth.AuthKeys;
import dev.osscse.oss.internal.auth.AuthRecord;
import dev.osscse.oss.internal.auth.TagTable;
import dev.osscse.oss.internal.auth.TaggingInputStream;
import dev.osscse.oss.spi.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.AEADBadTagException;

/**
 * The pipelines' side of authenticated objects (docs/format.md FMT-26..FMT-31): the marker, the
 * tagging of a body, the writing of the record after it, and where readers fetch it from. The
 * crypto is in {@code dev.osscse.oss.internal.auth}.
 */
final class Authentication {
  /** The marker's value. */
  static final String MARKER_VALUE = "v1";

  private static final String NOT_COPIED = "authentication record not copied: ";

  private Authentication() {}

  /**
   * The bytes of the companion of {@code bucket}/{@code key} (FMT-26), at most a record's bound; a
   * missing one is refused, the problem starting with {@code context}.
   */
  static byte[] readRecord(ObjectStore store, String bucket, String key, String context)
      throws IOException {
    int maxBytes = Math.toIntExact(AuthRecord.encodedLength(AuthRecord.MAX_LENGTH));
    String companionKey = AuthRecord.companionKey(key);
    ObjectStore.Reply r;
    try {
      r = store.source(bucket, companionKey).get(-1, -1, null);
    } catch (RuntimeException e) {
      if (store.isNotFound(e)) {
        throw refused(
            bucket,
            key,
            context + "the object has no authentication record (" + companionKey + ")");
      }
      throw e;
    }
    boolean complete = false;
    try {
      // The declared length refuses an oversized record unread; the bounded read, one that lies.
      byte[] bytes = r.contentLength() > maxBytes ? null : r.body().readNBytes(maxBytes + 1);
      if (bytes == null || bytes.length > maxBytes) {
        throw new ObjectAuthenticationException(
            bucket, companionKey, "authentication record over " + maxBytes + " bytes", null);
      }
      complete = true;
      return bytes;
    } finally {
      r.close(complete);
    }
  }

  /** Whether {@code user} metadata carries the marker (name matched case-insensitively). */
  static boolean isMarked(Map<String, String> user) {
    for (Map.Entry<String, String> e : user.entrySet()) {
      if (e.getKey() != null
          && MetadataKeys.AUTH.equals(e.getKey().trim().toLowerCase(Locale.ROOT))) {
        return MARKER_VALUE.equals(e.getValue() == null ? null : e.getValue().trim());
      }
    }
    return false;
  }

  /** Adds the marker to outgoing user metadata. */
  static void mark(Map<String, String> user) {
    user.put(MetadataKeys.AUTH, MARKER_VALUE);
  }

  /**
   * Adds the envelope to outgoing user metadata that may already carry this project's own marker
   * (caller-set reserved keys are still refused, FMT-17).
   */
  static void writeEnvelope(Envelope envelope, Map<String, String> user) {
    boolean marked = user.remove(MetadataKeys.AUTH) != null;
    EnvelopeCodec.writeTo(envelope, user);
    if (marked) {
      mark(user);
    }
  }

  /** The authentication keys of {@code key}'s object. */
  static AuthKeys keys(ContentKey key) throws GeneralSecurityException {
    return key.withBytes(AuthKeys::derive);
  }

  /**
   * {@code body} with its ciphertext tagged into {@code table}; it starts at object offset {@code
   * offset} (a chunk start) and ends at {@code offset + body.length()} when that is known.
   */
  static WritePipeline.Body tag(WritePipeline.Body body, AuthKeys keys, long offset, TagTable table)
      throws GeneralSecurityException {
    long end = body.length() >= 0 ? offset + body.length() : -1;
    TaggingInputStream t =
        new TaggingInputStream(body.in(), offset, end, keys.newChunkMac(), table);
    return new WritePipeline.Body(t, body.length(), body.count(), body.crc());
  }

  /** Tags the last partial chunk of a body of unknown length once all of it went. */
  static void finish(WritePipeline.Body tagged) throws IOException {
    ((TaggingInputStream) tagged.in()).finish();
  }

  /**
   * Writes the record of {@code bucket}/{@code key} ({@code length} bytes) as its companion. On
   * failure the object is deleted (FMT-26: no marker without record).
   */
  static void writeRecord(
      ObjectStore store, String bucket, String key, AuthKeys keys, TagTable table, long length)
      throws IOException, GeneralSecurityException {
    try {
      putRecord(
          store,
          bucket,
          key,
          table.record(length, System.currentTimeMillis()).encode(keys, bucket, key));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      try {
        deleteWithRecord(store, bucket, key);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Puts {@code record} as the companion of {@code bucket}/{@code key}. */
  private static void putRecord(ObjectStore store, String bucket, String key, byte[] record)
      throws IOException {
    Map<String, Object> headers = new HashMap<>();
    headers.put("Content-Type", "application/octet-stream");
    store.put(
        bucket,
        AuthRecord.companionKey(key),
        new ObjectStore.Metadata(headers, new HashMap<>()),
        new ByteArrayInputStream(record),
        record.length);
  }

  /**
   * Verifies the record of {@code srcBucket}/{@code srcKey} against its object (marker, root,
   * length) and puts it, re-rooted to {@code dstBucket}/{@code dstKey} with the same header and
   * chunk tags, as the companion of the target (FMT-29: only the root binds bucket and key). Reads
   * no body; nothing is written when the source does not verify.
   *
   * @return the ETag of the verified source object
   */
  static String copyRecord(
      StoreContext ctx, String srcBucket, String srcKey, String dstBucket, String dstKey)
      throws IOException, GeneralSecurityException {
    ObjectStore.Head head = ctx.store.head(srcBucket, srcKey);
    Envelope envelope =
        ReadPipeline.envelopeOf(srcBucket, srcKey, head.userMetadata())
            .orElseThrow(
                () -> refused(srcBucket, srcKey, NOT_COPIED + "the object has no envelope"));
    if (!isMarked(head.userMetadata())) {
      throw refused(srcBucket, srcKey, NOT_COPIED + "the object is not marked as authenticated");
    }
    byte[] record = readRecord(ctx.store, srcBucket, srcKey, NOT_COPIED);
    ContentKey contentKey = ctx.openKey(srcBucket, srcKey, envelope);
    try (AuthKeys authKeys = keys(contentKey)) {
      AuthRecord verified =
          verify(record, authKeys, srcBucket, srcKey, head.contentLength(), NOT_COPIED);
      putRecord(ctx.store, dstBucket, dstKey, verified.encode(authKeys, dstBucket, dstKey));
    } finally {
      contentKey.destroy();
    }
    return head.etag();
  }

  /**
   * The record of {@code bucket}/{@code key} decoded with {@code keys}, its root checked and its
   * length equal to the object's {@code objectSize} (FMT-29, FMT-30); a refusal's problem starts
   * with {@code context}.
   */
  static AuthRecord verify(
      byte[] record, AuthKeys keys, String bucket, String key, long objectSize, String context)
      throws ObjectAuthenticationException, GeneralSecurityException {
    AuthRecord r;
    try {
      r = AuthRecord.decode(record, keys, bucket, key);
    } catch (AEADBadTagException e) {
      throw refused(bucket, key, context + e.getMessage());
    }
    if (r.length() != objectSize) {
      throw refused(
          bucket,
          key,
          context
              + "the stored object has "
              + objectSize
              + " bytes, its authentication record "
              + r.length()
              + " (truncated or extended body)");
    }
    return r;
  }

  /** An authentication failure of {@code bucket}/{@code key}, without cause. */
  static ObjectAuthenticationException refused(String bucket, String key, String problem) {
    return new ObjectAuthenticationException(bucket, key, problem, null);
  }

  /**
   * Deletes {@code bucket}/{@code key} and then its companion record (a no-op when there is none,
   * and for a key that is itself a record): the object goes first, so a failure of the record's
   * delete leaves at most a record that verifies nothing else (FMT-29 binds it to the object's CEK
   * and IV).
   */
  static void deleteWithRecord(ObjectStore store, String bucket, String key) {
    store.delete(bucket, key);
    if (!key.startsWith(AuthRecord.COMPANION_PREFIX)) {
      store.delete(bucket, AuthRecord.companionKey(key));
    }
  }
}
