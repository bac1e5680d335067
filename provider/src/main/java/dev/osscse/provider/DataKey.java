package dev.osscse.provider;

import java.util.Arrays;
import java.util.Objects;

/**
 * A data key as returned by {@link KeyService#generateDataKey}: raw key bytes plus the {@code
 * CiphertextBlob} that wraps them under the master key.
 *
 * <p>Not thread-safe to destroy while another thread reads it. {@link #toString()} never shows the
 * key bytes.
 */
public final class DataKey {
  private final String keyId;
  private final byte[] plaintext;
  private final String ciphertextBlob;
  private volatile boolean destroyed;

  /**
   * Creates a data key.
   *
   * @param keyId the id of the master key that wrapped it, as the service reported it
   * @param plaintext the raw key bytes; copied
   * @param ciphertextBlob the wrapped form, as the service returned it
   */
  public DataKey(String keyId, byte[] plaintext, String ciphertextBlob) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.plaintext = Objects.requireNonNull(plaintext, "plaintext").clone();
    this.ciphertextBlob = Objects.requireNonNull(ciphertextBlob, "ciphertextBlob");
  }

  /** Returns the master key id the service reported. */
  public String keyId() {
    return keyId;
  }

  /**
   * Returns a copy of the raw key bytes.
   *
   * @throws IllegalStateException if destroyed
   */
  public byte[] plaintext() {
    if (destroyed) {
      throw new IllegalStateException("data key destroyed");
    }
    return plaintext.clone();
  }

  /** Returns the {@code CiphertextBlob} string. */
  public String ciphertextBlob() {
    return ciphertextBlob;
  }

  /** Returns the key length in bytes. */
  public int length() {
    return plaintext.length;
  }

  /** Overwrites the key bytes with zeros; later {@link #plaintext()} calls fail. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(plaintext, (byte) 0);
  }

  @Override
  public String toString() {
    return "DataKey[keyId=" + keyId + ", bytes=" + plaintext.length + "]";
  }
}
