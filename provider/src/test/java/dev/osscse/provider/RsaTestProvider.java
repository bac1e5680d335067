package dev.osscse.provider;

import java.security.Provider;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A provider holding only this package's RSA ciphers, for tests that must not depend on others. */
final class RsaTestProvider extends Provider {
  private static final long serialVersionUID = 1L;

  static final RsaTestProvider INSTANCE = new RsaTestProvider();

  private RsaTestProvider() {
    super("RsaTest", "0", "RSA wrap ciphers for tests");
    add(RsaPkcs1CipherSpi.TRANSFORMATION, RsaPkcs1CipherSpi::new);
    add(RsaOaepSha256CipherSpi.TRANSFORMATION, RsaOaepSha256CipherSpi::new);
    add(RsaOaepSha1CipherSpi.TRANSFORMATION, RsaOaepSha1CipherSpi::new);
  }

  private void add(String transformation, Supplier<RsaCipherSpi> spi) {
    putService(
        new Provider.Service(
            this, "Cipher", transformation, RsaCipherSpi.class.getName(), List.of(), Map.of()) {
          @Override
          public Object newInstance(Object ctr) {
            return spi.get();
          }
        });
  }
}
