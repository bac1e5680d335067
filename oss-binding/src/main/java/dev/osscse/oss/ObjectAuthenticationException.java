package dev.osscse.oss;

import java.io.IOException;

/**
 * An object failed authentication (docs/format.md FMT-30): a client that requires authentication
 * met an object without the marker or without its record, a record that does not verify for this
 * object, or a chunk whose tag does not verify. The message names the object and the chunk index,
 * never a key or tag. A stream that threw it stays failed; no byte of a failed chunk was returned.
 *
 * <pre>{@code
 * try (InputStream in = cse.getObject("bkt", "a.bin")) {
 *   in.transferTo(out);
 * } catch (ObjectAuthenticationException e) {
 *   // do not use what was written to out
 * }
 * }</pre>
 */
public final class ObjectAuthenticationException extends IOException
    implements OssCseFailure.SecurityFailure {
  private static final long serialVersionUID = 1L;

  private final String bucket;
  private final String key;

  /** A failure of {@code bucket/key}: {@code oss://bucket/key: problem}. */
  public ObjectAuthenticationException(String bucket, String key, String problem, Throwable cause) {
    super("oss://" + bucket + "/" + key + ": " + problem, cause);
    this.bucket = bucket;
    this.key = key;
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public String key() {
    return key;
  }
}
