package dev.osscse.oss.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.crypto.MultipartUploadCryptoContext;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RSA objects exchanged between the V2 face ({@link OssCseV2Client} over the real V2 client, V4
 * signatures) and the V1 side: the official {@code OSSEncryptionClient} of {@code aliyun-sdk-oss}
 * 3.18.5 with {@code SimpleRSAEncryptionMaterials}, and the V1 binding {@link OssCseClient}; single
 * puts and multipart uploads, whole and ranged reads, both directions, one local endpoint over
 * HTTP. Before a read counts, the stored bytes are checked to be ciphertext under their envelope
 * ({@link StoredCiphertext}).
 *
 * <p>Kept in its own class: the official client's crypto classes register Bouncy Castle globally.
 * The master key descriptions are equal on both sides, so the official client never takes its
 * reflection fallback (which fails on JDK 16+, docs/format.md FMT-25).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OssV2OfficialInteropTest {
  static final String B = LocalV2Bed.BUCKET;
  static final int PART = 100 * 1024;
  static final int[] SIZES = {0, 1, 16, 17, 100 * 1024 + 3, 1024 * 1024 + 7};
  static final Map<String, String> DESC = Map.of("desc", "v2-interop");

  @TempDir static Path dir;
  LocalV2Bed bed;
  KeyPair pair;
  OssCseV2Client v2;
  OSS plainV1;
  OSSEncryptionClient official;
  OssCseClient v1;

  @BeforeAll
  void start() {
    bed = new LocalV2Bed(dir.resolve("oss"));
    pair = TestKeys.rsa();
    v2 =
        OssCseV2Client.newBuilder()
            .client(bed.client())
            .encryptWith(MasterKey.rsa(pair, DESC))
            .build();
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    plainV1 = new OSSClientBuilder().build(bed.endpoint(), LocalV2Bed.AK, LocalV2Bed.SK, conf);
    official =
        new OSSEncryptionClientBuilder()
            .build(
                bed.endpoint(),
                new DefaultCredentialProvider(LocalV2Bed.AK, LocalV2Bed.SK),
                new SimpleRSAEncryptionMaterials(pair, DESC),
                conf);
    v1 = OssCseClient.builder(plainV1).encryptWith(MasterKey.rsa(pair, DESC)).build();
  }

  @AfterAll
  void stop() throws Exception {
    official.shutdown();
    plainV1.shutdown();
    bed.close();
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  void assertCiphertext(String key, byte[] plain) throws Exception {
    StoredCiphertext.assertStoredAsCiphertext(
        bed.client(), B, key, StoredCiphertext.rsa(pair.getPrivate()), plain);
  }

  byte[] officialRead(String key, long a, long b) throws Exception {
    com.aliyun.oss.model.GetObjectRequest r = new com.aliyun.oss.model.GetObjectRequest(B, key);
    if (a >= 0) {
      r.setRange(a, b);
    }
    try (OSSObject o = official.getObject(r);
        InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  static byte[] read(UnauthenticatedObjectStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  byte[] v2Read(String key, ByteRange range) throws Exception {
    return read(v2.getObject(B, key, range));
  }

  byte[] v1Read(String key, ByteRange range) throws Exception {
    return read(v1.getObject(B, key, range));
  }

  void v2Put(String key, byte[] plain) throws Exception {
    v2.putObject(
        PutObjectRequest.newBuilder().bucket(B).key(key).body(BinaryData.fromBytes(plain)).build());
  }

  /** The precondition can fail: plaintext stored with a real envelope's headers, or with none. */
  @Test
  void storedCiphertextCheck_refusesAnObjectStoredAsPlaintext() throws Exception {
    byte[] plain = data(5000, 20);
    v2Put("check/encrypted", plain);
    Map<String, String> envelope =
        bed.client()
            .headObject(
                com.aliyun.sdk.service.oss2.models.HeadObjectRequest.newBuilder()
                    .bucket(B)
                    .key("check/encrypted")
                    .build())
            .metadata();
    bed.client()
        .putObject(
            PutObjectRequest.newBuilder()
                .bucket(B)
                .key("check/plain-with-envelope")
                .metadata(envelope)
                .body(BinaryData.fromBytes(plain))
                .build());
    bed.client()
        .putObject(
            PutObjectRequest.newBuilder()
                .bucket(B)
                .key("check/plain")
                .body(BinaryData.fromBytes(plain))
                .build());
    assertCiphertext("check/encrypted", plain);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> assertCiphertext("check/plain-with-envelope", plain))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not the plaintext");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertCiphertext("check/plain", plain))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cek-alg");
    // The official reader alone would not have told: it returns the plain object as stored.
    assertThat(officialRead("check/plain", -1, -1)).isEqualTo(plain);
  }

  @Test
  void officialV1AndV1Binding_readWhatV2Writes_wholeAndRanged() throws Exception {
    Random r = new Random(21);
    for (int size : SIZES) {
      byte[] plain = data(size, size);
      String key = "v2/" + size;
      v2Put(key, plain);
      assertCiphertext(key, plain);
      assertThat(officialRead(key, -1, -1)).as("official whole %d", size).isEqualTo(plain);
      assertThat(v1Read(key, null)).as("v1 binding whole %d", size).isEqualTo(plain);
      for (int i = 0; size > 2 && i < 4; i++) {
        // The official client refuses ranges ending at 0 or open (FMT-25): ends here are >= 1.
        int a = r.nextInt(size - 1);
        int b = Math.max(1, Math.min(size - 1, a + r.nextInt(70_000)));
        byte[] want = Arrays.copyOfRange(plain, a, b + 1);
        assertThat(officialRead(key, a, b)).as("official %d: %d-%d", size, a, b).isEqualTo(want);
        assertThat(v1Read(key, ByteRange.of(a, b))).as("v1 %d-%d", a, b).isEqualTo(want);
      }
      if (size > 0) {
        int n = Math.min(size, 17);
        assertThat(v1Read(key, ByteRange.suffix(n)))
            .isEqualTo(Arrays.copyOfRange(plain, size - n, size));
      }
    }
  }

  @Test
  void v2Reads_whatOfficialV1AndV1BindingWrite_wholeRangedAndSuffix() throws Exception {
    Random r = new Random(22);
    for (int size : SIZES) {
      byte[] plain = data(size, 100 + size);
      String theirs = "official/" + size;
      String ours = "v1/" + size;
      official.putObject(B, theirs, new ByteArrayInputStream(plain));
      v1.putObject(B, ours, plain, null);
      for (String key : List.of(theirs, ours)) {
        assertCiphertext(key, plain);
        assertThat(v2Read(key, null)).as("v2 whole %s", key).isEqualTo(plain);
        for (int i = 0; size > 0 && i < 4; i++) {
          int a = r.nextInt(size);
          int b = Math.min(size - 1, a + r.nextInt(70_000));
          assertThat(v2Read(key, ByteRange.of(a, b)))
              .as("v2 %s %d-%d", key, a, b)
              .isEqualTo(Arrays.copyOfRange(plain, a, b + 1));
        }
        if (size > 0) {
          int n = Math.min(size, 33);
          assertThat(v2Read(key, ByteRange.suffix(n)))
              .isEqualTo(Arrays.copyOfRange(plain, size - n, size));
          assertThat(v2Read(key, ByteRange.from(size / 2)))
              .isEqualTo(Arrays.copyOfRange(plain, size / 2, size));
          assertThat(v2Read(key, ByteRange.of(0, 0))).containsExactly(plain[0]);
        }
      }
    }
  }

  @Test
  void officialV1AndV1Binding_readV2ParallelMultipart() throws Exception {
    byte[] plain = data(5 * PART + 123, 23);
    Path src = dir.resolve("v2-mp.bin");
    Files.write(src, plain);
    v2.multipartUploader().partSize(PART).parallelism(2).build().upload(B, "v2-mp", src, null);
    assertCiphertext("v2-mp", plain);
    assertThat(officialRead("v2-mp", -1, -1)).isEqualTo(plain);
    long a = 2L * PART - 9;
    long b = 4L * PART + 11;
    byte[] want = Arrays.copyOfRange(plain, (int) a, (int) b + 1);
    assertThat(officialRead("v2-mp", a, b)).isEqualTo(want);
    assertThat(v1Read("v2-mp", ByteRange.of(a, b))).isEqualTo(want);
    assertThat(v1Read("v2-mp", null)).isEqualTo(plain);
  }

  @Test
  void v2Reads_officialV1MultipartOutOfOrder_andV1BindingMultipart() throws Exception {
    byte[] plain = data(4 * PART + 77, 24);
    MultipartUploadCryptoContext ctx = new MultipartUploadCryptoContext();
    ctx.setPartSize(PART);
    ctx.setDataSize(plain.length);
    String id =
        official
            .initiateMultipartUpload(new InitiateMultipartUploadRequest(B, "official-mp"), ctx)
            .getUploadId();
    List<PartETag> etags = new ArrayList<>();
    for (int n : new int[] {3, 1, 5, 2, 4}) {
      int off = (n - 1) * PART;
      int len = Math.min(PART, plain.length - off);
      etags.add(
          official
              .uploadPart(
                  new UploadPartRequest(
                      B, "official-mp", id, n, new ByteArrayInputStream(plain, off, len), len),
                  ctx)
              .getPartETag());
    }
    etags.sort(Comparator.comparingInt(PartETag::getPartNumber));
    official.completeMultipartUpload(
        new CompleteMultipartUploadRequest(B, "official-mp", id, etags));

    Path src = dir.resolve("v1-mp.bin");
    Files.write(src, plain);
    v1.core()
        .multipartUploader()
        .partSize(PART)
        .parallelism(2)
        .build()
        .upload(B, "v1-mp", src, null);

    for (String key : List.of("official-mp", "v1-mp")) {
      assertCiphertext(key, plain);
      assertThat(v2Read(key, null)).as(key).isEqualTo(plain);
      long a = 2L * PART - 5;
      long b = 3L * PART + 17;
      assertThat(v2Read(key, ByteRange.of(a, b)))
          .as(key)
          .isEqualTo(Arrays.copyOfRange(plain, (int) a, (int) b + 1));
      assertThat(v2Read(key, ByteRange.suffix(100)))
          .as(key)
          .isEqualTo(Arrays.copyOfRange(plain, plain.length - 100, plain.length));
    }
  }
}
