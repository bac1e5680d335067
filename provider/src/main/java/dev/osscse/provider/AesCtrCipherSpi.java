package dev.osscse.provider;

import dev.osscse.provider.internal.ctr.AesCtrEngine;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code AES/CTR/NoPadding} with a seekable start position: the JCA shell over {@link
 * AesCtrEngine}.
 *
 * <p>Behaves like SunJCE's {@code AES/CTR/NoPadding} for every call pattern (see {@code
 * docs/differences.md} for the few deliberate differences): output length equals input length,
 * {@code doFinal} returns to the initial position, and a short output buffer throws {@link
 * ShortBufferException} without changing state. Parameters are {@link IvParameterSpec} (start at
 * byte 0) or {@link CtrParameterSpec} (start at any byte).
 */
final class AesCtrCipherSpi extends CipherSpi {
  private static final int BLOCK_SIZE = 16;

  private final Provider owner; // the provider whose service made this SPI
  private final int fixedKeySize; // bytes, or 0 for any AES size
  private final AesCtrEngine engine;
  // The key object of the last successful init, kept only when it is a SecretKeySpec (immutable):
  // re-initialising with the same object repositions the counter without reading the key again.
  private Key lastKey;

  // The IV and start offset of the last successful init are the engine's: one copy per cipher
  // object, and the fewer fields, the less a set-up allocates.
  private AesCtrCipherSpi(Provider owner, int fixedKeySize) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.fixedKeySize = fixedKeySize;
    this.engine = new AesCtrEngine();
  }

  /** The transformation this SPI was registered under, for messages. */
  private String transformation() {
    return switch (fixedKeySize) {
      case 16 -> "AES_128/CTR/NoPadding";
      case 24 -> "AES_192/CTR/NoPadding";
      case 32 -> "AES_256/CTR/NoPadding";
      default -> "AES/CTR/NoPadding";
    };
  }

  /**
   * {@code AES/CTR/NoPadding}: 16-, 24- or 32-byte keys.
   *
   * @param owner the provider whose service makes this SPI; {@code getParameters()} asks it for the
   *     seek parameters
   */
  public static AesCtrCipherSpi anyKeySize(Provider owner) {
    return new AesCtrCipherSpi(owner, 0);
  }

  /** {@code AES_128/CTR/NoPadding}: 16-byte keys only. */
  public static AesCtrCipherSpi aes128(Provider owner) {
    return new AesCtrCipherSpi(owner, 16);
  }

  /** {@code AES_192/CTR/NoPadding}: 24-byte keys only. */
  public static AesCtrCipherSpi aes192(Provider owner) {
    return new AesCtrCipherSpi(owner, 24);
  }

  /** {@code AES_256/CTR/NoPadding}: 32-byte keys only. */
  public static AesCtrCipherSpi aes256(Provider owner) {
    return new AesCtrCipherSpi(owner, 32);
  }

  @Override
  protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
    if (!"CTR".equalsIgnoreCase(mode)) {
      throw new NoSuchAlgorithmException(transformation() + " supports only mode CTR, not " + mode);
    }
  }

  @Override
  protected void engineSetPadding(String padding) throws NoSuchPaddingException {
    if (!"NoPadding".equalsIgnoreCase(padding)) {
      throw new NoSuchPaddingException(
          transformation() + " supports only NoPadding, not " + padding);
    }
  }

  @Override
  protected int engineGetBlockSize() {
    return BLOCK_SIZE;
  }

  @Override
  protected int engineGetOutputSize(int inputLen) {
    return inputLen;
  }

  @Override
  protected byte[] engineGetIV() {
    byte[] iv = engine.iv();
    return iv == null ? null : iv.clone();
  }

  @Override
  protected AlgorithmParameters engineGetParameters() {
    byte[] iv = engine.iv();
    long startOffset = engine.startPosition();
    try {
      if (iv == null) {
        // Like SunJCE: before init, parameters with a fresh random IV.
        byte[] random = new byte[BLOCK_SIZE];
        new SecureRandom().nextBytes(random);
        return jdkAesParameters(random);
      }
      if (startOffset == 0) {
        return jdkAesParameters(iv);
      }
      AlgorithmParameters p =
          AlgorithmParameters.getInstance(AesCtrSeekParametersSpi.ALGORITHM, owner);
      p.init(new CtrParameterSpec(iv, startOffset));
      return p;
    } catch (GeneralSecurityException e) {
      throw new ProviderException("cannot build AlgorithmParameters for " + transformation(), e);
    }
  }

  private static AlgorithmParameters jdkAesParameters(byte[] ivBytes)
      throws GeneralSecurityException {
    AlgorithmParameters p = AlgorithmParameters.getInstance("AES", sunJce());
    p.init(new IvParameterSpec(ivBytes));
    return p;
  }

  private static java.security.Provider sunJce() throws NoSuchAlgorithmException {
    java.security.Provider p = Security.getProvider("SunJCE");
    if (p == null) {
      throw new NoSuchAlgorithmException("the JDK provider SunJCE is not installed");
    }
    return p;
  }

  @Override
  protected int engineGetKeySize(Key key) throws InvalidKeyException {
    byte[] raw = checkKey(key);
    Arrays.fill(raw, (byte) 0);
    return raw.length * 8;
  }

  @Override
  protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
    try {
      engineInit(opmode, key, (AlgorithmParameterSpec) null, random);
    } catch (InvalidAlgorithmParameterException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    checkOpmode(opmode);
    boolean sameKey = key != null && key == lastKey;
    // A SecretKeySpec (immutable) of any AES size goes to the engine as it is: SunJCE reads and
    // checks its bytes itself, so no copy of them is made here. Other keys are read and checked
    // here.
    SecretKeySpec direct =
        !sameKey && fixedKeySize == 0 && key != null && key.getClass() == SecretKeySpec.class
            ? (SecretKeySpec) key
            : null;
    byte[] raw = sameKey || direct != null ? null : checkKey(key);
    try {
      byte[] newIv;
      long newOffset;
      try {
        if (params == null) {
          if (opmode == Cipher.DECRYPT_MODE) {
            throw new InvalidKeyException("Parameters missing");
          }
          newIv = new byte[BLOCK_SIZE];
          (random == null ? new SecureRandom() : random).nextBytes(newIv);
          newOffset = 0;
        } else if (params instanceof CtrParameterSpec ctr) {
          newIv = ctr.ivNoCopy(); // immutable spec: the engine may keep its array
          newOffset = ctr.getByteOffset();
        } else if (params instanceof IvParameterSpec ivSpec) {
          newIv = ivSpec.getIV();
          if (newIv.length != BLOCK_SIZE) {
            throw new InvalidAlgorithmParameterException("Wrong IV length: must be 16 bytes long");
          }
          newOffset = 0;
        } else {
          throw new InvalidAlgorithmParameterException(
              "Unsupported parameter: "
                  + params.getClass().getName()
                  + "; "
                  + transformation()
                  + " takes IvParameterSpec or CtrParameterSpec");
        }
        try {
          if (sameKey) {
            engine.init(newIv, newOffset);
          } else if (direct != null) {
            lastKey = null;
            engine.init(direct, newIv, newOffset);
            lastKey = direct;
          } else {
            lastKey = null;
            engine.init(raw, newIv, newOffset);
            lastKey = key.getClass() == SecretKeySpec.class ? key : null;
          }
        } catch (IllegalArgumentException e) {
          throw new InvalidAlgorithmParameterException(e.getMessage(), e);
        }
      } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
        if (direct != null) {
          // A bad key is reported before bad parameters, and in this class's words.
          Arrays.fill(checkKey(direct), (byte) 0);
        }
        throw e;
      }
    } finally {
      if (raw != null) {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }

  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    AlgorithmParameterSpec spec = null;
    if (params != null) {
      try {
        spec = params.getParameterSpec(CtrParameterSpec.class);
      } catch (InvalidParameterSpecException notCtr) {
        try {
          spec = params.getParameterSpec(IvParameterSpec.class);
        } catch (InvalidParameterSpecException e) {
          throw new InvalidAlgorithmParameterException("Wrong parameter type: IV expected", e);
        }
      }
    }
    engineInit(opmode, key, spec, random);
  }

  private void checkOpmode(int opmode) {
    if (opmode == Cipher.WRAP_MODE || opmode == Cipher.UNWRAP_MODE) {
      throw new UnsupportedOperationException(
          transformation()
              + " does not wrap keys: CTR is unauthenticated; use a key-wrap cipher instead");
    }
  }

  private byte[] checkKey(Key key) throws InvalidKeyException {
    if (key == null) {
      throw new InvalidKeyException("Key must not be null");
    }
    String alg = key.getAlgorithm();
    if (alg == null
        || !(alg.equalsIgnoreCase("AES") || alg.toUpperCase(Locale.ROOT).equals("RIJNDAEL"))) {
      throw new InvalidKeyException("Wrong algorithm: AES or Rijndael required");
    }
    byte[] raw = key.getEncoded();
    if (raw == null) {
      throw new InvalidKeyException("Key encoding must not be null");
    }
    if (fixedKeySize != 0 && raw.length != fixedKeySize) {
      int got = raw.length;
      Arrays.fill(raw, (byte) 0);
      throw new InvalidKeyException(
          transformation() + " requires a " + fixedKeySize + "-byte key, got " + got + " bytes");
    }
    if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
      int got = raw.length;
      Arrays.fill(raw, (byte) 0);
      throw new InvalidKeyException("Invalid AES key length: " + got + " bytes");
    }
    return raw;
  }

  @Override
  protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
    byte[] out = new byte[inputLen];
    if (inputLen > 0) {
      engine.process(input, inputOffset, inputLen, out, 0);
    }
    return out;
  }

  @Override
  protected int engineUpdate(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
      throws ShortBufferException {
    checkOutput(output, outputOffset, inputLen);
    if (inputLen > 0) {
      engine.process(input, inputOffset, inputLen, output, outputOffset);
    }
    return inputLen;
  }

  @Override
  protected int engineUpdate(ByteBuffer input, ByteBuffer output) throws ShortBufferException {
    int n = input.remaining();
    if (output.remaining() < n) {
      throw new ShortBufferException("Need at least " + n + " bytes of space in output buffer");
    }
    engine.process(input, output);
    return n;
  }

  @Override
  protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen) {
    byte[] out = engineUpdate(input, inputOffset, inputLen);
    engine.reset();
    return out;
  }

  @Override
  protected int engineDoFinal(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
      throws ShortBufferException {
    int n = engineUpdate(input, inputOffset, inputLen, output, outputOffset);
    engine.reset();
    return n;
  }

  @Override
  protected int engineDoFinal(ByteBuffer input, ByteBuffer output) throws ShortBufferException {
    int n = engineUpdate(input, output);
    engine.reset();
    return n;
  }

  private static void checkOutput(byte[] output, int outputOffset, int needed)
      throws ShortBufferException {
    if (output == null || output.length - outputOffset < needed) {
      throw new ShortBufferException("Output buffer must be (at least) " + needed + " bytes long");
    }
  }
}
