package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the official {@code com.aliyun.oss.OSSEncryptionClient} 3.18.5 and {@code
 * SimpleRSAEncryptionMaterials}, both over real HTTP to the local endpoint.
 *
 * <p>Kept in its own class: loading the SDK's crypto classes registers Bouncy Castle globally. The
 * master key descriptions are equal on both sides, so the SDK never takes its reflection fallback
 * (which fails on JDK 16+, docs/format.md FMT-25).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialSdkInteropTest {
  static final String B = LocalOssFixture.BUCKET;
  static final int[] SIZES = {0, 1, 15, 16, 17, 100 * 1024 + 3, 3 * 1024 * 1024 + 7};
  static final Map<String, String> DESC = Map.of("desc", "interop");

  @TempDir static Path dir;
  LocalOssFixture oss;
  OSSEncryptionClient official;
  OssCseClient ours;

  @BeforeAll
  void start() {
    oss = new LocalOssFixture(dir);
    pair = TestKeys.rsa();
    official =
        new OSSEncryptionClientBuilder()
            .build(
                oss.endpoint(),
                new DefaultCredentialProvider(LocalOssFixture.AK, LocalOssFixture.SK),
                new SimpleRSAEncryptionMaterials(pair, DESC));
    ours = OssCseClient.builder(oss.client()).encryptWith(MasterKey.rsa(pair, DESC)).build();
  }

  KeyPair pair;

  @AfterAll
  void stop() {
    official.shutdown();
    oss.close();
  }

  static byte[] data(int n) {
    byte[] b = new byte[n];
    new Random(31L * n + 1).nextBytes(b);
    return b;
  }

  byte[] officialRead(String key, long a, long b) throws Exception {
    GetObjectRequest r = new GetObjectRequest(B, key);
    if (a >= 0) {
      r.setRange(a, b);
    }
    try (OSSObject o = official.getObject(r);
        InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  byte[] ourRead(String key, ByteRange range) throws Exception {
    try (UnauthenticatedObjectStream in = ours.getObject(B, key, range)) {
      return in.readAllBytes();
    }
  }

  void assertStoredAsCiphertext(String key, byte[] plain) throws Exception {
    StoredCiphertext.assertStoredAsCiphertext(oss.client(), B, key, pair.getPrivate(), plain);
  }

  /** The check above can fail: plaintext stored with or without a real envelope is caught. */
  @Test
  void storedCiphertextCheck_refusesAnObjectStoredAsPlaintext() throws Exception {
    byte[] plain = data(5000);
    ours.putObject(B, "check/encrypted", plain, null);
    ObjectMetadata envelope = oss.client().getObjectMetadata(B, "check/encrypted");
    ObjectMetadata md = new ObjectMetadata();
    envelope.getUserMetadata().forEach(md::addUserMetadata);
    oss.client().putObject(B, "check/plain-with-envelope", new ByteArrayInputStream(plain), md);
    oss.client().putObject(B, "check/plain", new ByteArrayInputStream(plain));
    assertStoredAsCiphertext("check/encrypted", plain);
    assertThatThrownBy(() -> assertStoredAsCiphertext("check/plain-with-envelope", plain))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not the plaintext");
    assertThatThrownBy(() -> assertStoredAsCiphertext("check/plain", plain))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cek-alg");
    // The official reader alone would not have told: it returns the plain object as stored.
    assertThat(officialRead("check/plain", -1, -1)).isEqualTo(plain);
  }

  @Test
  void officialClient_readsWhatWeWrite_wholeAndRanged() throws Exception {
    Random r = new Random(11);
    for (int size : SIZES) {
      byte[] plain = data(size);
      String key = "ours/" + size;
      ours.putObject(B, key, plain, null);
      assertStoredAsCiphertext(key, plain);
      assertThat(officialRead(key, -1, -1)).as("whole %d", size).isEqualTo(plain);
      // The SDK refuses ranges ending at 0 (docs/format.md FMT-25), so ranges here end at >= 1.
      for (int i = 0; size > 2 && i < 8; i++) {
        int a = r.nextInt(size - 1);
        int b = Math.max(1, Math.min(size - 1, a + r.nextInt(70_000)));
        assertThat(officialRead(key, a, b))
            .as("%d: %d-%d", size, a, b)
            .isEqualTo(Arrays.copyOfRange(plain, a, b + 1));
      }
    }
  }

  /** A range the official client refuses before sending anything. */
  void assertOfficialRefuses(String key, long a, long b) {
    assertThatThrownBy(() -> officialRead(key, a, b))
        .as("%s %d~%d", key, a, b)
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("get-range is illegal");
  }

  /**
   * Suffix, first-byte, last-byte and open ranges read with the official client from objects we
   * wrote (whose stored bytes are checked as ciphertext first). What it supports must give the
   * plaintext bytes; what it does not is pinned here and listed in docs/interop.md: it refuses
   * {@code 0-0} and {@code a-}, and for a suffix {@code -n} it returns the whole object.
   */
  @Test
  void officialClient_readsOurObjects_suffixFirstByteAndLastByteRanges() throws Exception {
    for (int size : SIZES) {
      if (size == 0) {
        continue;
      }
      byte[] plain = data(size);
      String key = "ours/edge/" + size;
      ours.putObject(B, key, plain, null);
      assertStoredAsCiphertext(key, plain);
      // Last byte: supported unless it is also the first (a 1-byte object asks for 0-0).
      if (size > 1) {
        assertThat(officialRead(key, size - 1, size - 1))
            .as("last byte of %d", size)
            .containsExactly(plain[size - 1]);
      } else {
        assertOfficialRefuses(key, 0, 0);
      }
      // First byte 0-0 and open a-: refused (end <= 0, docs/format.md FMT-25).
      assertOfficialRefuses(key, 0, 0);
      assertOfficialRefuses(key, size / 2, -1);
      // Suffix -n: the server returns the last n bytes, but the official client returns the
      // whole plaintext (it does not support suffix ranges).
      int n = Math.min(size, 17);
      GetObjectRequest suffix = new GetObjectRequest(B, key);
      suffix.setRange(-1, n);
      try (OSSObject o = oss.client().getObject(suffix);
          InputStream in = o.getObjectContent()) {
        assertThat(in.readAllBytes()).as("server suffix of %d", size).hasSize(n);
      }
      assertThat(officialRead(key, -1, n))
          .as("official suffix -%d of %d", n, size)
          .isEqualTo(plain);
      // Ours gives the suffix.
      assertThat(ourRead(key, ByteRange.suffix(n)))
          .isEqualTo(Arrays.copyOfRange(plain, size - n, size));
    }
  }

  @Test
  void weRead_whatOfficialClientWrites_wholeRangedAndSuffix() throws Exception {
    Random r = new Random(12);
    for (int size : SIZES) {
      byte[] plain = data(size);
      String key = "official/" + size;
      official.putObject(B, key, new ByteArrayInputStream(plain));
      assertStoredAsCiphertext(key, plain);
      assertThat(ourRead(key, null)).as("whole %d", size).isEqualTo(plain);
      for (int i = 0; size > 0 && i < 8; i++) {
        int a = r.nextInt(size);
        int b = Math.min(size - 1, a + r.nextInt(70_000));
        assertThat(ourRead(key, ByteRange.of(a, b)))
            .as("%d: %d-%d", size, a, b)
            .isEqualTo(Arrays.copyOfRange(plain, a, b + 1));
        int n = 1 + r.nextInt(size);
        assertThat(ourRead(key, ByteRange.suffix(n)))
            .as("%d: -%d", size, n)
            .isEqualTo(Arrays.copyOfRange(plain, size - n, size));
      }
      if (size > 0) {
        assertThat(ourRead(key, ByteRange.of(0, 0))).containsExactly(plain[0]);
        assertThat(ourRead(key, ByteRange.of(size - 1, size - 1))).containsExactly(plain[size - 1]);
      }
    }
  }
}
