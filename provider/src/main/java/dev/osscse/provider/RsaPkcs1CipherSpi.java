package dev.osscse.provider;

import java.security.InvalidAlgorithmParameterException;
import javax.crypto.spec.OAEPParameterSpec;

/**
 * {@code RSA/NONE/PKCS1Padding}: RSAES-PKCS1-v1_5, the wrap algorithm of the OSS client-side
 * encryption format.
 */
final class RsaPkcs1CipherSpi extends RsaCipherSpi {
  /** The transformation name. */
  public static final String TRANSFORMATION = "RSA/NONE/PKCS1Padding";

  /** Creates an uninitialised cipher. */
  public RsaPkcs1CipherSpi() {
    super(TRANSFORMATION, "PKCS1Padding");
  }

  @Override
  OAEPParameterSpec checkOaepSpec(OAEPParameterSpec requested)
      throws InvalidAlgorithmParameterException {
    if (requested != null) {
      throw new InvalidAlgorithmParameterException(
          TRANSFORMATION + " does not accept OAEP parameters");
    }
    return null;
  }
}
