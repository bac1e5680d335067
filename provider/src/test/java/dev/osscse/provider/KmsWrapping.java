package dev.osscse.provider;

import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.crypto.SecretKey;

/**
 * Test helper: wraps an object's content key and IV with a KMS master key in one round-trip time,
 * straight on the KMS key state. The OSS binding does this for real in {@code EnvelopeCrypto} (seal
 * and rewrap); the tests here check the state under concurrent, failing and cancelled pairs.
 *
 * <p>The format stores two KMS blobs per object (docs/format.md FMT-4): the wrapped key and the
 * wrapped IV. This helper runs both {@code Encrypt} calls at once, the key's on {@code executor}
 * and the IV's on the calling thread; for a {@link KmsDataKey} from the {@code KMS/ALICLOUD} key
 * generator the key's blob is already known, so only the IV call is made. The results are the blob
 * strings the headers hold, identical to what a {@code KMS/ALICLOUD} cipher returns (as US-ASCII
 * bytes) from {@code wrap} and {@code doFinal}.
 */
public final class KmsWrapping {
  private KmsWrapping() {}

  /**
   * The two header values of one object.
   *
   * @param wrappedKey the CiphertextBlob of the content key
   * @param wrappedIv the CiphertextBlob of the IV
   */
  public record Wrapped(String wrappedKey, String wrappedIv) {}

  /**
   * Wraps {@code cek} and encrypts {@code iv} concurrently.
   *
   * @param ref the master key
   * @param cek the content key (a {@link KmsDataKey} is wrapped for free)
   * @param iv the IV, 1 to 4096 bytes
   * @param executor runs the key wrap (an I/O-bound task); {@code Runnable::run} makes it serial
   * @return both blob strings
   * @throws InvalidKeyException "wrap failed" (cause: the key service failure) if either call fails
   */
  public static Wrapped wrapBoth(KmsKeyReference ref, SecretKey cek, byte[] iv, Executor executor)
      throws InvalidKeyException {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(cek, "cek");
    Objects.requireNonNull(iv, "iv");
    Objects.requireNonNull(executor, "executor");
    if (ref.isDestroyed()) {
      throw new InvalidKeyException("KmsKeyReference is destroyed");
    }
    KmsKeyState state = ref.state();
    KmsDataKey dk = cek instanceof KmsDataKey ? (KmsDataKey) cek : null;
    byte[] raw = cek.getEncoded();
    if (raw == null || raw.length == 0) {
      throw new InvalidKeyException("key to wrap has no usable encoding: " + cek.getAlgorithm());
    }
    CompletableFuture<String> keyBlob;
    try {
      keyBlob =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return state.wrapKey(raw, dk);
                } catch (InvalidKeyException e) {
                  throw new CompletionException(e);
                } finally {
                  Arrays.fill(raw, (byte) 0);
                }
              },
              executor);
    } catch (RuntimeException e) { // the executor refused the task
      Arrays.fill(raw, (byte) 0);
      throw KmsErrors.wrapFailed(e);
    }
    String ivBlob;
    try {
      ivBlob = state.wrapKey(iv, null);
    } catch (InvalidKeyException e) {
      // A key wrap cancelled before it started never runs its own zeroing: zero the copy here. A
      // wrap already running only makes a blob nobody reads.
      keyBlob.cancel(false);
      Arrays.fill(raw, (byte) 0);
      throw e;
    }
    try {
      return new Wrapped(keyBlob.join(), ivBlob);
    } catch (CompletionException e) {
      if (e.getCause() instanceof InvalidKeyException) {
        throw (InvalidKeyException) e.getCause();
      }
      throw KmsErrors.wrapFailed(e);
    } catch (CancellationException e) {
      throw KmsErrors.wrapFailed(e);
    }
  }
}
