package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.crypto.MultipartUploadCryptoContext;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.UploadPartRequest;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multipart uploads, the seekable channel and key rotation against the official {@code
 * OSSEncryptionClient} 3.18.5 with {@code SimpleRSAEncryptionMaterials}, over real HTTP to the
 * local endpoint. The server accepts UploadParts without CSE headers here, because the official
 * client sends none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewrapInteropTest {
  static final int PART = 128 * 1024;

  @TempDir static Path dir;
  LocalOssBed bed;
  OSSEncryptionClient officialOld;
  OSSEncryptionClient officialNew;
  OssCseClient oursOld;
  OssCseClient rotator;

  static OSSEncryptionClient official(LocalOssBed bed, KeyPair pair, Map<String, String> desc) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    return new OSSEncryptionClientBuilder()
        .build(
            bed.server.endpoint(),
            new DefaultCredentialProvider(LocalOssBed.AK, LocalOssBed.SK),
            new SimpleRSAEncryptionMaterials(pair, desc),
            conf);
  }

  @BeforeAll
  void start() throws Exception {
    bed = new LocalOssBed(Files.createDirectories(dir.resolve("oss")), false);
    officialOld = official(bed, LocalOssBed.oldPair(), LocalOssBed.OLD_DESC);
    officialNew = official(bed, LocalOssBed.newPair(), LocalOssBed.NEW_DESC);
    oursOld = bed.client();
    rotator =
        OssCseClient.builder(bed.oss)
            .encryptWith(LocalOssBed.newKey())
            .decryptWith(MasterKeyRing.of(LocalOssBed.oldKey()))
            .build();
  }

  @AfterAll
  void stop() {
    officialOld.shutdown();
    officialNew.shutdown();
    bed.close();
  }

  static byte[] read(OSSEncryptionClient c, String key, long a, long b) throws Exception {
    GetObjectRequest r = new GetObjectRequest(BUCKET, key);
    if (a >= 0) {
      r.setRange(a, b);
    }
    try (OSSObject o = c.getObject(r);
        InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  @Test
  void officialClient_readsOurParallelMultipartUpload_wholeAndRanged() throws Exception {
    byte[] data = LocalOssBed.data(5 * PART + 123, 1);
    Path f = dir.resolve("mp");
    Files.write(f, data);
    MultipartUploader.builder(oursOld.core())
        .partSize(PART)
        .parallelism(3)
        .build()
        .upload(BUCKET, "mp.bin", f, null);
    StoredCiphertext.assertStoredAsCiphertext(
        bed.oss, BUCKET, "mp.bin", LocalOssBed.oldPair().getPrivate(), data);
    assertThat(read(officialOld, "mp.bin", -1, -1)).isEqualTo(data);
    long a = 3L * PART - 7;
    long b = 4L * PART + 20;
    assertThat(read(officialOld, "mp.bin", a, b))
        .isEqualTo(Arrays.copyOfRange(data, (int) a, (int) b + 1));
  }

  @Test
  void rewrap_officialObject_officialReadsWithNewKeyOnly() throws Exception {
    byte[] data = LocalOssBed.data(300_000, 2);
    officialOld.putObject(BUCKET, "official.bin", new ByteArrayInputStream(data));

    RewrapResult r = ObjectRewrapper.builder(rotator.core()).build().rewrap(BUCKET, "official.bin");

    assertThat(r.multipart()).isFalse();
    StoredCiphertext.assertStoredAsCiphertext(
        bed.oss, BUCKET, "official.bin", LocalOssBed.newPair().getPrivate(), data);
    assertThat(read(officialNew, "official.bin", -1, -1)).isEqualTo(data);
    assertThat(read(officialNew, "official.bin", 1000, 99_999))
        .isEqualTo(Arrays.copyOfRange(data, 1000, 100_000));
    assertThat(bed.readAll(bed.readerOf(LocalOssBed.newKey()), "official.bin")).isEqualTo(data);
    assertThatThrownBy(() -> read(officialOld, "official.bin", -1, -1))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void rewrap_multipartReupload_officialReadsWithNewKeyOnly() throws Exception {
    byte[] data = LocalOssBed.data(4 * PART + 9, 3);
    oursOld.putObject(BUCKET, "big.bin", data, null);

    RewrapResult r =
        ObjectRewrapper.builder(rotator.core())
            .multipartThreshold(PART)
            .partSize(PART)
            .build()
            .rewrap(BUCKET, "big.bin");

    assertThat(r.multipart()).isTrue();
    StoredCiphertext.assertStoredAsCiphertext(
        bed.oss, BUCKET, "big.bin", LocalOssBed.newPair().getPrivate(), data);
    assertThat(read(officialNew, "big.bin", -1, -1)).isEqualTo(data);
    assertThatThrownBy(() -> read(officialOld, "big.bin", -1, -1))
        .isInstanceOf(RuntimeException.class);
    try (EncryptedObjectChannel ch =
        EncryptedObjectChannel.open(bed.readerOf(LocalOssBed.newKey()).core(), BUCKET, "big.bin")) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64);
      ch.position(2L * PART - 32).read(buf);
      assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(data, 2 * PART - 32, 2 * PART + 32));
    }
  }

  @Test
  void resume_uploadStartedByOfficialClient_completedByUs() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART + 40, 4);
    MultipartUploadCryptoContext ctx = new MultipartUploadCryptoContext();
    ctx.setPartSize(PART);
    ctx.setDataSize(data.length);
    String id =
        officialOld
            .initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, "started.bin"), ctx)
            .getUploadId();
    officialOld.uploadPart(
        new UploadPartRequest(
            BUCKET, "started.bin", id, 1, new ByteArrayInputStream(data, 0, PART), PART),
        ctx);
    Path f = dir.resolve("started");
    Files.write(f, data);

    // The official client's crypto context holds the content key: the token comes from it.
    ResumeToken token =
        ResumeToken.create(
            BUCKET,
            "started.bin",
            id,
            ctx.getContentCryptoMaterial().getCEK(),
            ctx.getContentCryptoMaterial().getIV(),
            PART,
            data.length);
    MultipartUploadResult r =
        MultipartUploader.builder(oursOld.core())
            .build()
            .resume(BUCKET, "started.bin", id, token, f);

    assertThat(r.resumedPartCount()).isEqualTo(1);
    assertThat(r.partCount()).isEqualTo(4);
    StoredCiphertext.assertStoredAsCiphertext(
        bed.oss, BUCKET, "started.bin", LocalOssBed.oldPair().getPrivate(), data);
    assertThat(read(officialOld, "started.bin", -1, -1)).isEqualTo(data);
    assertThat(bed.readAll(oursOld, "started.bin")).isEqualTo(data);
  }

  @Test
  void weRead_officialMultipartUpload_wholeAndRanged() throws Exception {
    byte[] data = LocalOssBed.data(4 * PART + 77, 5);
    MultipartUploadCryptoContext ctx = new MultipartUploadCryptoContext();
    ctx.setPartSize(PART);
    ctx.setDataSize(data.length);
    String id =
        officialOld
            .initiateMultipartUpload(
                new InitiateMultipartUploadRequest(BUCKET, "theirs-mp.bin"), ctx)
            .getUploadId();
    java.util.List<com.aliyun.oss.model.PartETag> etags = new java.util.ArrayList<>();
    // Parts go up out of order, as parallel uploaders do.
    for (int n : new int[] {3, 1, 5, 2, 4}) {
      int off = (n - 1) * PART;
      int len = Math.min(PART, data.length - off);
      etags.add(
          officialOld
              .uploadPart(
                  new UploadPartRequest(
                      BUCKET,
                      "theirs-mp.bin",
                      id,
                      n,
                      new ByteArrayInputStream(data, off, len),
                      len),
                  ctx)
              .getPartETag());
    }
    etags.sort(java.util.Comparator.comparingInt(com.aliyun.oss.model.PartETag::getPartNumber));
    officialOld.completeMultipartUpload(
        new com.aliyun.oss.model.CompleteMultipartUploadRequest(
            BUCKET, "theirs-mp.bin", id, etags));

    assertThat(bed.readAll(oursOld, "theirs-mp.bin")).isEqualTo(data);
    long a = 2L * PART - 5;
    long b = 3L * PART + 17;
    try (InputStream in = oursOld.getObject(BUCKET, "theirs-mp.bin", ByteRange.of(a, b))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, (int) a, (int) b + 1));
    }
    try (InputStream in = oursOld.getObject(BUCKET, "theirs-mp.bin", ByteRange.suffix(100))) {
      assertThat(in.readAllBytes())
          .isEqualTo(Arrays.copyOfRange(data, data.length - 100, data.length));
    }
  }
}
