package dev.osscse.provider.internal.wrap;

import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.spec.MGF1ParameterSpec;
import java.util.Locale;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/** Checks OAEP parameters against a transformation that fixes the digest and the MGF1 digest. */
public final class OaepParameters {
  private OaepParameters() {}

  /** A digest name in one spelling for comparisons: upper case, no dash, "SHA" as "SHA1". */
  static String digestKey(String name) {
    String n = name.toUpperCase(Locale.ROOT).replace("-", "");
    return n.equals("SHA") ? "SHA1" : n;
  }

  /** Returns the default spec: {@code digest}, MGF1 with {@code digest}, empty label. */
  public static OAEPParameterSpec defaults(String digest, MGF1ParameterSpec mgf1) {
    return new OAEPParameterSpec(digest, "MGF1", mgf1, PSource.PSpecified.DEFAULT);
  }

  /**
   * Returns the spec to use: {@code requested} (with canonical digest names) if it fits, the
   * defaults if it is {@code null}.
   *
   * @throws InvalidAlgorithmParameterException if the digest, the MGF or the MGF1 digest differs
   *     from the transformation's, or the label source is not {@code PSource.PSpecified}
   */
  public static OAEPParameterSpec check(
      String transformation, String digest, MGF1ParameterSpec mgf1, OAEPParameterSpec requested)
      throws InvalidAlgorithmParameterException {
    if (requested == null) {
      return defaults(digest, mgf1);
    }
    String key = digestKey(digest);
    if (!digestKey(requested.getDigestAlgorithm()).equals(key)) {
      throw new InvalidAlgorithmParameterException(
          "OAEPParameterSpec digest "
              + requested.getDigestAlgorithm()
              + " does not match "
              + transformation
              + ", which uses "
              + digest);
    }
    if (!"MGF1".equalsIgnoreCase(requested.getMGFAlgorithm())) {
      throw new InvalidAlgorithmParameterException(
          "OAEPParameterSpec mask generation function "
              + requested.getMGFAlgorithm()
              + " is not MGF1");
    }
    if (!(requested.getMGFParameters() instanceof MGF1ParameterSpec m)
        || !digestKey(m.getDigestAlgorithm()).equals(key)) {
      throw new InvalidAlgorithmParameterException(
          "OAEPParameterSpec MGF1 digest "
              + (requested.getMGFParameters() instanceof MGF1ParameterSpec m2
                  ? m2.getDigestAlgorithm()
                  : String.valueOf(requested.getMGFParameters()))
              + " does not match "
              + transformation
              + ", which uses MGF1 with "
              + digest);
    }
    if (!(requested.getPSource() instanceof PSource.PSpecified label)) {
      throw new InvalidAlgorithmParameterException(
          "OAEPParameterSpec label source must be PSource.PSpecified");
    }
    // Canonical digest names (the caller may have written "SHA256" or "SHA"), caller's label.
    return new OAEPParameterSpec(digest, "MGF1", mgf1, label);
  }

  /** Builds the padding for an already checked spec. */
  public static RsaEncoding padding(OAEPParameterSpec spec) {
    byte[] label = ((PSource.PSpecified) spec.getPSource()).getValue();
    try {
      return new OaepPadding(MessageDigest.getInstance(spec.getDigestAlgorithm()), label);
    } catch (NoSuchAlgorithmException e) {
      throw new ProviderException("digest " + spec.getDigestAlgorithm() + " is unavailable", e);
    }
  }
}
