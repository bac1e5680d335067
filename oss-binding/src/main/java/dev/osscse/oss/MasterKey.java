package dev.osscse.oss;

import dev.osscse.provider.KmsKeyReference;
import java.security.Key;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A master key that wraps and unwraps content keys, with its material description.
 *
 * <p><b>What it is.</b> An RSA key pair (either half may be absent for encrypt-only or decrypt-only
 * use) or a KMS key reference, plus the description map that is written as {@code
 * client-side-encryption-matdesc} and used by {@link MasterKeyRing} to pick the key on read.
 *
 * <p><b>Security guarantees.</b> Holds references to the caller's key objects; {@link #toString()}
 * shows the kind and the description keys only.
 *
 * <p><b>Restrictions.</b> An RSA master key writes {@code RSA/NONE/PKCS1Padding} (FMT-6) and can
 * read PKCS#1 v1.5 and OAEP-SHA-1 envelopes. A KMS master key writes and reads {@code
 * KMS/ALICLOUD}.
 *
 * <pre>{@code
 * MasterKey rsa = MasterKey.rsa(keyPair, Map.of("desc", "prod"));
 * MasterKey kms = MasterKey.kms(kmsKeyReference, Map.of());
 * }</pre>
 */
public final class MasterKey {
  private final PublicKey publicKey; // RSA, may be null
  private final PrivateKey privateKey; // RSA, may be null
  private final Key kmsKey; // KMS
  private final SortedMap<String, String> description;

  private MasterKey(
      PublicKey publicKey, PrivateKey privateKey, Key kmsKey, Map<String, String> description) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.kmsKey = kmsKey;
    this.description =
        Envelope.sortedCopy(Objects.requireNonNull(description, "description"), "description");
  }

  /** An RSA master key from a key pair (both halves present). */
  public static MasterKey rsa(KeyPair pair, Map<String, String> description) {
    Objects.requireNonNull(pair, "pair");
    return rsa(pair.getPublic(), pair.getPrivate(), description);
  }

  /**
   * An RSA master key; {@code publicKey} may be null for a decrypt-only key and {@code privateKey}
   * null for an encrypt-only key, not both.
   */
  public static MasterKey rsa(
      PublicKey publicKey, PrivateKey privateKey, Map<String, String> description) {
    if (publicKey == null && privateKey == null) {
      throw new IllegalArgumentException("an RSA master key needs a public or a private key");
    }
    if ((publicKey != null && !(publicKey instanceof RSAKey))
        || (privateKey != null && !(privateKey instanceof RSAKey))) {
      throw new IllegalArgumentException("RSA master keys must be RSA keys");
    }
    return new MasterKey(publicKey, privateKey, null, description);
  }

  /**
   * A KMS master key: an opaque key reference understood by the provider's {@code
   * KMS/ALICLOUD/NoPadding} cipher. Objects are written with no encryption context unless the
   * reference carries one (the official SDKs send none).
   */
  public static MasterKey kms(KmsKeyReference kmsKeyReference, Map<String, String> description) {
    Objects.requireNonNull(kmsKeyReference, "kmsKeyReference");
    return new MasterKey(null, null, kmsKeyReference, description);
  }

  /** RSA or KMS. */
  public WrapAlgorithm.Kind kind() {
    return kmsKey != null ? WrapAlgorithm.Kind.KMS : WrapAlgorithm.Kind.RSA;
  }

  /** The material description, sorted, unmodifiable (empty means no matdesc header). */
  public SortedMap<String, String> description() {
    return description;
  }

  /** True if this key can wrap (RSA public key present, or KMS). */
  public boolean canEncrypt() {
    return kmsKey != null || publicKey != null;
  }

  /** True if this key can unwrap (RSA private key present, or KMS). */
  public boolean canDecrypt() {
    return kmsKey != null || privateKey != null;
  }

  /** The algorithm written when this key encrypts. */
  public WrapAlgorithm writeAlgorithm() {
    return kmsKey != null ? WrapAlgorithm.KMS_ALICLOUD : WrapAlgorithm.RSA_PKCS1;
  }

  /** The key given to {@code Cipher.init} for wrapping. */
  Key wrappingKey() {
    if (!canEncrypt()) {
      throw new IllegalStateException("this RSA master key has no public key; it cannot encrypt");
    }
    return kmsKey != null ? kmsKey : publicKey;
  }

  /** The key given to {@code Cipher.init} for unwrapping. */
  Key unwrappingKey() {
    if (!canDecrypt()) {
      throw new IllegalStateException("this RSA master key has no private key; it cannot decrypt");
    }
    return kmsKey != null ? kmsKey : privateKey;
  }

  @Override
  public String toString() {
    String halves = (publicKey != null ? " public" : "") + (privateKey != null ? " private" : "");
    return "MasterKey[" + kind() + halves + ", descriptionKeys=" + description.keySet() + "]";
  }
}
