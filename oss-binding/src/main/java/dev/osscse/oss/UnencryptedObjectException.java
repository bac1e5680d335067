package dev.osscse.oss;

import dev.osscse.oss.internal.MetadataKeys;

/**
 * An object read through the encryption binding carries no client-side encryption envelope.
 *
 * <p>Thrown instead of returning the stored bytes, so that a plaintext (or stripped) object is
 * never mistaken for decrypted content. Set {@link
 * EncryptedStore.Builder#allowPlaintextObjects(boolean)} to read such objects as they are.
 */
public final class UnencryptedObjectException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for an object without envelope. */
  public UnencryptedObjectException(String bucket, String key) {
    super(
        bucket,
        key,
        MetadataKeys.KEY,
        "the object has no client-side encryption metadata; refusing to return it as plaintext"
            + " (allowPlaintextObjects is off)");
  }
}
