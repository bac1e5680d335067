package dev.osscse.provider;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import javax.crypto.spec.OAEPParameterSpec;

/**
 * Key-size policy (and optional OAEP parameters) for the provider's RSA ciphers.
 *
 * <p><b>What it is.</b> An {@link AlgorithmParameterSpec} accepted by {@code Cipher.init(mode, key,
 * spec)} for {@code RSA/NONE/PKCS1Padding}, {@code RSA/NONE/OAEPWithSHA-256AndMGF1Padding} and
 * {@code RSA/NONE/OAEPWithSHA-1AndMGF1Padding}. Without a spec the cipher uses {@link #defaults()}.
 *
 * <p><b>Security guarantees.</b> By default the ciphers refuse to <em>write</em> (encrypt or wrap)
 * with a modulus under {@value #DEFAULT_MIN_WRITE_MODULUS_BITS} bits. <em>Reading</em> (decrypt or
 * unwrap) accepts {@value #MIN_MODULUS_BITS} bits and more, because the official OSS SDKs and their
 * shared test objects use 1024-bit keys. No mode ever accepts a modulus under {@value
 * #MIN_MODULUS_BITS} or over {@value #MAX_MODULUS_BITS} bits.
 *
 * <p><b>Restrictions / failure behaviour.</b> A key outside the policy makes {@code init} throw
 * {@code InvalidKeyException} naming the modulus size. Lowering the writing minimum is an explicit,
 * loudly named opt-in: {@link #insecureMinimumWriteModulusBits(int)}. OAEP parameters, when given,
 * must use the transformation's digest and MGF1 digest; only the label may be chosen freely.
 *
 * <pre>{@code
 * // Write an object for a reader that only has a 1024-bit key pair (not recommended):
 * Cipher c = Cipher.getInstance("RSA/NONE/PKCS1Padding", "OssCse");
 * c.init(Cipher.WRAP_MODE, publicKey1024, RsaWrapParameterSpec.insecureMinimumWriteModulusBits(1024));
 * byte[] wrapped = c.wrap(cek);
 * }</pre>
 */
public final class RsaWrapParameterSpec implements AlgorithmParameterSpec {
  /** No RSA key with a smaller modulus is ever accepted, in any mode. */
  public static final int MIN_MODULUS_BITS = 1024;

  /** Default minimum modulus for encrypt and wrap. */
  public static final int DEFAULT_MIN_WRITE_MODULUS_BITS = 2048;

  /** No RSA key with a larger modulus is accepted (bounds the cost of one operation). */
  public static final int MAX_MODULUS_BITS = 16384;

  private static final RsaWrapParameterSpec DEFAULTS =
      new RsaWrapParameterSpec(DEFAULT_MIN_WRITE_MODULUS_BITS, null);

  private final int minWriteModulusBits;
  private final OAEPParameterSpec oaepParameters;

  private RsaWrapParameterSpec(int minWriteModulusBits, OAEPParameterSpec oaepParameters) {
    this.minWriteModulusBits = minWriteModulusBits;
    this.oaepParameters = oaepParameters;
  }

  /** Returns the default policy: write with 2048 bits or more, read with 1024 bits or more. */
  public static RsaWrapParameterSpec defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a policy that lets encrypt and wrap use a modulus of {@code minBits} bits or more.
   *
   * <p>Values under {@value #DEFAULT_MIN_WRITE_MODULUS_BITS} weaken the protection of every object
   * written with such a key; use them only to write for readers that cannot hold a larger key.
   *
   * @param minBits the smallest modulus size accepted for writing, between {@value
   *     #MIN_MODULUS_BITS} and {@value #MAX_MODULUS_BITS}
   * @throws IllegalArgumentException if {@code minBits} is outside that range
   */
  public static RsaWrapParameterSpec insecureMinimumWriteModulusBits(int minBits) {
    if (minBits < MIN_MODULUS_BITS || minBits > MAX_MODULUS_BITS) {
      throw new IllegalArgumentException(
          "minimum write modulus must be between "
              + MIN_MODULUS_BITS
              + " and "
              + MAX_MODULUS_BITS
              + " bits, got "
              + minBits);
    }
    return new RsaWrapParameterSpec(minBits, null);
  }

  /**
   * Returns a copy of this policy that also carries OAEP parameters (for example a non-empty
   * label). Only the OAEP transformations accept a spec with OAEP parameters.
   *
   * @param spec the OAEP parameters; the digest and MGF1 digest must match the transformation
   */
  public RsaWrapParameterSpec withOaepParameters(OAEPParameterSpec spec) {
    return new RsaWrapParameterSpec(minWriteModulusBits, Objects.requireNonNull(spec, "spec"));
  }

  /** Returns the smallest modulus size, in bits, that encrypt and wrap accept. */
  public int getMinWriteModulusBits() {
    return minWriteModulusBits;
  }

  /** Returns the OAEP parameters, or {@code null} to use the transformation's defaults. */
  public OAEPParameterSpec getOaepParameters() {
    return oaepParameters;
  }

  @Override
  public String toString() {
    return "RsaWrapParameterSpec[minWriteModulusBits="
        + minWriteModulusBits
        + (oaepParameters == null ? "" : ", oaep=" + oaepParameters.getDigestAlgorithm())
        + "]";
  }
}
