package dev.osscse.provider.internal.wrap;

import java.security.SecureRandom;

/** An RSA encryption padding: encode before RSAEP, check and strip after RSADP. */
public interface RsaEncoding {
  /** Largest message for a modulus of {@code k} bytes; zero or negative if none fits. */
  int maxMessageLength(int k);

  /** Encodes a message (length already checked) into a {@code k}-byte block. */
  byte[] pad(byte[] message, int k, SecureRandom random);

  /**
   * Checks a {@code k}-byte block without data-dependent branches.
   *
   * @return the index of the first message byte, or {@code -1} if the encoding is invalid
   */
  int unpad(byte[] em);
}
