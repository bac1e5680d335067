package dev.osscse.oss;

import dev.osscse.oss.internal.LenientBase64;
import dev.osscse.provider.KeyServiceException;
import dev.osscse.provider.KmsDataKey;
import dev.osscse.provider.KmsKeyGenParameterSpec;
import dev.osscse.provider.KmsKeyReference;
import dev.osscse.provider.KmsPlaintextEncoding;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

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
 * #UNWRAP_FAILED} and no cause, except a KMS failure that is not about the ciphertext (the service
 * unreachable, TLS, throttled, failing, the key not found or disabled, access denied), whose {@link
 * KeyServiceException} is the cause.
 *
 * <p><b>KMS round trips.</b> {@link #seal(MasterKey)}, {@link #open} and {@link #rewrap} issue
 * their two KMS calls concurrently, so an object costs one KMS round-trip time. The second call
 * runs on the pair executor (by default a shared pool of daemon threads); when that executor is
 * saturated or refuses the task, the call runs on the calling thread instead.
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

  public static final int IV_LENGTH = 16;

  /** The default pair executor: no thread until used, threads end after 30 s idle. */
  private static final Executor SHARED_PAIR_EXECUTOR = sharedPairExecutor();

  private final Provider provider;
  private final SecureRandom random;
  private final Executor pairExecutor;

  /**
   * Uses the given provider for every cipher and the given RNG for CEK, IV and RSA padding; the
   * second call of each pair (the IV's wrap or unwrap) runs on a shared pool of at most 16 daemon
   * threads.
   */
  public EnvelopeCrypto(Provider provider, SecureRandom random) {
    this(provider, random, SHARED_PAIR_EXECUTOR);
  }

  /**
   * Like {@link #EnvelopeCrypto(Provider, SecureRandom)}, with the executor that runs the second
   * call of each pair ({@code Runnable::run} makes the calls sequential).
   */
  public EnvelopeCrypto(Provider provider, SecureRandom random, Executor pairExecutor) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.random = Objects.requireNonNull(random, "random");
    this.pairExecutor = Objects.requireNonNull(pairExecutor, "pairExecutor");
  }

  private static Executor sharedPairExecutor() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        16,
        30,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "osscse-envelope-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /** The provider every cipher comes from. */
  public Provider provider() {
    return provider;
  }

  /** A new content key and the envelope that carries it, wrapped with {@code masterKey}. */
  public record Sealed(ContentKey contentKey, Envelope.Builder envelope) {}

  /**
   * Generates a content key and wraps it (FMT-2, FMT-4). With a KMS master key the content key
   * comes from one {@code GenerateDataKey} call, whose {@code CiphertextBlob} (it decrypts to the
   * base64 of the key, like {@code Encrypt(base64(cek))}) is the wrapped key.
   *
   * @throws InvalidKeyException "data key generation failed" if {@code GenerateDataKey} fails (the
   *     cause is the key service failure)
   */
  public Sealed seal(MasterKey masterKey) throws GeneralSecurityException {
    WrapAlgorithm alg = masterKey.writeAlgorithm();
    byte[] cek = alg.kind() == WrapAlgorithm.Kind.KMS ? null : new byte[CEK_LENGTH];
    byte[] iv = new byte[IV_LENGTH];
    if (cek != null) {
      random.nextBytes(cek);
    }
    random.nextBytes(iv);
    Arrays.fill(iv, 8, 12, (byte) 0);
    try {
      if (cek == null) {
        return sealKms(masterKey, alg, iv);
      }
      return new Sealed(new ContentKey(cek, iv, provider), wrapPair(masterKey, cek, iv));
    } finally {
      if (cek != null) {
        Arrays.fill(cek, (byte) 0);
      }
      Arrays.fill(iv, (byte) 0);
    }
  }

  private Sealed sealKms(MasterKey masterKey, WrapAlgorithm alg, byte[] iv)
      throws GeneralSecurityException {
    KeyGenerator generator = KeyGenerator.getInstance("KMS/ALICLOUD", provider); // data keys
    generator.init(new KmsKeyGenParameterSpec((KmsKeyReference) masterKey.wrappingKey()), random);
    byte[] ivCopy = iv.clone();
    CompletableFuture<byte[]> wrappedIv =
        elsewhere(
            () -> {
              try {
                return wrap(masterKey, alg, ivCopy);
              } finally {
                Arrays.fill(ivCopy, (byte) 0);
              }
            });
    SecretKey generated;
    try {
      generated = generator.generateKey();
    } catch (ProviderException e) {
      throw new InvalidKeyException(
          "data key generation failed", e.getCause() != null ? e.getCause() : e);
    }
    if (!(generated instanceof KmsDataKey dataKey)) {
      throw new InvalidKeyException("data key generation failed");
    }
    try {
      byte[] cek = dataKey.getEncoded();
      try {
        byte[] wrappedKey = dataKey.getWrappedKey().getBytes(StandardCharsets.US_ASCII);
        Envelope.Builder b =
            Envelope.builder(wrappedKey, await(wrappedIv), alg).matDesc(masterKey.description());
        return new Sealed(new ContentKey(cek, iv, provider), b);
      } finally {
        Arrays.fill(cek, (byte) 0);
      }
    } finally {
      dataKey.destroy();
    }
  }

  /**
   * Wraps an existing content key under another master key (key rotation): the CEK and IV are
   * wrapped separately (FMT-4); the content, encrypted under them, stays valid as it is.
   */
  public Envelope.Builder rewrap(ContentKey contentKey, MasterKey masterKey)
      throws GeneralSecurityException {
    return contentKey.withBytes((cek, iv) -> wrapPair(masterKey, cek, iv));
  }

  private Envelope.Builder wrapPair(MasterKey masterKey, byte[] cek, byte[] iv)
      throws GeneralSecurityException {
    WrapAlgorithm alg = masterKey.writeAlgorithm();
    byte[] wrappedKey;
    byte[] wrappedIv;
    if (alg.kind() == WrapAlgorithm.Kind.KMS) {
      CompletableFuture<byte[]> ivFuture = elsewhere(() -> wrap(masterKey, alg, iv));
      try {
        wrappedKey = wrap(masterKey, alg, cek);
      } finally {
        wrappedIv = await(ivFuture); // also keeps iv alive until the wrap has read it
      }
    } else {
      wrappedKey = wrap(masterKey, alg, cek);
      wrappedIv = wrap(masterKey, alg, iv);
    }
    return Envelope.builder(wrappedKey, wrappedIv, alg).matDesc(masterKey.description());
  }

  /**
   * Unwraps the content key of {@code envelope} with the ring's candidate keys ({@link
   * MasterKeyRing#candidates(Envelope)}), in order, keeping the first that succeeds. A key that
   * fails is passed over, except that a transient KMS failure (unreachable, throttled, 5xx: a
   * {@link KeyServiceException} cause with {@link KeyServiceException#isTransient()}) ends the
   * trial at once.
   *
   * @throws NoMatchingMasterKeyException if the ring has no fitting key
   * @throws InvalidKeyException with message {@value #UNWRAP_FAILED} if every candidate fails: the
   *     first failure that carries a KMS cause (key not found, access denied...) if there is one,
   *     otherwise the same error, without cause, whichever and however many keys were tried
   */
  public ContentKey open(Envelope envelope, MasterKeyRing ring) throws GeneralSecurityException {
    InvalidKeyException serviceFailure = null;
    for (MasterKey k : ring.candidates(envelope)) {
      try {
        return open(envelope, k);
      } catch (InvalidKeyException e) {
        KeyServiceException kse = keyServiceCause(e);
        if (kse != null && kse.isTransient()) {
          throw e;
        }
        if (kse != null && serviceFailure == null) {
          serviceFailure = e;
        }
      }
    }
    throw serviceFailure != null ? serviceFailure : new InvalidKeyException(UNWRAP_FAILED);
  }

  private static KeyServiceException keyServiceCause(Throwable t) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof KeyServiceException kse) {
        return kse;
      }
    }
    return null;
  }

  /** Unwraps with a given master key, whose kind must fit the envelope's wrap algorithm. */
  public ContentKey open(Envelope envelope, MasterKey masterKey) throws GeneralSecurityException {
    if (masterKey.kind() != envelope.wrapAlgorithm().kind() || !masterKey.canDecrypt()) {
      throw new InvalidKeyException(UNWRAP_FAILED);
    }
    WrapAlgorithm alg = envelope.wrapAlgorithm();
    // The deprecated oss2 kms start decrypts to decimal counter text, with no base64 layer.
    AlgorithmParameterSpec startEncoding =
        alg.kind() == WrapAlgorithm.Kind.KMS && envelope.format() == Envelope.Format.OSS2_DEPRECATED
            ? KmsPlaintextEncoding.TEXT
            : null;
    // The key and the IV are unwrapped at the same time: two KMS round trips, or two RSA
    // private-key operations (about 0.66 ms each at 2048 bits), overlap.
    CompletableFuture<byte[]> start =
        elsewhere(() -> unwrap(masterKey, alg, envelope.wrappedIv(), startEncoding));
    byte[] cek;
    try {
      cek = unwrap(masterKey, alg, envelope.wrappedKey(), null);
    } catch (InvalidKeyException e) {
      discard(start);
      throw e;
    }
    byte[] ivOrCounter = awaitUnwrap(start, cek);
    byte[] iv = ivOrCounter;
    try {
      if (envelope.format() == Envelope.Format.OSS2_DEPRECATED) {
        if (envelope.wrapAlgorithm() == WrapAlgorithm.KMS_ALICLOUD
            && cek.length != CEK_LENGTH
            && LenientBase64.looksLikeBase64Text(cek)) {
          byte[] decoded = LenientBase64.decode(new String(cek, StandardCharsets.US_ASCII), 64);
          Arrays.fill(cek, (byte) 0);
          cek = decoded;
        }
        iv = legacyCounterToIv(ivOrCounter);
      }
      return new ContentKey(cek, iv, provider);
    } catch (IllegalArgumentException e) { // bad base64, a CEK or IV of another length (FMT-22)
      throw new InvalidKeyException(UNWRAP_FAILED);
    } finally {
      Arrays.fill(cek, (byte) 0);
      Arrays.fill(ivOrCounter, (byte) 0);
      Arrays.fill(iv, (byte) 0);
    }
  }

  private byte[] wrap(MasterKey key, WrapAlgorithm alg, byte[] secret)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(alg.transformation(), provider);
    c.init(Cipher.ENCRYPT_MODE, key.wrappingKey(), random);
    return c.doFinal(secret);
  }

  private byte[] unwrap(
      MasterKey key, WrapAlgorithm alg, byte[] wrapped, AlgorithmParameterSpec params)
      throws InvalidKeyException {
    try {
      Cipher c = Cipher.getInstance(alg.transformation(), provider);
      if (params == null) {
        c.init(Cipher.DECRYPT_MODE, key.unwrappingKey(), random);
      } else {
        c.init(Cipher.DECRYPT_MODE, key.unwrappingKey(), params, random);
      }
      return c.doFinal(wrapped);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw unwrapFailure(e);
    }
  }

  /**
   * The one unwrap failure (FMT-22; class doc): no cause, which could tell padding failures apart,
   * but a KMS failure not about the ciphertext, so an outage is not reported as a wrong key.
   */
  private static InvalidKeyException unwrapFailure(Throwable failure) {
    InvalidKeyException e = new InvalidKeyException(UNWRAP_FAILED);
    KeyServiceException kse = keyServiceCause(failure);
    if (kse != null && !kse.isCiphertextRefused()) {
      e.initCause(kse);
    }
    return e;
  }

  /**
   * Starts {@code call} on the pair executor; runs it on this thread if the executor refuses it.
   * Failures are kept in the future, never thrown here.
   */
  private CompletableFuture<byte[]> elsewhere(Callable<byte[]> call) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    Runnable task =
        () -> {
          try {
            future.complete(call.call());
          } catch (Exception | Error e) {
            future.completeExceptionally(e);
          }
        };
    try {
      pairExecutor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
    return future;
  }

  /** Waits for a call started by {@link #elsewhere} and rethrows its own failure. */
  private static byte[] await(CompletableFuture<byte[]> future) throws GeneralSecurityException {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof GeneralSecurityException cause) {
        throw cause;
      }
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Waits for an unwrap started by {@link #elsewhere}; any failure is the one unwrap failure, and
   * then {@code other}, the half already unwrapped, is zeroed.
   */
  private static byte[] awaitUnwrap(CompletableFuture<byte[]> future, byte[] other)
      throws InvalidKeyException {
    try {
      return future.join();
    } catch (RuntimeException e) {
      Arrays.fill(other, (byte) 0);
      throw unwrapFailure(e);
    }
  }

  /** Waits for an unwrap whose result is no longer wanted and zeroes it. */
  private static void discard(CompletableFuture<byte[]> future) {
    try {
      Arrays.fill(future.join(), (byte) 0);
    } catch (RuntimeException ignored) {
      // the caller reports its own failure; this one adds nothing
    }
  }

  /**
   * The deprecated oss2 start decrypts to the whole initial counter as a decimal ASCII integer
   * (docs/format.md FMT-16); it becomes the 16-byte big-endian counter block.
   */
  static byte[] legacyCounterToIv(byte[] decimal) throws InvalidKeyException {
    String text = new String(decimal, StandardCharsets.US_ASCII);
    if (text.isEmpty()
        || text.length() > 39
        || !EnvelopeCodec.isDigits(text)
        || new BigInteger(text).bitLength() > 128) {
      throw new InvalidKeyException(UNWRAP_FAILED);
    }
    byte[] raw = new BigInteger(text).toByteArray();
    byte[] iv = new byte[IV_LENGTH];
    int copy = Math.min(raw.length, IV_LENGTH);
    System.arraycopy(raw, raw.length - copy, iv, IV_LENGTH - copy, copy);
    return iv;
  }
}
