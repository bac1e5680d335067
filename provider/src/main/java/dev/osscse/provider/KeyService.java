package dev.osscse.provider;

import java.util.Map;

/**
 * Port to a remote key management service (KMS) that holds master keys and never releases them.
 *
 * <p><b>What it is.</b> The three KMS operations the envelope format needs, in the shape of the
 * Alibaba Cloud KMS API: {@code Encrypt}, {@code Decrypt} and {@code GenerateDataKey}. Plaintexts
 * travel as strings because that is what the service takes and returns; the format stores base64 of
 * raw bytes in them (see {@code KMS/ALICLOUD} in the provider).
 *
 * <p><b>Thread safety.</b> Implementations must be safe for concurrent use by any number of
 * threads; the provider shares one instance between every cipher and key generator initialised with
 * a {@link KmsKeyReference} that names it.
 *
 * <p><b>Errors.</b> Every failure, whether the service refused the call, was throttled, failed, or
 * could not be reached, is a {@link KeyServiceException} whose {@link KeyServiceException#kind()
 * kind} says which. Implementations retry what is retryable before throwing. Messages never contain
 * plaintexts.
 *
 * <p><b>Encryption context.</b> A map of non-secret strings bound to the ciphertext as associated
 * data; decrypting needs the same map. An empty map means "no context" and must be sent as no
 * context at all.
 */
public interface KeyService {

  /**
   * Encrypts a plaintext string under a master key.
   *
   * @param keyId the master key id, alias or ARN
   * @param plaintextBase64 the plaintext, by convention base64 of raw bytes; at most 6 KiB
   * @param context the encryption context, possibly empty, never null
   * @return the {@code CiphertextBlob} string exactly as the service returned it
   * @throws KeyServiceException if the call fails
   */
  String encrypt(String keyId, String plaintextBase64, Map<String, String> context)
      throws KeyServiceException;

  /**
   * Decrypts a {@code CiphertextBlob}; the blob names its master key.
   *
   * @param ciphertextBlob the blob string as {@link #encrypt} or {@link #generateDataKey} returned
   *     it
   * @param context the encryption context given when the blob was made, possibly empty
   * @return the plaintext string exactly as it was given to {@code encrypt}, or the base64 data key
   *     for a blob made by {@code generateDataKey}
   * @throws KeyServiceException if the call fails, including when the blob or context is wrong
   */
  String decrypt(String ciphertextBlob, Map<String, String> context) throws KeyServiceException;

  /**
   * Decrypts a {@code CiphertextBlob} and says which master key decrypted it (the {@code KeyId} of
   * the service's reply). A {@link KmsKeyReference} reads only through this method and refuses a
   * reply whose key is not its own, or that names no key.
   *
   * <p>The default calls {@link #decrypt} and names no key, so a reference bound to a service that
   * does not override this method refuses every read: implementations over a real service must
   * override it.
   *
   * @param ciphertextBlob the blob string
   * @param context the encryption context given when the blob was made, possibly empty
   * @return the plaintext and the id (not an alias or ARN) of the key that decrypted it
   * @throws KeyServiceException if the call fails, including when the blob or context is wrong
   */
  default Decryption decryptWithKeyId(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    return new Decryption(decrypt(ciphertextBlob, context), null);
  }

  /**
   * Returns the key id (a UUID) a key id, alias or ARN names, for comparison with the {@code KeyId}
   * of a {@code Decrypt} reply. A {@link KmsKeyReference} calls it once and keeps the answer.
   *
   * <p>The default resolves a bare key id and an ARN ending in {@code key/<key id>} locally, and
   * refuses an alias ({@link KeyServiceException.Kind#REJECTED}); implementations over a real
   * service resolve aliases with the service ({@code DescribeKey}).
   *
   * @param keyIdAliasOrArn what the caller configured
   * @return the key id
   * @throws KeyServiceException if the name cannot be resolved or the call fails
   */
  default String resolveKeyId(String keyIdAliasOrArn) throws KeyServiceException {
    String local = KeyIds.localKeyId(keyIdAliasOrArn);
    if (local == null) {
      throw new KeyServiceException(
          KeyServiceException.Kind.REJECTED,
          null,
          null,
          "this key service cannot resolve the KMS alias " + keyIdAliasOrArn,
          null);
    }
    return local;
  }

  /**
   * The reply of {@link #decryptWithKeyId}.
   *
   * @param plaintext the plaintext string
   * @param keyId the id of the master key that decrypted the blob, or null if the service did not
   *     say
   */
  record Decryption(String plaintext, String keyId) {
    /** Never shows the plaintext. */
    @Override
    public String toString() {
      return "Decryption[keyId=" + keyId + "]";
    }
  }

  /**
   * Asks the service for a fresh random data key, returned both in plaintext and wrapped.
   *
   * @param keyId the master key id, alias or ARN
   * @param numberOfBytes the data key length, 1 to 1024 (32 for AES-256)
   * @param context the encryption context, possibly empty, never null
   * @return the data key; the caller owns it and should {@link DataKey#destroy()} it after use
   * @throws KeyServiceException if the call fails
   */
  DataKey generateDataKey(String keyId, int numberOfBytes, Map<String, String> context)
      throws KeyServiceException;
}
