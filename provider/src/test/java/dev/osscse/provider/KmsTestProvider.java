package dev.osscse.provider;

import java.security.Provider;
import java.util.List;
import java.util.Map;

/** A provider holding only the KMS services, for tests of this package. */
final class KmsTestProvider extends Provider {
  private static final long serialVersionUID = 1L;

  KmsTestProvider() {
    super("KmsTest", "0", "KMS services for tests");
    putService(
        new Provider.Service(
            this,
            "Cipher",
            "KMS/ALICLOUD/NoPadding",
            KmsCipherSpi.class.getName(),
            List.of(),
            Map.of()) {
          @Override
          public Object newInstance(Object ctr) {
            return new KmsCipherSpi();
          }
        });
    putService(
        new Provider.Service(
            this,
            "KeyGenerator",
            "KMS/ALICLOUD",
            KmsKeyGeneratorSpi.class.getName(),
            List.of(),
            Map.of()) {
          @Override
          public Object newInstance(Object ctr) {
            return new KmsKeyGeneratorSpi();
          }
        });
  }
}
