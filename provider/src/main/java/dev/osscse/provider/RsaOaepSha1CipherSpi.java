package dev.osscse.provider;

import dev.osscse.provider.internal.wrap.OaepParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;

/**
 * {@code RSA/NONE/OAEPWithSHA-1AndMGF1Padding}: RSAES-OAEP with SHA-1, MGF1 with SHA-1 and, unless
 * an {@link OAEPParameterSpec} says otherwise, an empty label.
 *
 * <p>This is what the Python SDK's {@code LocalRsaProvider} writes.
 */
final class RsaOaepSha1CipherSpi extends RsaCipherSpi {
  /** The transformation name. */
  public static final String TRANSFORMATION = "RSA/NONE/OAEPWithSHA-1AndMGF1Padding";

  private static final String DIGEST = "SHA-1";

  /** Creates an uninitialised cipher. */
  public RsaOaepSha1CipherSpi() {
    super(TRANSFORMATION, "OAEPWithSHA-1AndMGF1Padding");
  }

  @Override
  OAEPParameterSpec checkOaepSpec(OAEPParameterSpec requested)
      throws InvalidAlgorithmParameterException {
    return OaepParameters.check(TRANSFORMATION, DIGEST, MGF1ParameterSpec.SHA1, requested);
  }
}
