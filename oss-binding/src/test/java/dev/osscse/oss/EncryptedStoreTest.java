package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.oss.aliyun.AliyunObjectStore;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.spi.ObjectStore;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EncryptedStore}, the SDK-neutral core, over the aliyun-sdk-oss adapter and the local OSS
 * endpoint: puts of every source kind, whole and ranged gets, download, HEAD, channel, multipart
 * and rewrap, all with bucket/key strings and {@link ObjectStore.Metadata}; objects it writes are
 * read by {@link OssCseClient} and the other way round.
 */
class EncryptedStoreTest {
  @TempDir Path dir;
  private LocalOssBed bed;
  private EncryptedStore core;

  @BeforeEach
  void start() {
    bed = new LocalOssBed(dir.resolve("oss"));
    core =
        EncryptedStore.builder(new AliyunObjectStore(bed.oss))
            .encryptWith(LocalOssBed.oldKey())
            .build();
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  private static ObjectStore.Metadata metadata() {
    Map<String, Object> headers = new HashMap<>();
    headers.put("Content-Type", "application/x-test");
    Map<String, String> user = new HashMap<>();
    user.put("owner", "alice");
    return new ObjectStore.Metadata(headers, user);
  }

  @Test
  void put_streamOfUnknownLength_readsBackWholeAndRanged() throws Exception {
    byte[] data = LocalOssBed.data(70_000, 1);
    core.put(BUCKET, "stream.bin", new ByteArrayInputStream(data), -1, metadata());

    try (UnauthenticatedObjectStream in = core.get(BUCKET, "stream.bin")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
      assertThat(in.userMetadata()).containsEntry("owner", "alice");
      assertThat(in.headers().get("content-type")).isEqualTo("application/x-test");
    }
    try (UnauthenticatedObjectStream in = core.get(BUCKET, "stream.bin", ByteRange.of(100, 199))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
      assertThat(in.headers()).containsEntry("Content-Range", "bytes 100-199/70000");
      assertThat(in.headers().get("Content-Length")).isEqualTo(100L);
    }
    // The V1 face reads what the core wrote: same keys, same format.
    assertThat(bed.readAll(bed.client(), "stream.bin")).isEqualTo(data);
  }

  @Test
  void put_bytesAndFile_downloadIsVerifiedAndCarriesTheMetadata() throws Exception {
    byte[] data = LocalOssBed.data(33_333, 2);
    Path src = Files.write(dir.resolve("src.bin"), data);
    core.put(BUCKET, "bytes.bin", data, metadata());
    core.put(BUCKET, "file.bin", src, null);

    Path out = dir.resolve("out.bin");
    EncryptedStore.Downloaded d = core.download(BUCKET, "bytes.bin", null, out);
    assertThat(Files.readAllBytes(out)).isEqualTo(data);
    assertThat(d.userMetadata()).containsEntry("owner", "alice");
    d = core.download(BUCKET, "file.bin", ByteRange.suffix(10), out);
    assertThat(Files.readAllBytes(out))
        .isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
    assertThat(d.headers()).containsEntry("Content-Range", "bytes 33323-33332/33333");
    assertThat(core.headEnvelope(BUCKET, "file.bin").orElseThrow().unencryptedLength())
        .hasValue(data.length);
  }

  @Test
  void get_rangePastTheEnd_isInvalidByteRange() throws Exception {
    core.put(BUCKET, "short.bin", new byte[10], null);
    assertThatThrownBy(() -> core.get(BUCKET, "short.bin", ByteRange.from(10)))
        .isInstanceOf(InvalidByteRangeException.class)
        .hasMessageContaining("object size 10");
  }

  @Test
  void get_objectWithoutEnvelope_isRefused() throws Exception {
    bed.oss.putObject(BUCKET, "plain.bin", new ByteArrayInputStream(new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> core.get(BUCKET, "plain.bin"))
        .isInstanceOf(UnencryptedObjectException.class);
  }

  @Test
  void put_reservedEnvelopeKeyOrReadOnly_isRefusedAndNothingIsStored() throws Exception {
    ObjectStore.Metadata planted =
        new ObjectStore.Metadata(new HashMap<>(), new HashMap<>(Map.of(MetadataKeys.KEY, "x")));
    assertThatThrownBy(() -> core.put(BUCKET, "planted.bin", new byte[1], planted))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(MetadataKeys.KEY);
    EncryptedStore reader =
        EncryptedStore.builder(core.store())
            .decryptWith(MasterKeyRing.of(LocalOssBed.oldKey()))
            .build();
    assertThatThrownBy(() -> reader.put(BUCKET, "ro.bin", new byte[1], null))
        .isInstanceOf(IllegalStateException.class);
    assertThat(bed.oss.doesObjectExist(BUCKET, "planted.bin")).isFalse();
    assertThat(bed.oss.doesObjectExist(BUCKET, "ro.bin")).isFalse();
  }

  @Test
  void channelMultipartAndRewrap_workThroughTheCore() throws Exception {
    byte[] data = LocalOssBed.data(3 * 102_400 + 5, 3);
    Path src = Files.write(dir.resolve("mp.bin"), data);
    MultipartUploadResult r =
        core.multipartUploader()
            .partSize(102_400)
            .build()
            .upload(BUCKET, "mp.bin", src, metadata());
    assertThat(r.partCount()).isEqualTo(4);

    try (EncryptedObjectChannel ch = core.openChannel(BUCKET, "mp.bin")) {
      ch.position(102_396);
      byte[] eight = new byte[8];
      Channels.newInputStream(ch).readNBytes(eight, 0, 8);
      assertThat(eight).isEqualTo(Arrays.copyOfRange(data, 102_396, 102_404));
    }

    core.rewrapper().newMasterKey(LocalOssBed.newKey()).build().rewrap(BUCKET, "mp.bin");
    assertThat(bed.readAll(bed.readerOf(LocalOssBed.newKey()), "mp.bin")).isEqualTo(data);
  }
}
