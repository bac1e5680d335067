package dev.osscse.oss.testing;

import dev.osscse.provider.DataKey;
import dev.osscse.provider.KeyService;
import dev.osscse.provider.KeyServiceException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * In-process stand-in for KMS: AES-GCM under one random key per key id, blobs shaped like real ones
 * (base64 of a 36-char key UUID followed by base64 text), the context bound as AAD.
 */
public final class FakeKeyService implements KeyService {
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> keys = new TreeMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  /** Registers a key id; it must be 36 chars (a UUID). */
  public synchronized FakeKeyService addKey(String uuid) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    keys.put(uuid, k);
    return this;
  }

  /** The master key of {@code uuid} (a copy), for tests that scan output for key material. */
  public synchronized byte[] keyMaterial(String uuid) {
    byte[] k = keys.get(uuid);
    if (k == null) {
      throw new IllegalArgumentException("no such key: " + uuid);
    }
    return k.clone();
  }

  /** Number of encrypt/decrypt/generate calls so far. */
  public int calls() {
    return calls.get();
  }

  private synchronized byte[] key(String id) throws KeyServiceException {
    byte[] k = keys.get(id);
    if (k == null) {
      throw new KeyServiceException(
          KeyServiceException.Kind.REJECTED, "NotFound", null, "no such key", null);
    }
    return k;
  }

  @Override
  public String encrypt(String keyId, String plaintextBase64, Map<String, String> context)
      throws KeyServiceException {
    calls.incrementAndGet();
    try {
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key(keyId), "AES"),
          new GCMParameterSpec(128, nonce));
      c.updateAAD(new TreeMap<>(context).toString().getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plaintextBase64.getBytes(StandardCharsets.UTF_8));
      byte[] body = new byte[12 + ct.length];
      System.arraycopy(nonce, 0, body, 0, 12);
      System.arraycopy(ct, 0, body, 12, ct.length);
      String inner = keyId + Base64.getEncoder().encodeToString(body);
      return Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new KeyServiceException(
          KeyServiceException.Kind.UNAVAILABLE, "Internal", null, "encrypt", null);
    }
  }

  @Override
  public String decrypt(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    calls.incrementAndGet();
    try {
      String inner =
          new String(Base64.getDecoder().decode(ciphertextBlob), StandardCharsets.US_ASCII);
      byte[] body = Base64.getDecoder().decode(inner.substring(36));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key(inner.substring(0, 36)), "AES"),
          new GCMParameterSpec(128, body, 0, 12));
      c.updateAAD(new TreeMap<>(context).toString().getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(body, 12, body.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyServiceException(
          KeyServiceException.Kind.REJECTED, "InvalidCiphertext", null, "decrypt failed", null);
    }
  }

  /** Names the key the blob was made under, as KMS does. */
  @Override
  public Decryption decryptWithKeyId(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    String plaintext = decrypt(ciphertextBlob, context);
    String inner =
        new String(Base64.getDecoder().decode(ciphertextBlob), StandardCharsets.US_ASCII);
    return new Decryption(plaintext, inner.substring(0, 36));
  }

  @Override
  public DataKey generateDataKey(String keyId, int numberOfBytes, Map<String, String> context)
      throws KeyServiceException {
    byte[] raw = new byte[numberOfBytes];
    random.nextBytes(raw);
    String blob = encrypt(keyId, Base64.getEncoder().encodeToString(raw), context);
    return new DataKey(keyId, raw, blob);
  }
}
