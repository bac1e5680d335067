package dev.osscse.provider;

import dev.osscse.provider.internal.wrap.OaepParameters;
import dev.osscse.provider.internal.wrap.Pkcs1V15Padding;
import dev.osscse.provider.internal.wrap.RsaEncoding;
import dev.osscse.provider.internal.wrap.RsaRawPrimitive;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shared body of the RSA encryption and key-wrap ciphers: key-size policy, buffering, and the one
 * place where decrypt and unwrap failures are thrown.
 *
 * <p>Encrypt and wrap need an {@link RSAPublicKey}; decrypt and unwrap need an {@link
 * RSAPrivateKey}. Every decrypt failure throws {@code BadPaddingException("decryption failed")} and
 * every unwrap failure throws {@code InvalidKeyException("unwrap failed")}, with no cause, whatever
 * went wrong (length, range, padding, key).
 */
abstract class RsaCipherSpi extends CipherSpi {
  /** The message of every decrypt failure. */
  public static final String DECRYPTION_FAILED = "decryption failed";

  /** The message of every unwrap failure. */
  public static final String UNWRAP_FAILED = "unwrap failed";

  private final String transformation;
  private final String paddingName;
  private final RsaRawPrimitive raw = new RsaRawPrimitive();

  private int opmode;
  private int k;
  private RsaEncoding encoding;
  private OAEPParameterSpec oaepSpec;
  private SecureRandom random;
  private byte[] buffer;
  private int bufferLength;
  private long inputLength;

  RsaCipherSpi(String transformation, String paddingName) {
    this.transformation = transformation;
    this.paddingName = paddingName;
  }

  /**
   * Checks OAEP parameters against the transformation.
   *
   * @param requested the caller's parameters, or {@code null} for the transformation's defaults
   * @return the parameters to use, with canonical names; {@code null} for PKCS#1 v1.5
   * @throws InvalidAlgorithmParameterException if the parameters do not fit this transformation
   */
  abstract OAEPParameterSpec checkOaepSpec(OAEPParameterSpec requested)
      throws InvalidAlgorithmParameterException;

  @Override
  protected final void engineSetMode(String mode) throws NoSuchAlgorithmException {
    String m = mode.toUpperCase(Locale.ROOT);
    if (!m.equals("NONE") && !m.equals("ECB")) {
      throw new NoSuchAlgorithmException(transformation + " supports only mode NONE or ECB");
    }
  }

  @Override
  protected final void engineSetPadding(String padding) throws NoSuchPaddingException {
    if (!padding.equalsIgnoreCase(paddingName)) {
      throw new NoSuchPaddingException(transformation + " supports only padding " + paddingName);
    }
  }

  @Override
  protected final int engineGetBlockSize() {
    return 0;
  }

  @Override
  protected final int engineGetOutputSize(int inputLen) {
    return k;
  }

  @Override
  protected final byte[] engineGetIV() {
    return null;
  }

  @Override
  protected final AlgorithmParameters engineGetParameters() {
    if (oaepSpec == null) {
      return null;
    }
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("OAEP", RsaRawPrimitive.SUN_JCE);
      params.init(oaepSpec);
      return params;
    } catch (GeneralSecurityException e) {
      throw new ProviderException("SunJCE cannot encode OAEP parameters", e);
    }
  }

  @Override
  protected final int engineGetKeySize(Key key) throws InvalidKeyException {
    if (key instanceof RSAKey rsa) {
      return rsa.getModulus().bitLength();
    }
    throw new InvalidKeyException(transformation + " needs an RSA key, got " + describe(key));
  }

  @Override
  protected final void engineInit(int opmode, Key key, SecureRandom random)
      throws InvalidKeyException {
    try {
      init(opmode, key, null, random);
    } catch (InvalidAlgorithmParameterException e) {
      throw new ProviderException("no parameters were given, yet parameters were refused", e);
    }
  }

  @Override
  protected final void engineInit(
      int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    init(opmode, key, params, random);
  }

  @Override
  protected final void engineInit(
      int opmode, Key key, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    AlgorithmParameterSpec spec = null;
    if (params != null) {
      try {
        spec = params.getParameterSpec(OAEPParameterSpec.class);
      } catch (InvalidParameterSpecException e) {
        throw new InvalidAlgorithmParameterException(
            transformation + " accepts only OAEP parameters, got " + params.getAlgorithm(), e);
      }
    }
    init(opmode, key, spec, random);
  }

  private void init(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    // A failed init leaves the cipher uninitialised rather than in its previous state.
    clearBuffer();
    encoding = null;
    oaepSpec = null;
    RsaWrapParameterSpec policy = RsaWrapParameterSpec.defaults();
    OAEPParameterSpec oaep = null;
    if (params instanceof RsaWrapParameterSpec p) {
      policy = p;
      oaep = p.getOaepParameters();
    } else if (params instanceof OAEPParameterSpec p) {
      oaep = p;
    } else if (params != null) {
      throw new InvalidAlgorithmParameterException(
          transformation
              + " accepts RsaWrapParameterSpec"
              + (paddingName.startsWith("OAEP") ? " or OAEPParameterSpec" : "")
              + ", got "
              + params.getClass().getName());
    }
    OAEPParameterSpec checkedOaep = checkOaepSpec(oaep);
    RsaEncoding newEncoding =
        checkedOaep == null ? Pkcs1V15Padding.INSTANCE : OaepParameters.padding(checkedOaep);
    boolean writing = opmode == Cipher.ENCRYPT_MODE || opmode == Cipher.WRAP_MODE;
    boolean reading = opmode == Cipher.DECRYPT_MODE || opmode == Cipher.UNWRAP_MODE;
    if (!writing && !reading) {
      throw new InvalidParameterException("unknown cipher operation mode " + opmode);
    }
    SecureRandom rng = random != null ? random : new SecureRandom();
    int bits;
    if (writing) {
      if (!(key instanceof RSAPublicKey pub)) {
        throw new InvalidKeyException(
            "encrypt and wrap need an RSAPublicKey, got " + describe(key));
      }
      bits = checkModulus(pub.getModulus().bitLength(), policy.getMinWriteModulusBits(), true);
      raw.initPublic(pub, rng);
    } else {
      if (!(key instanceof RSAPrivateKey priv)) {
        throw new InvalidKeyException(
            "decrypt and unwrap need an RSAPrivateKey, got " + describe(key));
      }
      bits =
          checkModulus(priv.getModulus().bitLength(), RsaWrapParameterSpec.MIN_MODULUS_BITS, false);
      raw.initPrivate(priv, rng);
    }
    int newK = (bits + 7) / 8;
    if (newEncoding.maxMessageLength(newK) <= 0) {
      throw new InvalidKeyException(
          "RSA modulus of " + bits + " bits is too small for " + transformation);
    }
    this.opmode = opmode;
    this.k = newK;
    this.encoding = newEncoding;
    this.oaepSpec = checkedOaep;
    this.random = rng;
    this.buffer = new byte[newK];
  }

  private static int checkModulus(int bits, int minBits, boolean writing)
      throws InvalidKeyException {
    if (bits < RsaWrapParameterSpec.MIN_MODULUS_BITS) {
      throw new InvalidKeyException(
          "RSA modulus of "
              + bits
              + " bits is below the "
              + RsaWrapParameterSpec.MIN_MODULUS_BITS
              + "-bit minimum");
    }
    if (bits > RsaWrapParameterSpec.MAX_MODULUS_BITS) {
      throw new InvalidKeyException(
          "RSA modulus of "
              + bits
              + " bits is above the "
              + RsaWrapParameterSpec.MAX_MODULUS_BITS
              + "-bit maximum");
    }
    if (writing && bits < minBits) {
      throw new InvalidKeyException(
          "RSA modulus of "
              + bits
              + " bits is below the "
              + minBits
              + "-bit minimum for encrypt and wrap"
              + " (RsaWrapParameterSpec.insecureMinimumWriteModulusBits lowers it)");
    }
    return bits;
  }

  @Override
  protected final byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
    append(input, inputOffset, inputLen);
    return new byte[0];
  }

  @Override
  protected final int engineUpdate(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset) {
    append(input, inputOffset, inputLen);
    return 0;
  }

  @Override
  protected final byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
      throws IllegalBlockSizeException, BadPaddingException {
    append(input, inputOffset, inputLen);
    return finish();
  }

  @Override
  protected final int engineDoFinal(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    int room = output.length - outputOffset;
    if (room < k) {
      throw new ShortBufferException(
          "output buffer needs " + k + " bytes (the modulus size), has " + room);
    }
    append(input, inputOffset, inputLen);
    byte[] result = finish();
    System.arraycopy(result, 0, output, outputOffset, result.length);
    Arrays.fill(result, (byte) 0);
    return result.length;
  }

  private byte[] finish() throws IllegalBlockSizeException, BadPaddingException {
    requireInitialised();
    try {
      if (opmode == Cipher.ENCRYPT_MODE) {
        return encrypt(inputLength, buffer, bufferLength);
      }
      if (opmode != Cipher.DECRYPT_MODE) {
        throw new IllegalStateException("cipher is in wrap or unwrap mode; use wrap or unwrap");
      }
      byte[] plain = decryptOrNull(inputLength, buffer);
      if (plain == null) {
        throw new BadPaddingException(DECRYPTION_FAILED);
      }
      return plain;
    } finally {
      clearBuffer();
    }
  }

  @Override
  protected final byte[] engineWrap(Key key) throws IllegalBlockSizeException, InvalidKeyException {
    requireInitialised();
    byte[] encoded = key == null ? null : key.getEncoded();
    if (encoded == null) {
      throw new InvalidKeyException("key to wrap has no encoded form");
    }
    try {
      return encrypt(encoded.length, encoded, encoded.length);
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  @Override
  protected final Key engineUnwrap(
      byte[] wrappedKey, String wrappedKeyAlgorithm, int wrappedKeyType)
      throws InvalidKeyException, NoSuchAlgorithmException {
    requireInitialised();
    if (wrappedKeyType != Cipher.SECRET_KEY) {
      throw new NoSuchAlgorithmException(
          transformation + " unwraps only Cipher.SECRET_KEY, got key type " + wrappedKeyType);
    }
    if (wrappedKeyAlgorithm == null || wrappedKeyAlgorithm.isEmpty()) {
      throw new NoSuchAlgorithmException("wrapped key algorithm is missing");
    }
    byte[] plain = wrappedKey == null ? null : decryptOrNull(wrappedKey.length, wrappedKey);
    if (plain == null || !plausibleKeyLength(wrappedKeyAlgorithm, plain.length)) {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
      throw new InvalidKeyException(UNWRAP_FAILED);
    }
    try {
      return new SecretKeySpec(plain, wrappedKeyAlgorithm);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static boolean plausibleKeyLength(String algorithm, int length) {
    if (length == 0) {
      return false;
    }
    if (algorithm.equalsIgnoreCase("AES")) {
      return length == 16 || length == 24 || length == 32;
    }
    return true;
  }

  private byte[] encrypt(long messageLength, byte[] message, int available)
      throws IllegalBlockSizeException {
    int max = encoding.maxMessageLength(k);
    if (messageLength > max || messageLength != available) {
      throw new IllegalBlockSizeException(
          "RSA input of "
              + messageLength
              + " bytes is over the "
              + max
              + "-byte maximum for a "
              + k * 8
              + "-bit key with "
              + paddingName);
    }
    byte[] m = Arrays.copyOf(message, available);
    byte[] em = encoding.pad(m, k, random);
    try {
      return raw.publicOp(em);
    } catch (GeneralSecurityException e) {
      throw new ProviderException("raw RSA public-key operation failed", e);
    } finally {
      Arrays.fill(m, (byte) 0);
      Arrays.fill(em, (byte) 0);
    }
  }

  /**
   * Decrypts a ciphertext of {@code length} bytes, of which the first {@code min(length, k)} are in
   * {@code c}; returns {@code null} on any failure. Only public facts (ciphertext length, {@code c
   * >= n}) are branched on before the final, constant-time padding verdict.
   */
  private byte[] decryptOrNull(long length, byte[] c) {
    if (length != k) {
      return null;
    }
    byte[] em = raw.privateOpOrNull(Arrays.copyOf(c, k));
    if (em == null) {
      return null;
    }
    try {
      if (em.length != k) {
        return null;
      }
      int start = encoding.unpad(em);
      if (start < 0) {
        return null;
      }
      return Arrays.copyOfRange(em, start, k);
    } finally {
      Arrays.fill(em, (byte) 0);
    }
  }

  private void append(byte[] input, int offset, int len) {
    requireInitialised();
    if (input == null || len <= 0) {
      return;
    }
    int copy = (int) Math.max(0, Math.min(len, buffer.length - (long) bufferLength));
    System.arraycopy(input, offset, buffer, bufferLength, copy);
    bufferLength += copy;
    inputLength += len;
  }

  private void clearBuffer() {
    if (buffer != null) {
      Arrays.fill(buffer, (byte) 0);
    }
    bufferLength = 0;
    inputLength = 0;
  }

  private void requireInitialised() {
    if (encoding == null) {
      throw new IllegalStateException(transformation + " cipher is not initialised");
    }
  }

  private static String describe(Key key) {
    if (key == null) {
      return "null";
    }
    return key.getAlgorithm() + " key of class " + key.getClass().getName();
  }
}
