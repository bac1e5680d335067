package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Authenticated multipart uploads and rewraps (FMT-31) over the real SDK client and the local OSS
 * endpoint: parts uploaded in parallel are tagged by their threads, a one-byte change at a part
 * boundary is caught by every read that covers it, and a rewrap keeps the record valid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatedMultipartTest extends AuthenticatedTestBase {
  AuthenticatedMultipartTest() {
    super("auth-mp");
  }

  Path file(String name, byte[] content) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, content);
    return f;
  }

  static byte[] read(OssCseClient c, String key, ByteRange range) throws Exception {
    try (UnauthenticatedObjectStream in = c.getObject(B, key, range)) {
      return in.readAllBytes();
    }
  }

  MultipartUploadResult upload(String key, byte[] plain, long partSize) throws Exception {
    return MultipartUploader.builder(writer.core())
        .partSize(partSize)
        .parallelism(3)
        .build()
        .upload(B, key, file(key.replace('/', '_'), plain), null);
  }

  @Test
  void fmt31_parallelMultipart_isAuthenticatedAndReadWholeRangedAndByChannel() throws Exception {
    byte[] plain = data(5 * C + 3, 1);
    upload("mp/a.bin", plain, 2L * C);
    assertThat(read(strict, "mp/a.bin", null)).isEqualTo(plain);
    assertThat(read(strict, "mp/a.bin", ByteRange.of(2L * C - 10, 2L * C + 10)))
        .isEqualTo(Arrays.copyOfRange(plain, 2 * C - 10, 2 * C + 11));
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(strict.core(), B, "mp/a.bin")) {
      ch.position(4L * C + 1);
      ByteBuffer b = ByteBuffer.allocate(C + 2);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // fill
      }
      assertThat(b.array()).isEqualTo(Arrays.copyOfRange(plain, 4 * C + 1, 5 * C + 3));
    }
  }

  @Test
  void oneByteChangedAtPartBoundaries_isDetectedByEveryCoveringRead() throws Exception {
    int size = 4 * C + 100;
    byte[] plain = data(size, 2);
    String key = "mp/flip.bin";
    upload(key, plain, 2L * C);
    byte[] body;
    Map<String, String> user;
    try (OSSObject o = oss.client().getObject(B, key);
        InputStream in = o.getObjectContent()) {
      body = in.readAllBytes();
      user = new LinkedHashMap<>(o.getObjectMetadata().getUserMetadata());
    }
    assertThat(user).containsEntry(MetadataKeys.AUTH, "v1");
    long[] positions = {
      0, 2L * C - 1, 2L * C, 4L * C - 1, 4L * C, size - 1, new Random(3).nextInt(size)
    };
    int trials = 0;
    int detected = 0;
    for (long pos : positions) {
      byte[] bad = body.clone();
      bad[(int) pos] ^= 0x40;
      ObjectMetadata md = new ObjectMetadata();
      user.forEach(md::addUserMetadata);
      oss.client().putObject(B, key, new ByteArrayInputStream(bad), md);
      List<ThrowingRead> reads = new ArrayList<>();
      reads.add(() -> read(strict, key, null));
      reads.add(() -> read(strict, key, ByteRange.of(pos, pos)));
      reads.add(() -> read(strict, key, ByteRange.suffix(size - pos)));
      reads.add(
          () -> {
            try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(strict.core(), B, key)) {
              ch.position(pos);
              return ch.read(ByteBuffer.allocate(1));
            }
          });
      for (ThrowingRead r : reads) {
        trials++;
        try {
          r.run();
        } catch (ObjectAuthenticationException e) {
          assertThat(e.getMessage()).contains("chunk " + (pos / C) + " failed authentication");
          detected++;
        }
      }
    }
    assertThat(detected).as("detected of %d", trials).isEqualTo(trials);
    assertThat(trials).isEqualTo(positions.length * 4);
  }

  interface ThrowingRead {
    Object run() throws Exception;
  }

  @Test
  void authenticatedUpload_partSizeNotAMultipleOfTheChunk_isRefused() {
    assertThatThrownBy(() -> upload("mp/bad-part.bin", data(3 * C, 4), C + 16))
        .isInstanceOf(InvalidPartSizeException.class)
        .hasMessageContaining("multiple of " + C);
  }

  @Test
  void fmt31_rewrapOfAnAuthenticatedObject_keepsItAuthenticated() throws Exception {
    byte[] small = data(C + 5, 5);
    writer.putObject(B, "mp/rewrap-small.bin", small, null);
    byte[] big = data(3 * C + 9, 6);
    upload("mp/rewrap-big.bin", big, C);
    MasterKey other = MasterKey.rsa(TestKeys.otherRsa(), Map.of("desc", "rotated"));
    OssCseClient both =
        OssCseClient.builder(oss.client())
            .encryptWith(master)
            .decryptWith(MasterKeyRing.of(master, other))
            .build();
    ObjectRewrapper rotate =
        ObjectRewrapper.builder(both.core())
            .newMasterKey(other)
            .multipartThreshold(2L * C)
            .partSize(C)
            .build();
    assertThat(rotate.rewrap(B, "mp/rewrap-small.bin").multipart()).isFalse();
    assertThat(rotate.rewrap(B, "mp/rewrap-big.bin").multipart()).isTrue();
    OssCseClient strictOther =
        OssCseClient.builder(oss.client())
            .decryptWith(MasterKeyRing.of(other))
            .requireAuthentication(true)
            .build();
    assertThat(read(strictOther, "mp/rewrap-small.bin", null)).isEqualTo(small);
    assertThat(read(strictOther, "mp/rewrap-big.bin", null)).isEqualTo(big);
    assertThat(read(strictOther, "mp/rewrap-big.bin", ByteRange.of(2L * C, 2L * C + 3)))
        .isEqualTo(Arrays.copyOfRange(big, 2 * C, 2 * C + 4));
  }
}
