package dev.osscse.oss;

import dev.osscse.oss.internal.MetadataKeys;

/** No master key of a {@link MasterKeyRing} fits an object's wrap algorithm and matdesc. */
public final class NoMatchingMasterKeyException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  private final WrapAlgorithm wrapAlgorithm;

  /** Creates the exception; the message names the wrap algorithm and the matdesc keys only. */
  public NoMatchingMasterKeyException(WrapAlgorithm wrap, java.util.Set<String> matDescKeys) {
    this(wrap, matDescKeys, null, null);
  }

  /** The same, naming the object read ({@code oss://bucket/key}). */
  NoMatchingMasterKeyException(
      WrapAlgorithm wrap, java.util.Set<String> matDescKeys, String bucket, String key) {
    super(
        bucket,
        key,
        MetadataKeys.MATDESC,
        ("no master key matches this object (wrap-alg %s, matdesc keys %s) and no default"
                + " master key of that kind is set")
            .formatted(wrap.headerValue(), matDescKeys));
    this.wrapAlgorithm = wrap;
  }

  /** The object's wrap algorithm, for which no key fits (RSA or KMS: which key to give). */
  public WrapAlgorithm wrapAlgorithm() {
    return wrapAlgorithm;
  }
}
