package dev.osscse.provider;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A key service held in memory for provider unit tests. Blobs look like real KMS blobs: base64 of a
 * 36-character key UUID followed by base64 text. A failure can be injected for the next calls.
 */
final class InMemoryKeyService implements KeyService {
  static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

  private final SecureRandom random = new SecureRandom();
  private final Map<String, String[]> blobs = new ConcurrentHashMap<>();
  final AtomicInteger encrypts = new AtomicInteger();
  final AtomicInteger decrypts = new AtomicInteger();
  final AtomicInteger generates = new AtomicInteger();
  final AtomicInteger resolves = new AtomicInteger();
  final AtomicReference<KeyServiceException> failure = new AtomicReference<>();

  /** When set, Decrypt replies name this key instead of the one that made the blob. */
  final AtomicReference<String> reportedKeyId = new AtomicReference<>();

  @Override
  public String encrypt(String keyId, String plaintextBase64, Map<String, String> context)
      throws KeyServiceException {
    encrypts.incrementAndGet();
    maybeFail();
    return store(keyId, plaintextBase64, context);
  }

  @Override
  public String decrypt(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    decrypts.incrementAndGet();
    maybeFail();
    String[] e = blobs.get(ciphertextBlob);
    if (e == null || !e[1].equals(context.toString())) {
      throw new KeyServiceException(
          KeyServiceException.Kind.REJECTED, "InvalidCiphertext", "req-1", "Decrypt failed", null);
    }
    return e[0];
  }

  @Override
  public Decryption decryptWithKeyId(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    String plaintext = decrypt(ciphertextBlob, context);
    String lie = reportedKeyId.get();
    return new Decryption(plaintext, lie != null ? lie : KEY_ID);
  }

  /** Every alias of this service names {@link #KEY_ID}; a key UUID names itself. */
  @Override
  public String resolveKeyId(String keyIdAliasOrArn) throws KeyServiceException {
    resolves.incrementAndGet();
    maybeFail();
    return keyIdAliasOrArn.length() == 36 ? keyIdAliasOrArn : KEY_ID;
  }

  @Override
  public DataKey generateDataKey(String keyId, int numberOfBytes, Map<String, String> context)
      throws KeyServiceException {
    generates.incrementAndGet();
    maybeFail();
    byte[] k = new byte[numberOfBytes];
    random.nextBytes(k);
    String b64 = Base64.getEncoder().encodeToString(k);
    return new DataKey(KEY_ID, k, store(keyId, b64, context));
  }

  private String store(String keyId, String plaintext, Map<String, String> context) {
    byte[] id = new byte[24];
    random.nextBytes(id);
    String inner = KEY_ID + Base64.getEncoder().encodeToString(id);
    String blob = Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII));
    blobs.put(blob, new String[] {plaintext, new java.util.TreeMap<>(context).toString(), keyId});
    return blob;
  }

  private void maybeFail() throws KeyServiceException {
    KeyServiceException f = failure.get();
    if (f != null) {
      throw f;
    }
  }
}
