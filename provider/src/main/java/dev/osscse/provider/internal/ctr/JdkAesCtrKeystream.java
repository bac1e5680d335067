package dev.osscse.provider.internal.ctr;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CTR keystream from the JDK's own {@code AES/CTR/NoPadding} (provider SunJCE), whose inner loop is
 * a HotSpot intrinsic using AES-NI on x86 and the AES instructions on AArch64.
 *
 * <p>The SunJCE cipher is obtained from the SunJCE provider explicitly, never by a search that
 * could find this project's provider. It silently wraps its counter at {@code 2^128}; {@link
 * AesCtrEngine} never asks for keystream past that point.
 */
public final class JdkAesCtrKeystream implements CtrKeystreamSource {
  private static final String SUN_JCE = "SunJCE";

  private static final String TRANSFORMATION = "AES/CTR/NoPadding";

  /**
   * The SunJCE provider object, looked up once per JVM (at first use): the installed-provider
   * search costs microseconds, as much as the rest of a cipher object's set-up. Null if absent.
   */
  private static final class SunJce {
    static final Provider PROVIDER = Security.getProvider(SUN_JCE);
    static final Provider AES_LOOKUP = PROVIDER == null ? null : AesLookup.of(PROVIDER);

    private SunJce() {}
  }

  /** The output array of an empty {@code doFinal}: nothing is ever written to it. */
  private static final byte[] SINK = new byte[0];

  private final Cipher cipher;
  private final CounterSpec counterSpec = new CounterSpec();
  private SecretKeySpec key;

  /**
   * Hands {@code Cipher.getInstance} SunJCE's {@code Cipher.AES} implementation for {@code
   * AES/CTR/NoPadding} at less cost than SunJCE itself: the cipher it builds holds the {@code
   * CipherSpi} of SunJCE's own service, set by the JCA to mode CTR and padding NoPadding exactly as
   * for {@code Cipher.getInstance("AES/CTR/NoPadding", sunJce)}. What it saves is the JCA's search:
   * SunJCE's table allocates a new lookup key for each of the four names the JCA derives from the
   * transformation (three of which it does not hold), and the JCA matches the mode and padding
   * against the service's supported-modes and -paddings patterns with a new regex {@code Matcher}
   * each. Here the lookups are a comparison each, and the service states no patterns (the JCA then
   * tries the mode and padding on the SPI itself, which accepts CTR and NoPadding). The cipher's
   * {@code getProvider()} is this view; it is never handed out.
   */
  private static final class AesLookup extends Provider {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialised: a JVM-local view of SunJCE
    private final transient Service aes;

    private AesLookup(Service sunJceAes) {
      super(SUN_JCE + "-AES-lookup", "1", "SunJCE's Cipher.AES, looked up without search");
      this.aes =
          new Service(this, "Cipher", "AES", sunJceAes.getClassName(), null, null) {
            @Override
            public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
              return sunJceAes.newInstance(constructorParameter);
            }
          };
    }

    /** Returns the view, or SunJCE itself if it has no {@code Cipher.AES} service to hand out. */
    static Provider of(Provider sunJce) {
      Service aes = sunJce.getService("Cipher", "AES");
      return aes == null ? sunJce : new AesLookup(aes);
    }

    @Override
    public Service getService(String type, String algorithm) {
      // The JCA asks for "AES/CTR/NoPadding", "AES/CTR", "AES//NoPadding" and then "AES"; only the
      // last is answered, and the JCA then sets the SPI to mode CTR and padding NoPadding.
      return "AES".equals(algorithm) && "Cipher".equals(type) ? aes : null;
    }
  }

  /**
   * An {@link IvParameterSpec} whose {@code getIV()} hands out one array that this source rewrites
   * before each {@code init}, so repositioning allocates no spec and no IV copy. SunJCE keeps the
   * array it is given as the counter to return to on {@code doFinal}; the array is only rewritten
   * immediately before the next {@code init}, so that return point is always the last counter block
   * given.
   */
  private static final class CounterSpec extends IvParameterSpec {
    private final byte[] block = new byte[16];

    CounterSpec() {
      super(SINK, 0, 0); // the superclass's copy is never read: getIV() is overridden
    }

    @Override
    public byte[] getIV() {
      return block;
    }

    IvParameterSpec set(byte[] counterBlock) {
      System.arraycopy(counterBlock, 0, block, 0, 16);
      return this;
    }
  }

  /**
   * Creates the source.
   *
   * @throws IllegalStateException if the SunJCE provider or its AES/CTR cipher is not available
   */
  public JdkAesCtrKeystream() {
    sunJce();
    try {
      cipher = Cipher.getInstance(TRANSFORMATION, SunJce.AES_LOOKUP);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SunJCE has no AES/CTR/NoPadding", e);
    }
    if (cipher.getProvider() != SunJce.AES_LOOKUP) {
      throw new IllegalStateException(
          "AES/CTR/NoPadding came from " + cipher.getProvider().getName() + ", not SunJCE");
    }
    AesCtrWarmup.startOnce();
  }

  /**
   * Starts the JIT warm-up of SunJCE's AES-CTR now, on its own thread, unless it already started or
   * is turned off (see {@link AesCtrWarmup}). Returns at once; the thread looks up SunJCE itself.
   */
  public static void startWarmup() {
    AesCtrWarmup.startOnce();
  }

  /**
   * SunJCE's {@code Cipher.AES} without the JCA's search (see {@code AesLookup}), looked up once
   * per JVM, or null if SunJCE is not installed.
   */
  static Provider sunJceAesOrNull() {
    return SunJce.AES_LOOKUP;
  }

  private static Provider sunJce() {
    Provider p = SunJce.PROVIDER;
    if (p == null) {
      throw new IllegalStateException(
          "the JDK provider SunJCE is not installed; it supplies the AES block function");
    }
    return p;
  }

  @Override
  public void init(byte[] keyBytes, byte[] counterBlock) {
    key = new SecretKeySpec(keyBytes, "AES");
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, counterSpec.set(counterBlock));
    } catch (GeneralSecurityException e) {
      // Key length and IV length are checked by the caller; anything else is a bug.
      throw new IllegalStateException("SunJCE refused an AES key or counter block", e);
    }
  }

  /**
   * Keys SunJCE's cipher with the caller's {@link SecretKeySpec} itself (immutable, so it is kept
   * for {@link #restart}): SunJCE reads and checks its bytes, and no copy of them is made here.
   *
   * @throws InvalidKeyException as SunJCE's {@code init} throws it: an algorithm other than AES or
   *     Rijndael, or a length other than 16, 24 or 32 bytes
   */
  @Override
  public void init(SecretKeySpec keySpec, byte[] counterBlock) throws InvalidKeyException {
    key = null; // a refused key leaves SunJCE's cipher uninitialised: no key to restart with
    try {
      cipher.init(Cipher.ENCRYPT_MODE, keySpec, counterSpec.set(counterBlock));
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      // The IV length is checked by the caller; anything else is a bug.
      throw new IllegalStateException("SunJCE refused a counter block", e);
    }
    key = keySpec;
  }

  @Override
  public void restart(byte[] counterBlock) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, counterSpec.set(counterBlock));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SunJCE refused a counter block", e);
    }
  }

  @Override
  public void rewind() {
    try {
      // A doFinal with no input returns SunJCE's CTR state to its initial counter block without
      // re-running the key schedule or allocating.
      int n = cipher.doFinal(SINK, 0);
      if (n != 0) {
        throw new IllegalStateException(
            "SunJCE CTR returned " + n + " bytes from an empty doFinal");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SunJCE CTR refused an empty doFinal", e);
    }
  }

  @Override
  public void xor(byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
    try {
      int n = cipher.update(src, srcOff, len, dst, dstOff);
      if (n != len) {
        throw new IllegalStateException("SunJCE CTR returned " + n + " bytes for " + len);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SunJCE CTR refused an update", e);
    }
  }
}
