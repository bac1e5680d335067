package dev.osscse.provider;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * An AES data key made by the {@code KMS/ALICLOUD} {@code KeyGenerator}, carrying its wrapped form.
 *
 * <p><b>What it is.</b> The raw key (algorithm {@code "AES"}, format {@code "RAW"}) together with
 * the KMS {@code CiphertextBlob} that wraps it under the master key named by {@link #keyId()}. A
 * {@code KMS/ALICLOUD} cipher in wrap mode, initialised with a {@link KmsKeyReference} for the same
 * key id and encryption context, returns that blob without calling the KMS again, so a writer pays
 * one round trip for its data key. {@link #getWrappedKey()} is the header value.
 *
 * <p><b>Security.</b> {@link #destroy()} zeroes the key bytes. {@link #toString()} shows the key id
 * only. Instances cannot be serialized.
 */
public final class KmsDataKey implements SecretKey {
  private static final long serialVersionUID = 1L;

  private final byte[] key;
  private final String wrappedKey;
  private final String keyId;
  private final Map<String, String> encryptionContext;
  private volatile boolean destroyed;

  /**
   * Creates a data key. Normally only the provider's key generator does this.
   *
   * @param key the raw AES key, 16 or 32 bytes; copied
   * @param wrappedKey the KMS {@code CiphertextBlob} that decrypts to base64 of {@code key}
   * @param keyId the master key id the blob was made under, as the {@link KmsKeyReference} names it
   * @param encryptionContext the encryption context the blob was made with
   */
  public KmsDataKey(
      byte[] key, String wrappedKey, String keyId, Map<String, String> encryptionContext) {
    Objects.requireNonNull(key, "key");
    if (key.length != 16 && key.length != 32) {
      throw new IllegalArgumentException("key must be 16 or 32 bytes, got " + key.length);
    }
    this.key = key.clone();
    this.wrappedKey = Objects.requireNonNull(wrappedKey, "wrappedKey");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.encryptionContext = Map.copyOf(encryptionContext);
  }

  /** Returns the KMS {@code CiphertextBlob} string: the value to store as the wrapped key. */
  public String getWrappedKey() {
    return wrappedKey;
  }

  /** Returns the master key id the data key was wrapped under. */
  public String keyId() {
    return keyId;
  }

  /** Returns the encryption context the data key was wrapped with. */
  public Map<String, String> encryptionContext() {
    return encryptionContext;
  }

  @Override
  public String getAlgorithm() {
    return "AES";
  }

  @Override
  public String getFormat() {
    return "RAW";
  }

  /**
   * Returns a copy of the key bytes.
   *
   * @throws IllegalStateException if destroyed
   */
  @Override
  public byte[] getEncoded() {
    if (destroyed) {
      throw new IllegalStateException("KmsDataKey destroyed");
    }
    return key.clone();
  }

  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "KmsDataKey[keyId=" + keyId + ", bits=" + key.length * 8 + "]";
  }

  private void writeObject(ObjectOutputStream out) throws NotSerializableException {
    throw new NotSerializableException("KmsDataKey");
  }
}
