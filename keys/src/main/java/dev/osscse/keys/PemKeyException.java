package dev.osscse.keys;

import java.security.spec.InvalidKeySpecException;

/**
 * A PEM text that {@link PemKeys} cannot turn into a key.
 *
 * <p><b>What it is.</b> The one checked exception of {@link PemKeys}. Its message names what was
 * wrong: a missing or mismatched BEGIN/END line, a PEM label that is not a supported key type, bad
 * base64, a DER structure that is not the expected ASN.1 type, an encrypted key, or a key that is
 * not RSA.
 *
 * <p><b>Security guarantees.</b> Messages never contain key material, base64 text or DER bytes;
 * they name only PEM labels, structure names and algorithm identifiers.
 */
public final class PemKeyException extends InvalidKeySpecException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming what was wrong. */
  public PemKeyException(String message) {
    super(message);
  }
}
