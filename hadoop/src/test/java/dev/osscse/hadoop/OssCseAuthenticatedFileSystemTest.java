package dev.osscse.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.ObjectAuthenticationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * osscse:// with fs.osscse.authenticate and fs.osscse.require.authentication (docs/format.md
 * FMT-26..FMT-31): what it writes, what it refuses, and how companions follow their objects.
 */
class OssCseAuthenticatedFileSystemTest {
  private static final String BUCKET = "fs-auth-tests";
  private static final String MARKER = "client-side-encryption-osscse-auth";
  private static LocalEndpoint endpoint;
  private static FileSystem fs;
  private static FileSystem untaggedFs;
  private static OSS plain;

  @BeforeAll
  static void start() throws IOException {
    endpoint = LocalEndpoint.get();
    Configuration conf = endpoint.configuration(BUCKET);
    conf.setLong(OssCseFsSettings.PART_SIZE, 1 << 20);
    Configuration untagged = new Configuration(conf);
    conf.setBoolean(OssCseFsSettings.AUTHENTICATE, true);
    conf.setBoolean(OssCseFsSettings.REQUIRE_AUTHENTICATION, true);
    fs = FileSystem.get(URI.create("osscse://" + BUCKET + "/"), conf);
    untaggedFs = FileSystem.get(URI.create("osscse://" + BUCKET + "/"), untagged);
    plain =
        new OSSClientBuilder()
            .build(
                endpoint.server.endpoint(),
                LocalEndpoint.ACCESS_KEY_ID,
                LocalEndpoint.ACCESS_KEY_SECRET);
  }

  @AfterAll
  static void stop() throws IOException {
    fs.close();
    untaggedFs.close();
    plain.shutdown();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void write(FileSystem target, Path p, byte[] data) throws IOException {
    try (FSDataOutputStream out = target.create(p, true)) {
      out.write(data);
    }
  }

  private static byte[] read(Path p) throws IOException {
    try (FSDataInputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }

  private static boolean companionExists(String key) {
    return plain.doesObjectExist(BUCKET, ".oss-cse-auth/" + key);
  }

  @Test
  void singlePutAndMultipartAreTaggedAndReadBackWithAuthenticationRequired() throws IOException {
    byte[] small = random(70_000, 1);
    byte[] large = random((5 << 20) / 2 + 123, 2);
    write(fs, new Path("/rt/small.bin"), small);
    write(fs, new Path("/rt/large.bin"), large);

    for (String key : List.of("rt/small.bin", "rt/large.bin")) {
      assertThat(plain.getObjectMetadata(BUCKET, key).getUserMetadata())
          .containsEntry(MARKER, "v1");
      assertThat(companionExists(key)).as(key).isTrue();
    }
    assertThat(read(new Path("/rt/small.bin"))).isEqualTo(small);
    assertThat(read(new Path("/rt/large.bin"))).isEqualTo(large);
    try (FSDataInputStream in = fs.open(new Path("/rt/large.bin"))) {
      byte[] part = new byte[1000];
      in.readFully(2_000_000, part);
      assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(large, 2_000_000, 2_001_000));
    }
  }

  @Test
  void flippedCiphertextByteInStoredObjectFailsTheRead() throws IOException {
    byte[] data = random(300_000, 3);
    write(fs, new Path("/tamper/a.bin"), data);
    byte[] stored;
    ObjectMetadata meta = new ObjectMetadata();
    try (OSSObject o = plain.getObject(BUCKET, "tamper/a.bin");
        InputStream in = o.getObjectContent()) {
      stored = in.readAllBytes();
      meta.setUserMetadata(o.getObjectMetadata().getUserMetadata());
    }
    stored[150_000] ^= 0x01;
    plain.putObject(BUCKET, "tamper/a.bin", new ByteArrayInputStream(stored), meta);

    assertThat(plain.getObjectMetadata(BUCKET, "tamper/a.bin").getUserMetadata())
        .containsEntry(MARKER, "v1");
    try (FSDataInputStream in = untaggedFs.open(new Path("/tamper/a.bin"))) {
      byte[] unverified = in.readAllBytes();
      assertThat(unverified).hasSameSizeAs(data).isNotEqualTo(data);
    }

    assertThatThrownBy(() -> read(new Path("/tamper/a.bin")))
        .isInstanceOf(ObjectAuthenticationException.class);
  }

  @Test
  void untaggedObjectIsRefusedWhenAuthenticationIsRequired() throws IOException {
    byte[] data = random(10_000, 4);
    write(untaggedFs, new Path("/untagged/u.bin"), data);
    assertThat(companionExists("untagged/u.bin")).isFalse();
    try (FSDataInputStream in = untaggedFs.open(new Path("/untagged/u.bin"))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }

    assertThatThrownBy(() -> read(new Path("/untagged/u.bin")))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("authentication required");
  }

  @Test
  void deleteRemovesTheCompanionRecord() throws IOException {
    write(fs, new Path("/del/one.bin"), random(1000, 5));
    write(fs, new Path("/del/dir/a.bin"), random(1000, 6));
    write(fs, new Path("/del/dir/sub/b.bin"), random(1000, 7));
    assertThat(companionExists("del/one.bin")).isTrue();
    assertThat(companionExists("del/dir/sub/b.bin")).isTrue();

    assertThat(fs.delete(new Path("/del/one.bin"), false)).isTrue();
    assertThat(plain.doesObjectExist(BUCKET, "del/one.bin")).isFalse();
    assertThat(companionExists("del/one.bin")).isFalse();

    assertThat(fs.delete(new Path("/del/dir"), true)).isTrue();
    assertThat(companionExists("del/dir/a.bin")).isFalse();
    assertThat(companionExists("del/dir/sub/b.bin")).isFalse();
  }

  @Test
  void renameOfAuthenticatedObjectIsRefusedAndLeavesItReadable() throws IOException {
    byte[] data = random(5000, 8);
    write(fs, new Path("/mv/a.bin"), data);
    write(fs, new Path("/mvdir/b.bin"), data);

    assertThatThrownBy(() -> fs.rename(new Path("/mv/a.bin"), new Path("/mv/c.bin")))
        .isInstanceOf(PathIOException.class)
        .hasMessageContaining("rename refused")
        .hasMessageContaining("FMT-29");
    assertThatThrownBy(() -> fs.rename(new Path("/mvdir"), new Path("/mvdir2")))
        .isInstanceOf(PathIOException.class)
        .hasMessageContaining("authenticated objects");

    assertThat(fs.exists(new Path("/mv/c.bin"))).isFalse();
    assertThat(fs.exists(new Path("/mvdir2"))).isFalse();
    assertThat(read(new Path("/mv/a.bin"))).isEqualTo(data);
    assertThat(read(new Path("/mvdir/b.bin"))).isEqualTo(data);
  }

  @Test
  void rootListingHidesTheCompanionPrefix() throws IOException {
    write(fs, new Path("/top.bin"), random(100, 9));
    assertThat(companionExists("top.bin")).isTrue();

    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new Path("/"))) {
      names.add(s.getPath().getName());
    }
    assertThat(names).contains("top.bin").doesNotContain(".oss-cse-auth");

    List<String> all = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path("/"), true);
    while (it.hasNext()) {
      all.add(it.next().getPath().toUri().getPath());
    }
    assertThat(all).contains("/top.bin").noneMatch(p -> p.contains(".oss-cse-auth"));
  }

  @Test
  void authenticationSettingsThatCannotWorkAreRefusedAtInitialize() {
    Configuration smallParts = endpoint.configuration(BUCKET);
    smallParts.setBoolean(OssCseFsSettings.AUTHENTICATE, true);
    assertThatThrownBy(() -> FileSystem.get(URI.create("osscse://" + BUCKET + "/"), smallParts))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(OssCseFsSettings.PART_SIZE);

    Configuration both = endpoint.configuration(BUCKET);
    both.setBoolean(OssCseFsSettings.REQUIRE_AUTHENTICATION, true);
    both.setBoolean(OssCseFsSettings.ALLOW_PLAINTEXT, true);
    assertThatThrownBy(() -> FileSystem.get(URI.create("osscse://" + BUCKET + "/"), both))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(OssCseFsSettings.ALLOW_PLAINTEXT);
  }
}
