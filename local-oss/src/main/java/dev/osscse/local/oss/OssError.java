package dev.osscse.local.oss;

import java.util.LinkedHashMap;
import java.util.Map;

/** An OSS error reply: HTTP status, error code, message and optional extra XML elements. */
final class OssError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final String ec;
  final transient Map<String, String> extras = new LinkedHashMap<>();

  OssError(int status, String code, String message) {
    this(status, code, message, null);
  }

  OssError(int status, String code, String message, String ec) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.ec = ec;
  }

  OssError with(String element, String value) {
    if (value != null) {
      extras.put(element, value);
    }
    return this;
  }

  static OssError noSuchBucket(String bucket) {
    return new OssError(
            404, "NoSuchBucket", "The specified bucket does not exist.", "0015-00000101")
        .with("BucketName", bucket);
  }

  static OssError noSuchKey(String key) {
    return new OssError(404, "NoSuchKey", "The specified key does not exist.", "0026-00000001")
        .with("Key", key);
  }

  static OssError noSuchUpload(String uploadId) {
    return new OssError(
            404,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may"
                + " have been aborted or completed.",
            "0042-00000002")
        .with("UploadId", uploadId);
  }

  static OssError invalidArgument(String message, String name, String value) {
    return new OssError(400, "InvalidArgument", message)
        .with("ArgumentName", name)
        .with("ArgumentValue", value);
  }

  /**
   * A client-side-encryption rule violation. The HTTP status and the error code string are
   * UNCONFIRMED against live OSS; the EC numbers follow the OSS error docs 0005-00000401..420.
   */
  static OssError cse(String ec, String message) {
    return new OssError(400, "InvalidEncryptionRequest", message, ec);
  }

  static OssError notImplemented(String what) {
    return new OssError(501, "NotImplemented", what + " is not implemented by the local endpoint.");
  }
}
