package dev.osscse.oss;

import dev.osscse.oss.internal.LenientBase64;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;

/**
 * Creates and opens envelopes: content-key generation and key wrapping through the project's JCA
 * provider.
 *
 * <p><b>What it is.</b> {@link #seal(MasterKey)} draws a fresh 32-byte CEK and a 16-byte IV with
 * bytes 8-11 zero (FMT-2), wraps each separately with the master key (FMT-4) and returns both the
 * {@link ContentKey} and an {@link Envelope.Builder} to which callers add lengths (and, for
 * multipart, data-size and part-size). {@link #open(Envelope, MasterKeyRing)} selects the master
 * key and unwraps.
 *
 * <p><b>Security guarantees.</b> Every cipher comes from the provider instance given here ({@code
 * Cipher.getInstance(t, provider)}); nothing depends on global registration. Every unwrap failure,
 * whatever the cause, is an {@link InvalidKeyException} with the one message {@value
 * #UNWRAP_FAILED}.
 *
 * <p><b>Restrictions.</b> Thread-safe; a new {@link Cipher} is made per operation.
 *
 * <pre>{@code
 * EnvelopeCrypto crypto = new EnvelopeCrypto(provider, new SecureRandom());
 * EnvelopeCrypto.Sealed s = crypto.seal(masterKey);
 * Envelope env = s.envelope().unencryptedLength(n).build();
 * Cipher enc = s.contentKey().newCipher(Cipher.ENCRYPT_MODE, 0);
 * }</pre>
 */
public final class EnvelopeCrypto {
  /** The single message of every unwrap failure. */
  public static final String UNWRAP_FAILED = "unwrap failed";

  /** CEK length written (AES-256). */
  public static final int CEK_LENGTH = 32;

  /** IV length. */
  public static final int IV_LENGTH = 16;

  private final Provider provider;
  private final SecureRandom random;

  /** Uses the given provider for every cipher and the given RNG for CEK, IV and RSA padding. */
  public EnvelopeCrypto(Provider provider, SecureRandom random) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The provider every cipher comes from. */
  public Provider provider() {
    return provider;
  }

  /** A new content key and the envelope that carries it, wrapped with {@code masterKey}. */
  public record Sealed(ContentKey contentKey, Envelope.Builder envelope) {}

  /** Generates a content key and wraps it (FMT-2, FMT-4). */
  public Sealed seal(MasterKey masterKey) throws GeneralSecurityException {
    byte[] cek = new byte[CEK_LENGTH];
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(cek);
    random.nextBytes(iv);
    iv[8] = 0;
    iv[9] = 0;
    iv[10] = 0;
    iv[11] = 0;
    try {
      WrapAlgorithm alg = masterKey.writeAlgorithm();
      byte[] wrappedKey = wrap(masterKey, alg, cek);
      byte[] wrappedIv = wrap(masterKey, alg, iv);
      Envelope.Builder b =
          Envelope.builder(wrappedKey, wrappedIv, alg).matDesc(masterKey.description());
      return new Sealed(new ContentKey(cek, iv, provider), b);
    } finally {
      Arrays.fill(cek, (byte) 0);
      Arrays.fill(iv, (byte) 0);
    }
  }

  /**
   * Wraps an existing content key under another master key (key rotation): the CEK and IV are
   * wrapped separately (FMT-4) and the content, encrypted under them, stays valid as it is.
   */
  public Envelope.Builder rewrap(ContentKey contentKey, MasterKey masterKey)
      throws GeneralSecurityException {
    byte[] cek = contentKey.cekBytes();
    byte[] iv = contentKey.ivBytes();
    try {
      WrapAlgorithm alg = masterKey.writeAlgorithm();
      return Envelope.builder(wrap(masterKey, alg, cek), wrap(masterKey, alg, iv), alg)
          .matDesc(masterKey.description());
    } finally {
      Arrays.fill(cek, (byte) 0);
      Arrays.fill(iv, (byte) 0);
    }
  }

  /**
   * Selects the master key for {@code envelope} and unwraps its content key.
   *
   * @throws NoMatchingMasterKeyException if the ring has no fitting key
   * @throws InvalidKeyException with message {@value #UNWRAP_FAILED} on any unwrap failure
   */
  public ContentKey open(Envelope envelope, MasterKeyRing ring) throws GeneralSecurityException {
    return open(envelope, ring.select(envelope));
  }

  /** Unwraps with a given master key, whose kind must fit the envelope's wrap algorithm. */
  public ContentKey open(Envelope envelope, MasterKey masterKey) throws GeneralSecurityException {
    if (masterKey.kind() != envelope.wrapAlgorithm().kind() || !masterKey.canDecrypt()) {
      throw new InvalidKeyException(UNWRAP_FAILED);
    }
    byte[] cek = unwrap(masterKey, envelope.wrapAlgorithm(), envelope.wrappedKey());
    byte[] ivOrCounter = unwrap(masterKey, envelope.wrapAlgorithm(), envelope.wrappedIv());
    try {
      byte[] iv;
      if (envelope.format() == Envelope.Format.OSS2_DEPRECATED) {
        if (envelope.wrapAlgorithm() == WrapAlgorithm.KMS_ALICLOUD
            && cek.length != CEK_LENGTH
            && LenientBase64.looksLikeBase64Text(cek)) {
          byte[] decoded = decodeOrFail(cek);
          Arrays.fill(cek, (byte) 0);
          cek = decoded;
        }
        iv = legacyCounterToIv(ivOrCounter);
      } else {
        iv = ivOrCounter.clone();
      }
      if ((cek.length != 16 && cek.length != 24 && cek.length != 32) || iv.length != IV_LENGTH) {
        throw new InvalidKeyException(UNWRAP_FAILED);
      }
      try {
        return new ContentKey(cek, iv, provider);
      } finally {
        Arrays.fill(iv, (byte) 0);
      }
    } finally {
      Arrays.fill(cek, (byte) 0);
      Arrays.fill(ivOrCounter, (byte) 0);
    }
  }

  private byte[] wrap(MasterKey key, WrapAlgorithm alg, byte[] secret)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(alg.transformation(), provider);
    c.init(Cipher.ENCRYPT_MODE, key.wrappingKey(), random);
    return c.doFinal(secret);
  }

  private byte[] unwrap(MasterKey key, WrapAlgorithm alg, byte[] wrapped)
      throws InvalidKeyException {
    try {
      Cipher c = Cipher.getInstance(alg.transformation(), provider);
      c.init(Cipher.DECRYPT_MODE, key.unwrappingKey(), random);
      return c.doFinal(wrapped);
    } catch (GeneralSecurityException | RuntimeException e) {
      // One type, one message, no cause: the cause may distinguish padding failures (spec 9.3).
      throw new InvalidKeyException(UNWRAP_FAILED);
    }
  }

  private static byte[] decodeOrFail(byte[] text) throws InvalidKeyException {
    try {
      return LenientBase64.decode(new String(text, StandardCharsets.US_ASCII), 64);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException(UNWRAP_FAILED);
    }
  }

  /**
   * The deprecated oss2 start decrypts to the whole initial counter as a decimal ASCII integer
   * (spec 7.3); it becomes the 16-byte big-endian counter block.
   */
  static byte[] legacyCounterToIv(byte[] decimal) throws InvalidKeyException {
    if (decimal.length == 0 || decimal.length > 39) {
      throw new InvalidKeyException(UNWRAP_FAILED);
    }
    for (byte b : decimal) {
      if (b < '0' || b > '9') {
        throw new InvalidKeyException(UNWRAP_FAILED);
      }
    }
    BigInteger n = new BigInteger(new String(decimal, StandardCharsets.US_ASCII));
    if (n.bitLength() > 128) {
      throw new InvalidKeyException(UNWRAP_FAILED);
    }
    byte[] raw = n.toByteArray();
    byte[] iv = new byte[IV_LENGTH];
    int copy = Math.min(raw.length, IV_LENGTH);
    System.arraycopy(raw, raw.length - copy, iv, IV_LENGTH - copy, copy);
    return iv;
  }
}
