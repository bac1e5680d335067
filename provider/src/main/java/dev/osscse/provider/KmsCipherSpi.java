package dev.osscse.provider;

import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Cipher} {@code KMS/ALICLOUD/NoPadding} (the format's wrap algorithm {@code KMS/ALICLOUD};
 * the JCA accepts only one- or three-part transformations, hence the padding part): wraps keys and
 * encrypts short byte strings with a KMS master key named by a {@link KmsKeyReference}.
 *
 * <p><b>Byte convention.</b> The output of {@code wrap} and of {@code doFinal} in encrypt mode is
 * the US-ASCII bytes of the KMS {@code CiphertextBlob} string; {@code new String(out, US_ASCII)} is
 * exactly the header value the official SDKs store. {@code unwrap} and decrypt-mode {@code doFinal}
 * take the same bytes (the header value's ASCII bytes); the Python oss2 double-base64 form is
 * recognised too. Input to encrypt mode is at most 4096 bytes.
 *
 * <p>One instance is not thread-safe (as any {@code Cipher}); instances sharing one key reference
 * may run on different threads at once.
 */
final class KmsCipherSpi extends CipherSpi {
  /** The JCA transformation name. */
  public static final String TRANSFORMATION = "KMS/ALICLOUD/NoPadding";

  private int opmode;
  private KmsKeyState state;
  private KmsPlaintextEncoding encoding = KmsPlaintextEncoding.BASE64;
  // The input (a raw IV or key in encrypt mode) collected until doFinal; zeroed whenever it is
  // emptied, so no copy of it outlives the call (a ByteArrayOutputStream's reset keeps the bytes).
  private byte[] buffer = new byte[0];
  private int buffered;

  @Override
  protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
    if (!"ALICLOUD".equalsIgnoreCase(mode)) {
      throw new NoSuchAlgorithmException("KMS supports only mode ALICLOUD, got " + mode);
    }
  }

  @Override
  protected void engineSetPadding(String padding) throws NoSuchPaddingException {
    if (!"NoPadding".equalsIgnoreCase(padding)) {
      throw new NoSuchPaddingException("KMS/ALICLOUD supports only NoPadding, got " + padding);
    }
  }

  @Override
  protected int engineGetBlockSize() {
    return 0;
  }

  @Override
  protected int engineGetOutputSize(int inputLen) {
    return KmsKeyState.MAX_WRAPPED_BYTES;
  }

  @Override
  protected byte[] engineGetIV() {
    return null;
  }

  @Override
  protected AlgorithmParameters engineGetParameters() {
    return null;
  }

  @Override
  protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
    if (!(key instanceof KmsKeyReference)) {
      throw new InvalidKeyException(
          "KMS/ALICLOUD needs a KmsKeyReference, got "
              + (key == null ? "null" : key.getClass().getName()));
    }
    KmsKeyReference ref = (KmsKeyReference) key;
    if (ref.isDestroyed()) {
      throw new InvalidKeyException("KmsKeyReference is destroyed");
    }
    if (opmode != Cipher.ENCRYPT_MODE
        && opmode != Cipher.DECRYPT_MODE
        && opmode != Cipher.WRAP_MODE
        && opmode != Cipher.UNWRAP_MODE) {
      throw new InvalidKeyException("unknown opmode " + opmode);
    }
    this.opmode = opmode;
    this.state = ref.state();
    this.encoding = KmsPlaintextEncoding.BASE64;
    clearBuffer();
  }

  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    if (params != null && !(params instanceof KmsPlaintextEncoding)) {
      throw new InvalidAlgorithmParameterException(
          "KMS/ALICLOUD takes only a KmsPlaintextEncoding, got " + params.getClass().getName());
    }
    if (params == KmsPlaintextEncoding.TEXT
        && opmode != Cipher.ENCRYPT_MODE
        && opmode != Cipher.DECRYPT_MODE) {
      throw new InvalidAlgorithmParameterException(
          "KmsPlaintextEncoding.TEXT applies to encrypt and decrypt mode only");
    }
    engineInit(opmode, key, random);
    if (params != null) {
      this.encoding = (KmsPlaintextEncoding) params;
    }
  }

  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    if (params != null) {
      throw new InvalidAlgorithmParameterException("KMS/ALICLOUD takes no parameters");
    }
    engineInit(opmode, key, random);
  }

  @Override
  protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
    append(input, inputOffset, inputLen);
    return new byte[0];
  }

  @Override
  protected int engineUpdate(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset) {
    append(input, inputOffset, inputLen);
    return 0;
  }

  @Override
  protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
      throws IllegalBlockSizeException, BadPaddingException {
    append(input, inputOffset, inputLen);
    byte[] in = Arrays.copyOf(buffer, buffered);
    clearBuffer();
    try {
      if (opmode == Cipher.ENCRYPT_MODE) {
        if (in.length == 0 || in.length > KmsKeyState.MAX_PLAINTEXT_BYTES) {
          throw new IllegalBlockSizeException(
              "input must be 1.." + KmsKeyState.MAX_PLAINTEXT_BYTES + " bytes, got " + in.length);
        }
        return state.encryptBytes(in, encoding).getBytes(StandardCharsets.US_ASCII);
      }
      if (opmode == Cipher.DECRYPT_MODE) {
        return state.decryptBytes(new String(in, StandardCharsets.US_ASCII), encoding);
      }
      throw new IllegalStateException("cipher not initialised for encrypt or decrypt");
    } finally {
      Arrays.fill(in, (byte) 0);
    }
  }

  @Override
  protected int engineDoFinal(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    byte[] out = engineDoFinal(input, inputOffset, inputLen);
    try {
      if (output.length - outputOffset < out.length) {
        throw new ShortBufferException("output needs " + out.length + " bytes");
      }
      System.arraycopy(out, 0, output, outputOffset, out.length);
      return out.length;
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  @Override
  protected byte[] engineWrap(Key key) throws IllegalBlockSizeException, InvalidKeyException {
    if (opmode != Cipher.WRAP_MODE) {
      throw new IllegalStateException("cipher not initialised for wrap");
    }
    if (key == null) {
      throw new InvalidKeyException("key to wrap is null");
    }
    byte[] raw = key.getEncoded();
    if (raw == null || raw.length == 0 || raw.length > KmsKeyState.MAX_PLAINTEXT_BYTES) {
      throw new InvalidKeyException("key to wrap has no usable encoding: " + key.getAlgorithm());
    }
    try {
      KmsDataKey dk = key instanceof KmsDataKey ? (KmsDataKey) key : null;
      return state.wrapKey(raw, dk).getBytes(StandardCharsets.US_ASCII);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  @Override
  protected Key engineUnwrap(byte[] wrappedKey, String wrappedKeyAlgorithm, int wrappedKeyType)
      throws InvalidKeyException, NoSuchAlgorithmException {
    if (opmode != Cipher.UNWRAP_MODE) {
      throw new IllegalStateException("cipher not initialised for unwrap");
    }
    if (wrappedKeyType != Cipher.SECRET_KEY) {
      throw new InvalidKeyException("KMS/ALICLOUD unwraps only secret keys");
    }
    if (wrappedKey == null || wrappedKey.length == 0) {
      throw KmsErrors.unwrapFailed(new IllegalArgumentException());
    }
    byte[] raw = state.unwrapKey(new String(wrappedKey, StandardCharsets.US_ASCII));
    try {
      return new SecretKeySpec(raw, wrappedKeyAlgorithm);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  @Override
  protected int engineGetKeySize(Key key) throws InvalidKeyException {
    if (!(key instanceof KmsKeyReference)) {
      throw new InvalidKeyException("KMS/ALICLOUD needs a KmsKeyReference");
    }
    return 256;
  }

  private void append(byte[] input, int off, int len) {
    if (state == null) {
      throw new IllegalStateException("cipher not initialised");
    }
    if (input != null && len > 0) {
      if (buffered + len > KmsKeyState.MAX_WRAPPED_BYTES) {
        clearBuffer();
        throw new IllegalStateException(
            "input exceeds " + KmsKeyState.MAX_WRAPPED_BYTES + " bytes");
      }
      if (buffered + len > buffer.length) {
        byte[] grown =
            Arrays.copyOf(
                buffer,
                Math.min(KmsKeyState.MAX_WRAPPED_BYTES, Math.max(64, 2 * (buffered + len))));
        Arrays.fill(buffer, (byte) 0);
        buffer = grown;
      }
      System.arraycopy(input, off, buffer, buffered, len);
      buffered += len;
    }
  }

  /** Zeroes and empties the input buffer. */
  private void clearBuffer() {
    Arrays.fill(buffer, (byte) 0);
    buffered = 0;
  }

  /** The input buffer's backing array, for the test that checks it is zeroed. */
  byte[] bufferForTest() {
    return buffer;
  }
}
