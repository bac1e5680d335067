package dev.osscse.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.ObjectAuthenticationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
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
    plain = endpoint.plainClient();
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

  private static byte[] storedBytes(String key) throws IOException {
    try (OSSObject o = plain.getObject(BUCKET, key);
        InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  private static void plant(String key, byte[] body) {
    ObjectMetadata md = new ObjectMetadata();
    md.setContentLength(body.length);
    plain.putObject(BUCKET, key, new ByteArrayInputStream(body), md);
  }

  private static void assertIntact(String key, byte[] data) throws IOException {
    assertThat(read(new Path("/" + key))).as(key).isEqualTo(data);
    assertThat(companionExists(key)).as(key).isTrue();
  }

  @Test
  void renamedAuthenticatedFileAndDirectoryReadBackWithAuthenticationRequired() throws IOException {
    byte[] small = random(5000, 8);
    byte[] large = random((5 << 20) / 2 + 77, 10);
    write(fs, new Path("/mv/a.bin"), small);
    write(fs, new Path("/mvdir/b.bin"), large);
    write(fs, new Path("/mvdir/sub/c.bin"), small);
    write(untaggedFs, new Path("/mvdir/untagged.bin"), small);

    assertThat(fs.rename(new Path("/mv/a.bin"), new Path("/mv/c.bin"))).isTrue();
    assertThat(fs.rename(new Path("/mvdir"), new Path("/mvdir2"))).isTrue();

    assertThat(read(new Path("/mv/c.bin"))).isEqualTo(small);
    assertThat(read(new Path("/mvdir2/b.bin"))).isEqualTo(large);
    assertThat(read(new Path("/mvdir2/sub/c.bin"))).isEqualTo(small);
    try (FSDataInputStream in = fs.open(new Path("/mvdir2/b.bin"))) {
      byte[] part = new byte[1000];
      in.readFully(2_000_000, part);
      assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(large, 2_000_000, 2_001_000));
    }
    try (FSDataInputStream in = untaggedFs.open(new Path("/mvdir2/untagged.bin"))) {
      assertThat(in.readAllBytes()).isEqualTo(small);
    }
    assertThat(companionExists("mvdir2/untagged.bin")).isFalse();
    for (String gone : List.of("mv/a.bin", "mvdir/b.bin", "mvdir/sub/c.bin")) {
      assertThat(plain.doesObjectExist(BUCKET, gone)).as(gone).isFalse();
      assertThat(companionExists(gone)).as(gone).isFalse();
    }
    assertThat(fs.exists(new Path("/mvdir"))).isFalse();
  }

  @Test
  void renameWithTamperedSourceRecordIsRefusedAndLeavesTheSource() throws IOException {
    byte[] data = random(300_000, 11);
    write(fs, new Path("/mvbad/a.bin"), data);
    write(fs, new Path("/mvbaddir/x.bin"), data);
    write(fs, new Path("/mvbaddir/y.bin"), data);
    for (String key : List.of("mvbad/a.bin", "mvbaddir/y.bin")) {
      byte[] record = storedBytes(".oss-cse-auth/" + key);
      record[33] ^= 0x01; // the first chunk tag
      plant(".oss-cse-auth/" + key, record);
    }

    assertThatThrownBy(() -> fs.rename(new Path("/mvbad/a.bin"), new Path("/mvbad/b.bin")))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("does not verify");
    assertThatThrownBy(() -> fs.rename(new Path("/mvbaddir"), new Path("/mvbaddir2")))
        .isInstanceOf(ObjectAuthenticationException.class);

    assertThat(plain.doesObjectExist(BUCKET, "mvbad/b.bin")).isFalse();
    assertThat(companionExists("mvbad/b.bin")).isFalse();
    assertThat(companionExists("mvbaddir2/y.bin")).isFalse();
    try (FSDataInputStream in = untaggedFs.open(new Path("/mvbad/a.bin"))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(companionExists("mvbad/a.bin")).isTrue();
    assertIntact("mvbaddir/x.bin", data);
    assertThat(plain.doesObjectExist(BUCKET, "mvbaddir/y.bin")).isTrue();
  }

  @Test
  void renameWhoseRecordPutFailsLeavesNoDestinationAndTheSourceReadable() throws IOException {
    byte[] data = random(20_000, 12);
    write(fs, new Path("/mvf1/a.bin"), data);
    endpoint
        .server
        .faults()
        .failNext(50, 500, RequestMatcher.methodAndKey("PUT", ".oss-cse-auth/mvf1/b.bin"));
    try {
      assertThatThrownBy(() -> fs.rename(new Path("/mvf1/a.bin"), new Path("/mvf1/b.bin")))
          .isInstanceOf(IOException.class);
    } finally {
      endpoint.server.faults().clear();
    }
    assertThat(plain.doesObjectExist(BUCKET, "mvf1/b.bin")).isFalse();
    assertThat(companionExists("mvf1/b.bin")).isFalse();
    assertIntact("mvf1/a.bin", data);
  }

  @Test
  void renameWhoseCopyFailsRemovesTheNewRecordAndKeepsTheSource() throws IOException {
    byte[] data = random(20_000, 13);
    write(fs, new Path("/mvf2/a.bin"), data);
    endpoint.server.faults().failNext(50, 500, RequestMatcher.methodAndKey("PUT", "mvf2/b.bin"));
    try {
      assertThatThrownBy(() -> fs.rename(new Path("/mvf2/a.bin"), new Path("/mvf2/b.bin")))
          .isInstanceOf(IOException.class);
    } finally {
      endpoint.server.faults().clear();
    }
    assertThat(plain.doesObjectExist(BUCKET, "mvf2/b.bin")).isFalse();
    assertThat(companionExists("mvf2/b.bin")).isFalse();
    assertIntact("mvf2/a.bin", data);
  }

  @Test
  void renameWhoseDeleteFailsLeavesBothSourceAndDestinationAuthenticated() throws IOException {
    byte[] data = random(20_000, 14);
    write(fs, new Path("/mvf3/a.bin"), data);
    RequestMatcher deleteObjects = (m, b, k) -> "POST".equals(m) && k == null;
    endpoint.server.faults().failNext(50, 500, deleteObjects);
    try {
      assertThatThrownBy(() -> fs.rename(new Path("/mvf3/a.bin"), new Path("/mvf3/b.bin")))
          .isInstanceOf(IOException.class);
    } finally {
      endpoint.server.faults().clear();
    }
    assertIntact("mvf3/a.bin", data);
    assertIntact("mvf3/b.bin", data);
  }

  @Test
  void renameOfSourceReplacedAfterItsRecordWasCopiedCopiesNothing() throws Exception {
    byte[] data = random(20_000, 15);
    byte[] replacement = random(20_000, 16);
    write(fs, new Path("/mvf4/a.bin"), data);
    // The copy waits at the endpoint; meanwhile the source is replaced. The copy is conditional on
    // the ETag whose record was verified, so the replacement is not copied under that record.
    endpoint
        .server
        .faults()
        .delayNext(1, Duration.ofSeconds(5), RequestMatcher.methodAndKey("PUT", "mvf4/b.bin"));
    CompletableFuture<Boolean> rename =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return fs.rename(new Path("/mvf4/a.bin"), new Path("/mvf4/b.bin"));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!companionExists("mvf4/b.bin") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(companionExists("mvf4/b.bin")).as("record put before the copy").isTrue();
      write(fs, new Path("/mvf4/a.bin"), replacement);
      assertThatThrownBy(rename::join)
          .hasCauseInstanceOf(UncheckedIOException.class)
          .hasStackTraceContaining("pre-conditions you specified did not hold");
    } finally {
      endpoint.server.faults().clear();
    }
    assertThat(plain.doesObjectExist(BUCKET, "mvf4/b.bin")).isFalse();
    assertThat(companionExists("mvf4/b.bin")).isFalse();
    assertIntact("mvf4/a.bin", replacement);
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
