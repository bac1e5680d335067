package dev.osscse.oss;

import dev.osscse.oss.internal.EncryptingInputStream;
import dev.osscse.oss.internal.PlaintextRecord;
import dev.osscse.oss.spi.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;

/**
 * The one write engine of the binding (docs/architecture.md): {@link #encrypt} makes a body from
 * plaintext, {@link #put} and {@link #part} send a body through the port and check that all of it
 * went and that the server's CRC-64 equals the one of the bytes sent.
 */
final class WritePipeline {
  final ObjectStore store; // the port this pipeline sends through

  WritePipeline(ObjectStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** A body: its stream, exact length (-1 unknown), bytes taken and own CRC-64 (or null). */
  record Body(InputStream in, long length, LongSupplier count, LongSupplier crc) {
    /** This body sent through {@code other}, a stream over its own. */
    Body with(InputStream other) {
      return new Body(other, length, count, crc);
    }
  }

  /**
   * The ciphertext of {@code plaintext} (read once) from object offset {@code offset}.
   *
   * @param record what earlier attempts of this body encrypted, or null
   */
  Body encrypt(
      ContentKey key, long offset, InputStream plaintext, long length, PlaintextRecord record)
      throws GeneralSecurityException {
    // When the store checks CRC-64 (the SDK's default) it already computes one over the exact
    // body it sends; a second CRC here cost ~10% of the upload's CPU.
    boolean ownCrc = !store.computesBodyCrc();
    EncryptingInputStream e =
        new EncryptingInputStream(
            Objects.requireNonNull(plaintext, "plaintext"),
            key.newCipher(Cipher.ENCRYPT_MODE, offset),
            length,
            ownCrc ? store.newCrc64() : null,
            record);
    LongSupplier count = () -> !e.isComplete() ? -1 : length >= 0 ? length : e.count();
    return new Body(e, length, count, ownCrc ? e::crc : null);
  }

  /**
   * PUTs one object. If not all of the body went or the server's CRC-64 differs from {@code
   * expectedCrc} (null: the CRC-64 of the bytes sent), the put is refused: the object is deleted
   * when {@code deleteOnFailure}, otherwise left as it is.
   */
  ObjectStore.Written put(
      String bucket,
      String key,
      ObjectStore.Metadata metadata,
      Body body,
      boolean chunked,
      Long expectedCrc,
      boolean deleteOnFailure)
      throws IOException {
    ObjectStore.Written w;
    String deleted = deleteOnFailure ? "; object deleted" : "";
    Runnable refuse = deleteOnFailure ? () -> refused(bucket, key) : () -> {};
    try {
      w = store.put(bucket, key, metadata, body.in(), chunked ? -1 : body.length());
    } catch (ObjectStore.BodyCrcMismatchException e) {
      refuse.run();
      throw new TransferVerificationException(
          "CRC-64 of the uploaded body does not match the server's" + deleted, e);
    } catch (IOException | RuntimeException e) {
      ifSourceChanged(
          e, "the source changed between attempts of the upload; nothing of the changed bytes was");
      throw e;
    }
    check(body, w, expectedCrc, "the upload", deleted, refuse);
    return w;
  }

  /**
   * Uploads part {@code partNumber}; all of the body must go and the server's CRC-64 equal the one
   * of the bytes sent. Returns the part as a complete names it.
   */
  UploadedPart part(
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      Map<String, String> headers,
      Body body)
      throws IOException {
    ObjectStore.Written w;
    try {
      w = store.uploadPart(bucket, key, uploadId, partNumber, headers, body.in(), body.length());
    } catch (ObjectStore.BodyCrcMismatchException e) {
      throw new TransferVerificationException(
          "CRC-64 of part " + partNumber + " does not match the server's x-oss-hash-crc64ecma", e);
    } catch (IOException | RuntimeException e) {
      ifSourceChanged(
          e,
          "part "
              + partNumber
              + ": the source differs from what an earlier upload of this part encrypted;"
              + " refused before the changed bytes were");
      throw e;
    }
    Long local = check(body, w, null, "part " + partNumber, "", () -> {});
    return new UploadedPart(
        partNumber,
        w.etag(),
        body.length(),
        local != null ? OptionalLong.of(local) : OptionalLong.empty());
  }

  /** All of a body must have gone and the server's CRC-64 match; returns the CRC-64 checked. */
  private static Long check(
      Body body,
      ObjectStore.Written w,
      Long expectedCrc,
      String what,
      String outcome,
      Runnable refuse)
      throws TransferVerificationException {
    long sent = body.count().getAsLong();
    if (sent < 0 || (body.length() >= 0 && sent != body.length())) {
      refuse.run();
      throw new TransferVerificationException(
          String.format(
              "%s ended before its source did: sent %d of %d bytes%s",
              what, Math.max(sent, 0), body.length(), outcome));
    }
    Long bodyCrc = body.crc() != null ? Long.valueOf(body.crc().getAsLong()) : w.sentCrc64();
    Long local = expectedCrc != null ? expectedCrc : bodyCrc;
    if (w.serverCrc64() != null && local != null && !w.serverCrc64().equals(local)) {
      refuse.run();
      throw new TransferVerificationException(
          "CRC-64 of " + what + " does not match the server's x-oss-hash-crc64ecma" + outcome);
    }
    return local;
  }

  /** Throws a {@link SourceChangedException} if {@code e} says a retry found a changed source. */
  private static void ifSourceChanged(Exception e, String message) throws SourceChangedException {
    if (SourceChangedException.findIn(e).isPresent()) {
      throw new SourceChangedException(message + " encrypted or sent", e);
    }
  }

  /** Deletes a refused object and its record, best effort. */
  void refused(String bucket, String key) {
    try {
      Authentication.deleteWithRecord(store, bucket, key); // the replaced object's record too
    } catch (RuntimeException suppressed) {
      // best effort: the upload is reported as failed either way
    }
  }
}
