package dev.osscse.provider;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;

/**
 * Initialises the {@code KMS/ALICLOUD} {@code KeyGenerator}: names the master key (through a {@link
 * KmsKeyReference}) and the data key size.
 *
 * <pre>{@code
 * KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", "OssCse");
 * g.init(new KmsKeyGenParameterSpec(ref));
 * KmsDataKey cek = (KmsDataKey) g.generateKey();   // one GenerateDataKey call
 * }</pre>
 */
public final class KmsKeyGenParameterSpec implements AlgorithmParameterSpec {
  private final KmsKeyReference keyReference;
  private final int keySizeBits;

  /** Creates a spec for an AES-256 data key. */
  public KmsKeyGenParameterSpec(KmsKeyReference keyReference) {
    this(keyReference, 256);
  }

  /**
   * Creates a spec.
   *
   * @param keyReference the master key to wrap the data key under
   * @param keySizeBits 128 or 256
   * @throws IllegalArgumentException for another size
   */
  public KmsKeyGenParameterSpec(KmsKeyReference keyReference, int keySizeBits) {
    this.keyReference = Objects.requireNonNull(keyReference, "keyReference");
    if (keySizeBits != 128 && keySizeBits != 256) {
      throw new IllegalArgumentException("keySizeBits must be 128 or 256, got " + keySizeBits);
    }
    this.keySizeBits = keySizeBits;
  }

  /** Returns the master key reference. */
  public KmsKeyReference keyReference() {
    return keyReference;
  }

  /** Returns the data key size in bits. */
  public int keySizeBits() {
    return keySizeBits;
  }

  @Override
  public String toString() {
    return "KmsKeyGenParameterSpec[keyId=" + keyReference.keyId() + ", bits=" + keySizeBits + "]";
  }
}
