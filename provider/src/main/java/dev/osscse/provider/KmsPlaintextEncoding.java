package dev.osscse.provider;

import java.security.spec.AlgorithmParameterSpec;

/**
 * How the {@code KMS/ALICLOUD/NoPadding} cipher maps bytes to the KMS {@code Plaintext} string in
 * encrypt and decrypt mode. Pass it to {@code Cipher.init}; without one, {@link #BASE64} applies.
 *
 * <pre>{@code
 * // the deprecated oss2 KMS format: the start decrypts to a decimal counter, not base64
 * c.init(Cipher.DECRYPT_MODE, ref, KmsPlaintextEncoding.TEXT);
 * }</pre>
 */
public enum KmsPlaintextEncoding implements AlgorithmParameterSpec {
  /**
   * Bytes travel as base64 text: the Java/Go SDK convention and the format's (the only one wrap and
   * unwrap accept).
   */
  BASE64,
  /**
   * Bytes are the UTF-8 text itself, with no base64 layer (the deprecated oss2 {@code kms} format's
   * start value).
   */
  TEXT
}
