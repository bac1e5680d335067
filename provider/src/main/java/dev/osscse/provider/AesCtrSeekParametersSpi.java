package dev.osscse.provider;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParametersSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import javax.crypto.spec.IvParameterSpec;

/**
 * {@code AlgorithmParameters} named {@value #ALGORITHM}: an AES-CTR IV plus a starting byte offset,
 * the parameters of a seeked {@code AES/CTR/NoPadding}.
 *
 * <p>Encoding (format {@code "ASN.1"}, DER): {@code SEQUENCE { iv OCTET STRING (SIZE(16)),
 * byteOffset INTEGER (0..2^63-1) }}. Decoding is strict: exactly that structure, minimal lengths,
 * no trailing bytes.
 */
final class AesCtrSeekParametersSpi extends AlgorithmParametersSpi {
  /** The registered algorithm name. */
  public static final String ALGORITHM = "AES-CTR-Seek";

  private CtrParameterSpec spec;

  /** Creates an uninitialised parameters object. */
  public AesCtrSeekParametersSpi() {}

  @Override
  protected void engineInit(AlgorithmParameterSpec paramSpec) throws InvalidParameterSpecException {
    if (paramSpec instanceof CtrParameterSpec ctr) {
      spec = ctr;
    } else if (paramSpec instanceof IvParameterSpec iv) {
      byte[] ivBytes = iv.getIV();
      if (ivBytes.length != 16) {
        throw new InvalidParameterSpecException("IV must be 16 bytes, got " + ivBytes.length);
      }
      spec = new CtrParameterSpec(ivBytes, 0);
    } else {
      throw new InvalidParameterSpecException(
          ALGORITHM + " takes CtrParameterSpec or IvParameterSpec");
    }
  }

  @Override
  protected void engineInit(byte[] params) throws IOException {
    spec = decode(params);
  }

  @Override
  protected void engineInit(byte[] params, String format) throws IOException {
    checkFormat(format);
    engineInit(params);
  }

  @Override
  protected <T extends AlgorithmParameterSpec> T engineGetParameterSpec(Class<T> paramSpec)
      throws InvalidParameterSpecException {
    CtrParameterSpec s = initialised();
    if (paramSpec.isAssignableFrom(CtrParameterSpec.class)) {
      return paramSpec.cast(s);
    }
    if (paramSpec == IvParameterSpec.class) {
      if (s.getByteOffset() != 0) {
        throw new InvalidParameterSpecException(
            "byteOffset is "
                + s.getByteOffset()
                + "; an IvParameterSpec can only express byteOffset 0");
      }
      return paramSpec.cast(new IvParameterSpec(s.getIV()));
    }
    throw new InvalidParameterSpecException(
        ALGORITHM + " provides CtrParameterSpec or IvParameterSpec, not " + paramSpec.getName());
  }

  @Override
  protected byte[] engineGetEncoded() throws IOException {
    CtrParameterSpec s = initialisedForIo();
    byte[] offset = BigInteger.valueOf(s.getByteOffset()).toByteArray();
    byte[] out = new byte[2 + 18 + 2 + offset.length];
    out[0] = 0x30;
    out[1] = (byte) (out.length - 2);
    out[2] = 0x04;
    out[3] = 16;
    System.arraycopy(s.getIV(), 0, out, 4, 16);
    out[20] = 0x02;
    out[21] = (byte) offset.length;
    System.arraycopy(offset, 0, out, 22, offset.length);
    return out;
  }

  @Override
  protected byte[] engineGetEncoded(String format) throws IOException {
    checkFormat(format);
    return engineGetEncoded();
  }

  @Override
  protected String engineToString() {
    return spec == null ? ALGORITHM + " (uninitialised)" : ALGORITHM + " " + spec;
  }

  private CtrParameterSpec initialised() throws InvalidParameterSpecException {
    if (spec == null) {
      throw new InvalidParameterSpecException(ALGORITHM + " parameters are not initialised");
    }
    return spec;
  }

  private CtrParameterSpec initialisedForIo() throws IOException {
    if (spec == null) {
      throw new IOException(ALGORITHM + " parameters are not initialised");
    }
    return spec;
  }

  private static void checkFormat(String format) throws IOException {
    if (format != null && !format.equalsIgnoreCase("ASN.1")) {
      throw new IOException(ALGORITHM + " supports only format ASN.1, not " + format);
    }
  }

  /** Strict DER decoding; every malformed input gets the same message. */
  static CtrParameterSpec decode(byte[] der) throws IOException {
    IOException bad = new IOException("malformed " + ALGORITHM + " parameters");
    if (der == null || der.length < 2 + 18 + 3 || der.length > 2 + 18 + 2 + 8) {
      throw bad;
    }
    if (der[0] != 0x30
        || (der[1] & 0xFF) != der.length - 2
        || der[2] != 0x04
        || der[3] != 16
        || der[20] != 0x02
        || (der[21] & 0xFF) != der.length - 22) {
      throw bad;
    }
    byte[] offsetBytes = Arrays.copyOfRange(der, 22, der.length);
    BigInteger offset = new BigInteger(offsetBytes);
    if (offset.signum() < 0
        || offset.bitLength() > 63
        || !Arrays.equals(offset.toByteArray(), offsetBytes)) {
      throw bad;
    }
    return new CtrParameterSpec(Arrays.copyOfRange(der, 4, 20), offset.longValueExact());
  }
}
