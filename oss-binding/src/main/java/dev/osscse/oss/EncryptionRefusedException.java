package dev.osscse.oss;

import com.aliyun.oss.ClientException;

/**
 * An OSS operation that cannot be done with client-side encryption (append, UploadPartCopy,
 * presigned PUT, select, image processing, a plaintext multipart upload...) was refused instead of
 * storing or returning plaintext. Thrown by {@link OssCseClient#asOss()}.
 */
public final class EncryptionRefusedException extends ClientException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the refused operation and why. */
  public EncryptionRefusedException(String operation, String why) {
    super(
        operation
            + " is refused by the client-side encryption binding: "
            + why
            + "; use the plain OSS client explicitly if plaintext is intended",
        "CseOperationRefused",
        null);
  }
}
