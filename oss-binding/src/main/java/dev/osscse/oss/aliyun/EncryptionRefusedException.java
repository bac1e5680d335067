package dev.osscse.oss.aliyun;

import com.aliyun.oss.ClientException;
import dev.osscse.oss.OssCseFailure;

/**
 * An OSS operation that cannot be done with client-side encryption ({@link EncryptingOss} lists
 * them) was refused instead of sending, storing or returning plaintext. Thrown by {@link
 * OssCseClient#asOss()}; {@link #operation()} names the refused {@code OSS} method.
 */
public final class EncryptionRefusedException extends ClientException implements OssCseFailure {
  private static final long serialVersionUID = 1L;

  private final String operation;

  /** Creates the exception naming the refused operation (an {@code OSS} method name) and why. */
  public EncryptionRefusedException(String operation, String why) {
    super(
        operation
            + " is refused by the client-side encryption binding: "
            + why
            + "; use the plain OSS client explicitly if plaintext is intended",
        "CseOperationRefused",
        null);
    this.operation = operation;
  }

  /** The refused operation: the name of the {@code OSS} method. */
  public String operation() {
    return operation;
  }

  /** The refused operation, as {@link #operation()}. */
  @Override
  public String field() {
    return operation;
  }
}
