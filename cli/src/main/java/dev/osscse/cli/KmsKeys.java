package dev.osscse.cli;

import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** KMS key administration for {@code keygen kms}, through the binding's KMS adapter. */
final class KmsKeys {
  private KmsKeys() {}

  /** Creates a master key and returns its id. */
  static String create(AliyunKmsKeyService kms, String description) throws Exception {
    Method m;
    try {
      m = AliyunKmsKeyService.class.getMethod("createKey", String.class);
    } catch (NoSuchMethodException e) {
      throw new CliException(
          ExitCodes.GENERIC,
          "this build's KMS adapter cannot create keys; create one in the KMS console and pass"
              + " its id with --kms-key-id");
    }
    try {
      return (String) m.invoke(kms, description);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }
}
