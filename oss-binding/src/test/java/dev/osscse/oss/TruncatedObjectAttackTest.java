package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The truncation attack on multipart objects: someone with write access stores the ciphertext of an
 * encrypted multipart object again under its own envelope, with parts left out, cut short or with
 * bytes appended. The envelope states {@code data-size} (not {@code unencrypted-content-length}),
 * so every read path must compare it with the stored size and refuse: no stream, no byte, no file
 * (FMT-8).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TruncatedObjectAttackTest {
  static final int PART = 128 * 1024;
  static final int SIZE = 3 * PART - 1000; // three parts, the last one short

  @TempDir static Path dir;
  LocalOssBed bed;
  OssCseClient cse;
  byte[] plain;

  @BeforeAll
  void start() throws Exception {
    bed = new LocalOssBed(Files.createDirectories(dir.resolve("oss")));
    cse = bed.client();
    plain = LocalOssBed.data(SIZE, 103);
    Path file = dir.resolve("plain.bin");
    Files.write(file, plain);
    MultipartUploader.builder(cse.core())
        .partSize(PART)
        .build()
        .upload(BUCKET, "victim", file, null);
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  /** Stores the victim's ciphertext, edited, under the victim's own user metadata. */
  private String plant(String key, UnaryOperator<byte[]> edit) throws Exception {
    byte[] ciphertext;
    Map<String, String> meta;
    try (OSSObject o = bed.oss.getObject(BUCKET, "victim")) {
      meta = o.getObjectMetadata().getUserMetadata();
      try (InputStream in = o.getObjectContent()) {
        ciphertext = in.readAllBytes();
      }
    }
    assertThat(meta)
        .containsKey(MetadataKeys.DATA_SIZE)
        .doesNotContainKey(MetadataKeys.UNENCRYPTED_CONTENT_LENGTH);
    ObjectMetadata md = new ObjectMetadata();
    meta.forEach(md::addUserMetadata);
    bed.oss.putObject(BUCKET, key, new ByteArrayInputStream(edit.apply(ciphertext)), md);
    return key;
  }

  @Test
  void truncatedMultipartObject_lastPartLeftOut_isRefusedOnEveryReadPath() throws Exception {
    refusedEverywhere(plant("parts-left-out", c -> Arrays.copyOf(c, 2 * PART)));
  }

  @Test
  void truncatedMultipartObject_cutInsideTheLastPart_isRefusedOnEveryReadPath() throws Exception {
    refusedEverywhere(plant("cut-short", c -> Arrays.copyOf(c, c.length - 16)));
  }

  @Test
  void extendedMultipartObject_bytesAppended_isRefusedOnEveryReadPath() throws Exception {
    refusedEverywhere(plant("appended", c -> Arrays.copyOf(c, c.length + 100)));
  }

  @Test
  void untouchedMultipartObject_readsOnEveryPath() throws Exception {
    try (UnauthenticatedObjectStream in = cse.getObject(BUCKET, "victim")) {
      assertThat(in.readAllBytes()).isEqualTo(plain);
    }
    try (UnauthenticatedObjectStream in = cse.getObject(BUCKET, "victim", ByteRange.suffix(100))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, SIZE - 100, SIZE));
    }
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), BUCKET, "victim")) {
      assertThat(ch.size()).isEqualTo(SIZE);
    }
  }

  private void refusedEverywhere(String key) throws Exception {
    for (ByteRange range :
        Arrays.asList(
            null,
            ByteRange.of(0, 99),
            ByteRange.from(PART + 5),
            ByteRange.suffix(100),
            ByteRange.of(2 * PART - 16, 2 * PART - 1))) {
      String what = key + " " + range;
      refused(what, () -> cse.getObject(new GetObjectRequest(BUCKET, key), range).close());
      Path out = Files.createDirectories(dir.resolve("out-" + key + "-" + range));
      refused(
          what + " download",
          () -> cse.downloadObject(new GetObjectRequest(BUCKET, key), range, out.resolve("f")));
      try (var left = Files.list(out)) {
        assertThat(left).as(what + ": no file, no temporary file").isEmpty();
      }
    }
    refused(key + " channel", () -> EncryptedObjectChannel.open(cse.core(), BUCKET, key).close());
    refused(
        key + " rewrap",
        () ->
            ObjectRewrapper.builder(cse.core())
                .newMasterKey(LocalOssBed.newKey())
                .build()
                .rewrap(BUCKET, key));
    assertThatThrownBy(() -> cse.asOss().getObject(BUCKET, key).close())
        .as(key + " asOss")
        .hasRootCauseInstanceOf(EnvelopeException.class)
        .rootCause()
        .hasMessageContaining(MetadataKeys.DATA_SIZE);
  }

  private static void refused(String what, ThrowingCallable read) {
    String key = what.split(" ")[0];
    assertThatThrownBy(read)
        .as(what)
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> {
              assertThat(e).isInstanceOf(OssCseFailure.SecurityFailure.class);
              assertThat(e.bucket()).isEqualTo(BUCKET);
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.field()).isEqualTo(MetadataKeys.DATA_SIZE);
              assertThat(e.getMessage()).contains("oss://" + BUCKET + "/").contains("truncated");
            });
  }
}
