package dev.osscse.cli;

import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * KMS key administration for {@code keygen kms}, through the binding's KMS adapter.
 *
 * <p>The adapter's key-creation call ({@code createKey(String description)} or {@code createKey()},
 * returning the new key id) is looked up at run time, so this command works as soon as the adapter
 * offers it and otherwise fails with a clear message.
 */
final class KmsKeys {
  private KmsKeys() {}

  /** Creates a master key and returns its id. */
  static String create(AliyunKmsKeyService kms, String description) throws Exception {
    Method withDescription = find("createKey", String.class);
    Method plain = withDescription == null ? find("createKey") : null;
    if (withDescription == null && plain == null) {
      throw new CliException(
          ExitCodes.GENERIC,
          "this build's KMS adapter cannot create keys; create one in the KMS console and pass"
              + " its id with --kms-key-id");
    }
    try {
      Object id =
          withDescription != null ? withDescription.invoke(kms, description) : plain.invoke(kms);
      return String.valueOf(id);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  private static Method find(String name, Class<?>... parameters) {
    try {
      Method m = AliyunKmsKeyService.class.getMethod(name, parameters);
      return m.getReturnType() == String.class ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
