package dev.osscse.provider.internal.ctr;

import java.security.GeneralSecurityException;
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

  /**
   * The SunJCE provider object, looked up once per JVM (at first use): the installed-provider
   * search costs microseconds, as much as the rest of a cipher object's set-up. Null if absent.
   */
  private static final class SunJce {
    static final Provider PROVIDER = Security.getProvider(SUN_JCE);

    private SunJce() {}
  }

  private final Cipher cipher;
  private final byte[] sink = new byte[0];
  private final CounterSpec counterSpec = new CounterSpec();
  private SecretKeySpec key;

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
      super(new byte[16]);
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
    Provider sunJce = sunJce();
    try {
      cipher = Cipher.getInstance("AES/CTR/NoPadding", sunJce);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SunJCE has no AES/CTR/NoPadding", e);
    }
    AesCtrWarmup.startOnce(sunJce);
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
      int n = cipher.doFinal(sink, 0);
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
