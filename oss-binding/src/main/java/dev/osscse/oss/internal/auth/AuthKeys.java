package dev.osscse.oss.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * The two HMAC-SHA256 keys of one object, {@code K_chunk} and {@code K_root}: HKDF-SHA256 of its
 * content key and IV (docs/format.md FMT-27); the content key itself is never a MAC key.
 *
 * <p>Thread-safe for {@link #newChunkMac} and {@link #root}; {@link #destroy()} zeroes both keys.
 */
public final class AuthKeys implements Destroyable, AutoCloseable {
  /** HKDF info of the chunk-tag key. */
  public static final String CHUNK_INFO = "oss-cse/auth/v1/chunk";

  /** HKDF info of the root key. */
  public static final String ROOT_INFO = "oss-cse/auth/v1/root";

  private final byte[] chunkKey;
  private final byte[] rootKey;
  private volatile boolean destroyed;

  private AuthKeys(byte[] chunkKey, byte[] rootKey) {
    this.chunkKey = chunkKey;
    this.rootKey = rootKey;
  }

  /**
   * Derives the keys of the object whose content key is {@code cek} and initial counter block is
   * {@code iv} (both as FMT-5 uses them).
   */
  public static AuthKeys derive(byte[] cek, byte[] iv) throws GeneralSecurityException {
    if (cek.length != 32) {
      throw new IllegalArgumentException(
          "authenticated objects need a 32-byte CEK, got " + cek.length);
    }
    return new AuthKeys(
        Hkdf.derive(cek, iv, CHUNK_INFO.getBytes(StandardCharsets.US_ASCII), 32),
        Hkdf.derive(cek, iv, ROOT_INFO.getBytes(StandardCharsets.US_ASCII), 32));
  }

  /** A new chunk-tag engine under {@code K_chunk}; one per stream or thread. */
  public ChunkMac newChunkMac() throws GeneralSecurityException {
    check();
    return new ChunkMac(new SecretKeySpec(chunkKey, "HmacSHA256"));
  }

  /** {@code HMAC-SHA256(K_root, message)}. */
  public byte[] root(byte[] message) throws GeneralSecurityException {
    check();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(rootKey, "HmacSHA256"));
    return mac.doFinal(message);
  }

  private void check() {
    if (destroyed) {
      throw new IllegalStateException("authentication keys destroyed");
    }
  }

  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(chunkKey, (byte) 0);
    Arrays.fill(rootKey, (byte) 0);
  }

  /** Same as {@link #destroy()}. */
  @Override
  public void close() {
    destroy();
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "AuthKeys[" + (destroyed ? "destroyed" : "live") + "]";
  }
}
