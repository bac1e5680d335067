package dev.osscse.provider;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidParameterException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.KeyGeneratorSpi;
import javax.crypto.SecretKey;

/**
 * {@code KeyGenerator} {@code KMS/ALICLOUD}: one {@code GenerateDataKey} call returns an AES key
 * that also carries its wrapped form ({@code KmsDataKey}). Must be initialised with a {@link
 * KmsKeyGenParameterSpec}. A key service failure surfaces as {@link
 * java.security.ProviderException} "data key generation failed" with the {@code
 * KeyServiceException} as cause, since {@code generateKey()} declares no checked exception.
 */
final class KmsKeyGeneratorSpi extends KeyGeneratorSpi {
  /** The JCA algorithm name. */
  public static final String ALGORITHM = "KMS/ALICLOUD";

  private KmsKeyState state;
  private int bytes;

  @Override
  protected void engineInit(SecureRandom random) {
    // The KMS generates the key; the random source is not used. A spec is still required.
  }

  @Override
  protected void engineInit(AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidAlgorithmParameterException {
    if (!(params instanceof KmsKeyGenParameterSpec)) {
      throw new InvalidAlgorithmParameterException(
          "KMS/ALICLOUD key generator needs a KmsKeyGenParameterSpec, got "
              + (params == null ? "null" : params.getClass().getName()));
    }
    KmsKeyGenParameterSpec spec = (KmsKeyGenParameterSpec) params;
    if (spec.keyReference().isDestroyed()) {
      throw new InvalidAlgorithmParameterException("KmsKeyReference is destroyed");
    }
    this.state = spec.keyReference().state();
    this.bytes = spec.keySizeBits() / 8;
  }

  @Override
  protected void engineInit(int keysize, SecureRandom random) {
    throw new InvalidParameterException(
        "KMS/ALICLOUD key generator needs a KmsKeyGenParameterSpec, not a key size");
  }

  @Override
  protected SecretKey engineGenerateKey() {
    if (state == null) {
      throw new IllegalStateException("KMS/ALICLOUD key generator not initialised with a spec");
    }
    return state.generateDataKey(bytes);
  }
}
