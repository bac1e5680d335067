package dev.osscse.oss.reliability;

import dev.osscse.provider.DataKey;
import dev.osscse.provider.KeyService;
import dev.osscse.provider.KeyServiceException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A {@link KeyService} that passes every call on and keeps every key byte that crosses it: the
 * plaintext sent to Encrypt, returned by Decrypt, and of each generated data key. The secret scan
 * looks for all of them.
 */
final class RecordingKeyService implements KeyService {
  private final KeyService delegate;
  private final List<byte[]> keyMaterial = new ArrayList<>();

  RecordingKeyService(KeyService delegate) {
    this.delegate = delegate;
  }

  /** Every plaintext key seen so far (copies). */
  synchronized List<byte[]> keyMaterial() {
    List<byte[]> out = new ArrayList<>();
    keyMaterial.forEach(k -> out.add(k.clone()));
    return out;
  }

  private synchronized void keep(String base64) {
    keyMaterial.add(Base64.getDecoder().decode(base64));
  }

  @Override
  public String encrypt(String keyId, String plaintextBase64, Map<String, String> context)
      throws KeyServiceException {
    keep(plaintextBase64);
    return delegate.encrypt(keyId, plaintextBase64, context);
  }

  @Override
  public String decrypt(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    String plain = delegate.decrypt(ciphertextBlob, context);
    keep(plain);
    return plain;
  }

  @Override
  public Decryption decryptWithKeyId(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    Decryption d = delegate.decryptWithKeyId(ciphertextBlob, context);
    keep(d.plaintext());
    return d;
  }

  @Override
  public String resolveKeyId(String keyIdAliasOrArn) throws KeyServiceException {
    return delegate.resolveKeyId(keyIdAliasOrArn);
  }

  @Override
  public DataKey generateDataKey(String keyId, int numberOfBytes, Map<String, String> context)
      throws KeyServiceException {
    DataKey k = delegate.generateDataKey(keyId, numberOfBytes, context);
    synchronized (this) {
      keyMaterial.add(k.plaintext());
    }
    return k;
  }
}
