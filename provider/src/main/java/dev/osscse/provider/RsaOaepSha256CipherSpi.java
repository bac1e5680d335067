package dev.osscse.provider;

import dev.osscse.provider.internal.wrap.OaepParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;

/**
 * {@code RSA/NONE/OAEPWithSHA-256AndMGF1Padding}: RSAES-OAEP with SHA-256, MGF1 with SHA-256 and,
 * unless an {@link OAEPParameterSpec} says otherwise, an empty label.
 *
 * <p>Unlike SunJCE's transformation of the same spelling, whose MGF1 digest defaults to SHA-1, MGF1
 * here uses SHA-256 (as Bouncy Castle and the Wycheproof vectors do).
 */
final class RsaOaepSha256CipherSpi extends RsaCipherSpi {
  /** The transformation name. */
  public static final String TRANSFORMATION = "RSA/NONE/OAEPWithSHA-256AndMGF1Padding";

  private static final String DIGEST = "SHA-256";

  /** Creates an uninitialised cipher. */
  public RsaOaepSha256CipherSpi() {
    super(TRANSFORMATION, "OAEPWithSHA-256AndMGF1Padding");
  }

  @Override
  OAEPParameterSpec checkOaepSpec(OAEPParameterSpec requested)
      throws InvalidAlgorithmParameterException {
    return OaepParameters.check(TRANSFORMATION, DIGEST, MGF1ParameterSpec.SHA256, requested);
  }
}
