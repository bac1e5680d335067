package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.OssCseProviders;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's opt-in RSA content-key cache, over real HTTP to the local OSS endpoint, with the RSA
 * private-key operations counted by a provider that forwards every service to the OssCse provider
 * and counts the RSA decryptions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RsaContentKeyCacheTest {
  static final int SIZE = 3 * 1024 * 1024 + 5;

  @TempDir static Path dir;
  LocalOssBed bed;
  byte[] plain;
  final CountingProvider counting = new CountingProvider();

  @BeforeAll
  void start() throws Exception {
    bed = new LocalOssBed(Files.createDirectories(dir.resolve("oss")));
    plain = LocalOssBed.data(SIZE, 8);
    bed.client().putObject(BUCKET, "cached.bin", plain, null);
    bed.client().putObject(BUCKET, "other.bin", Arrays.copyOf(plain, 1000), null);
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  OssCseClient reader(boolean cache) {
    OssCseClient.Builder b =
        OssCseClient.builder(bed.oss)
            .provider(counting)
            .decryptWith(MasterKeyRing.of(LocalOssBed.oldKey()));
    if (cache) {
      b.cacheRsaContentKeys(16, Duration.ofMinutes(5));
    }
    return b.build();
  }

  byte[] ranged(OssCseClient c, long from, long to) throws Exception {
    try (UnauthenticatedObjectStream in =
        c.getObject(BUCKET, "cached.bin", ByteRange.parse(from + "-" + to))) {
      return in.readAllBytes();
    }
  }

  @Test
  void cacheOn_repeatedRangedGetsAndChannels_unwrapOnlyAtTheFirstOpen() throws Exception {
    OssCseClient c = reader(true);
    int before = counting.rsaDecryptions.get();
    assertThat(ranged(c, 1000, 1_049_575)).isEqualTo(Arrays.copyOfRange(plain, 1000, 1_049_576));
    // The first open: the wrapped key and the wrapped IV, one RSA operation each.
    assertThat(counting.rsaDecryptions.get() - before).isEqualTo(2);
    int afterFirst = counting.rsaDecryptions.get();
    for (int i = 0; i < 5; i++) {
      int from = 100_000 * i + 17;
      assertThat(ranged(c, from, from + 65_535))
          .isEqualTo(Arrays.copyOfRange(plain, from, from + 65_536));
    }
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(c.core(), BUCKET, "cached.bin")) {
      ByteBuffer b = ByteBuffer.allocate(100);
      ch.position(2_000_000).read(b);
      assertThat(b.array()).isEqualTo(Arrays.copyOfRange(plain, 2_000_000, 2_000_100));
    }
    assertThat(bed.readAll(c, "cached.bin")).isEqualTo(plain);
    assertThat(counting.rsaDecryptions.get() - afterFirst).isZero();
    // Another object is another entry: its first open unwraps.
    assertThat(bed.readAll(c, "other.bin")).isEqualTo(Arrays.copyOf(plain, 1000));
    assertThat(counting.rsaDecryptions.get() - afterFirst).isEqualTo(2);
    assertThat(c.core().context().rsaKeyCache.size()).isEqualTo(2);
  }

  @Test
  void cacheOff_byDefault_everyOpenUnwraps() throws Exception {
    OssCseClient c = reader(false);
    assertThat(c.core().context().rsaKeyCache).isNull();
    int before = counting.rsaDecryptions.get();
    for (int i = 0; i < 3; i++) {
      assertThat(ranged(c, 0, 99)).isEqualTo(Arrays.copyOf(plain, 100));
    }
    assertThat(counting.rsaDecryptions.get() - before).isEqualTo(6);
  }

  @Test
  void clearKeyCache_zeroesTheKeys_andTheNextOpenUnwrapsAgain() throws Exception {
    OssCseClient c = reader(true);
    assertThat(ranged(c, 0, 99)).isEqualTo(Arrays.copyOf(plain, 100));
    String id =
        ContentKeyCache.idOf(
            EnvelopeCodec.fromUserMetadata(
                    bed.oss.getObjectMetadata(BUCKET, "cached.bin").getUserMetadata())
                .orElseThrow());
    ContentKeyCache.Entry stored = c.core().context().rsaKeyCache.storedForTest(id);
    assertThat(stored).isNotNull();
    byte[] cek = stored.cek();
    byte[] iv = stored.iv();
    assertThat(cek).isNotEqualTo(new byte[cek.length]);
    c.clearKeyCache();
    assertThat(cek).containsOnly(0);
    assertThat(iv).containsOnly(0);
    int before = counting.rsaDecryptions.get();
    assertThat(ranged(c, 0, 99)).isEqualTo(Arrays.copyOf(plain, 100));
    assertThat(counting.rsaDecryptions.get() - before).isEqualTo(2);
  }

  @Test
  void failedUnwrap_isNotCached_andStaysUniform() throws Exception {
    OssCseClient wrong =
        OssCseClient.builder(bed.oss)
            .provider(counting)
            .decryptWith(
                MasterKeyRing.of(MasterKey.rsa(LocalOssBed.newPair(), LocalOssBed.OLD_DESC)))
            .cacheRsaContentKeys(16, Duration.ofMinutes(5))
            .build();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> ranged(wrong, 0, 99))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessage(EnvelopeCrypto.UNWRAP_FAILED);
    }
    assertThat(wrong.core().context().rsaKeyCache.size()).isZero();
  }

  @Test
  void channelClose_destroysItsCopy_notTheCachedKey() throws Exception {
    OssCseClient c = reader(true);
    EncryptedObjectChannel first = EncryptedObjectChannel.open(c.core(), BUCKET, "cached.bin");
    first.close();
    int before = counting.rsaDecryptions.get();
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(c.core(), BUCKET, "cached.bin")) {
      ByteBuffer b = ByteBuffer.allocate(64);
      ch.position(5).read(b);
      assertThat(b.array()).isEqualTo(Arrays.copyOfRange(plain, 5, 69));
    }
    assertThat(counting.rsaDecryptions.get() - before).isZero();
  }

  @Test
  void builder_outOfRangeBounds_throw() {
    OssCseClient.Builder b = OssCseClient.builder(bed.oss).encryptWith(LocalOssBed.oldKey());
    assertThatThrownBy(() -> b.cacheRsaContentKeys(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> b.cacheRsaContentKeys(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAge");
    assertThatThrownBy(() -> b.cacheRsaContentKeys(1, Duration.ofHours(25)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAge");
  }

  /** Every service of the OssCse provider; RSA ciphers count the decryptions they finish. */
  static final class CountingProvider extends Provider {
    private static final long serialVersionUID = 1L;
    final transient AtomicInteger rsaDecryptions = new AtomicInteger();

    CountingProvider() {
      super("CountingOssCse", "1", "OssCse with counted RSA decryptions");
      Provider inner = OssCseProviders.provider();
      for (Service s : inner.getServices()) {
        boolean rsa = s.getType().equals("Cipher") && s.getAlgorithm().startsWith("RSA/");
        putService(
            new Service(this, s.getType(), s.getAlgorithm(), s.getClassName(), null, null) {
              @Override
              public Object newInstance(Object param) throws NoSuchAlgorithmException {
                if (!rsa) {
                  return s.newInstance(param);
                }
                try {
                  return new CountingRsaSpi(
                      Cipher.getInstance(s.getAlgorithm(), inner), rsaDecryptions);
                } catch (NoSuchPaddingException e) {
                  throw new NoSuchAlgorithmException(e);
                }
              }

              @Override
              public boolean supportsParameter(Object parameter) {
                return s.supportsParameter(parameter);
              }
            });
      }
    }
  }

  /** Forwards to a cipher of the OssCse provider and counts decryptions that finish. */
  static final class CountingRsaSpi extends CipherSpi {
    private final Cipher inner;
    private final AtomicInteger decryptions;
    private int mode;

    CountingRsaSpi(Cipher inner, AtomicInteger decryptions) {
      this.inner = inner;
      this.decryptions = decryptions;
    }

    @Override
    protected void engineSetMode(String m) throws NoSuchAlgorithmException {
      throw new NoSuchAlgorithmException("fixed transformation");
    }

    @Override
    protected void engineSetPadding(String p) throws NoSuchPaddingException {
      throw new NoSuchPaddingException("fixed transformation");
    }

    @Override
    protected int engineGetBlockSize() {
      return inner.getBlockSize();
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
      return inner.getOutputSize(inputLen);
    }

    @Override
    protected byte[] engineGetIV() {
      return inner.getIV();
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
      return inner.getParameters();
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
      mode = opmode;
      inner.init(opmode, key, random);
    }

    @Override
    protected void engineInit(
        int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      mode = opmode;
      inner.init(opmode, key, params, random);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      mode = opmode;
      inner.init(opmode, key, params, random);
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int off, int len) {
      return inner.update(input, off, len);
    }

    @Override
    protected int engineUpdate(byte[] input, int off, int len, byte[] output, int outOff)
        throws ShortBufferException {
      return inner.update(input, off, len, output, outOff);
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int off, int len)
        throws IllegalBlockSizeException, BadPaddingException {
      byte[] out = inner.doFinal(input, off, len);
      count();
      return out;
    }

    @Override
    protected int engineDoFinal(byte[] input, int off, int len, byte[] output, int outOff)
        throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
      int n = inner.doFinal(input, off, len, output, outOff);
      count();
      return n;
    }

    private void count() {
      if (mode == Cipher.DECRYPT_MODE || mode == Cipher.UNWRAP_MODE) {
        decryptions.incrementAndGet();
      }
    }
  }
}
