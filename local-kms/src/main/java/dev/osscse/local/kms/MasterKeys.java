package dev.osscse.local.kms;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local master keys, one AES-256 key per file under {@code <dir>/keys/<key-id>}, and the blob
 * format.
 *
 * <p>Blob: base64 of ASCII {@code <36-char key id><base64(version 0x01 | 12-byte nonce | AES-GCM
 * ciphertext and tag)>}, the same outer shape as a real KMS blob (a key UUID followed by base64
 * text). The GCM associated data is {@code "oss-cse-local-kms/1" 0x00 keyId 0x00 context}, where
 * context is the canonical JSON of the encryption context (keys sorted) or empty. The sealed
 * plaintext is the UTF-8 {@code Plaintext} string, so Decrypt returns exactly what Encrypt got.
 */
final class MasterKeys {
  private static final Pattern KEY_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final byte VERSION = 1;

  private final Path keyDir;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();

  MasterKeys(Path dir) throws IOException {
    this.keyDir = dir.resolve("keys");
    Files.createDirectories(keyDir);
    try (var files = Files.list(keyDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (KEY_ID.matcher(name).matches()) {
          byte[] k =
              Base64.getDecoder().decode(Files.readString(p, StandardCharsets.US_ASCII).trim());
          if (k.length == 32) {
            keys.put(name, k);
          }
        }
      }
    }
  }

  String create() throws IOException {
    String id = UUID.randomUUID().toString();
    byte[] k = new byte[32];
    random.nextBytes(k);
    Path tmp = Files.createTempFile(keyDir, "new", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system; keep the default permissions
    }
    Files.writeString(tmp, Base64.getEncoder().encodeToString(k), StandardCharsets.US_ASCII);
    Files.move(tmp, keyDir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
    keys.put(id, k);
    return id;
  }

  boolean exists(String keyId) {
    return keyId != null && keys.containsKey(keyId);
  }

  /**
   * Disables or enables a key. A disabled key neither seals nor opens ({@code
   * Forbidden.KeyNotEnabled}), as in KMS. The state lives in memory: a restart enables every key.
   */
  void setEnabled(String keyId, boolean enabled) throws KmsError {
    if (!exists(keyId)) {
      throw KmsError.keyNotFound();
    }
    if (enabled) {
      disabled.remove(keyId);
    } else {
      disabled.add(keyId);
    }
  }

  boolean isEnabled(String keyId) {
    return !disabled.contains(keyId);
  }

  Instant created(String keyId) {
    try {
      FileTime t = Files.getLastModifiedTime(keyDir.resolve(keyId));
      return t.toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  static String versionId(String keyId) {
    return UUID.nameUUIDFromBytes(("version-1/" + keyId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  String seal(String keyId, String plaintext, String canonicalContext) throws KmsError {
    byte[] k = keys.get(keyId);
    if (k == null) {
      throw KmsError.keyNotFound();
    }
    if (!isEnabled(keyId)) {
      throw KmsError.keyNotEnabled();
    }
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(keyId, canonicalContext));
      byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      ByteBuffer inner = ByteBuffer.allocate(1 + 12 + ct.length);
      inner.put(VERSION).put(nonce).put(ct);
      String text = keyId + Base64.getEncoder().encodeToString(inner.array());
      return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** Returns {keyId, plaintext}. */
  String[] open(String blob, String canonicalContext) throws KmsError {
    String text;
    byte[] inner;
    String keyId;
    try {
      text = new String(Base64.getDecoder().decode(blob), StandardCharsets.US_ASCII);
      if (text.length() < 36 + 4) {
        throw KmsError.invalidCiphertext();
      }
      keyId = text.substring(0, 36);
      inner = Base64.getDecoder().decode(text.substring(36));
    } catch (IllegalArgumentException e) {
      throw KmsError.invalidCiphertext();
    }
    byte[] k = keys.get(keyId);
    if (k == null) {
      throw KEY_ID.matcher(keyId).matches() ? KmsError.keyNotFound() : KmsError.invalidCiphertext();
    }
    if (inner.length < 1 + 12 + 16 || inner[0] != VERSION) {
      throw KmsError.invalidCiphertext();
    }
    if (!isEnabled(keyId)) {
      throw KmsError.keyNotEnabled();
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(k, "AES"),
          new GCMParameterSpec(128, inner, 1, 12));
      c.updateAAD(aad(keyId, canonicalContext));
      byte[] pt = c.doFinal(inner, 13, inner.length - 13);
      return new String[] {keyId, new String(pt, StandardCharsets.UTF_8)};
    } catch (GeneralSecurityException e) {
      throw KmsError.invalidCiphertext();
    }
  }

  private static byte[] aad(String keyId, String canonicalContext) {
    return ("oss-cse-local-kms/1\0" + keyId + "\0" + canonicalContext)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Sorted copy, for canonical JSON. */
  static TreeMap<String, String> sorted(Map<String, String> m) {
    return new TreeMap<>(m);
  }
}
