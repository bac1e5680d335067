package dev.osscse.hadoop;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.OSSErrorCode;
import com.aliyun.oss.OSSException;
import dev.osscse.oss.UnencryptedObjectException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.security.GeneralSecurityException;

/** Translates SDK and binding failures into the IOExceptions Hadoop callers expect, once. */
final class OssErrors {
  private OssErrors() {}

  /** True if {@code e} is OSS saying the object or key does not exist. */
  static boolean isNotFound(Exception e) {
    if (e instanceof OSSException oe) {
      String code = oe.getErrorCode();
      return OSSErrorCode.NO_SUCH_KEY.equals(code) || "404".equals(code);
    }
    return false;
  }

  /** The IOException for a failed operation {@code op} on {@code path}. */
  static IOException translate(String op, Object path, Exception e) {
    if (e instanceof IOException io) {
      return io;
    }
    String where = op + " " + path;
    if (e instanceof OSSException oe) {
      String code = oe.getErrorCode();
      if (isNotFound(oe) || OSSErrorCode.NO_SUCH_BUCKET.equals(code)) {
        FileNotFoundException f = new FileNotFoundException(where + ": " + code);
        f.initCause(e);
        return f;
      }
      if (OSSErrorCode.ACCESS_DENIED.equals(code)) {
        AccessDeniedException a = new AccessDeniedException(String.valueOf(path), null, code);
        a.initCause(e);
        return a;
      }
      return new IOException(where + ": OSS error " + code, e);
    }
    if (e instanceof UnencryptedObjectException) {
      return new IOException(
          where
              + ": object has no client-side encryption envelope (set "
              + OssCseFsSettings.ALLOW_PLAINTEXT
              + "=true to read plaintext objects)",
          e);
    }
    if (e instanceof GeneralSecurityException) {
      return new IOException(where + ": " + e.getMessage(), e);
    }
    if (e instanceof ClientException) {
      return new IOException(where + ": " + e.getMessage(), e);
    }
    return new IOException(where + ": " + e, e);
  }
}
