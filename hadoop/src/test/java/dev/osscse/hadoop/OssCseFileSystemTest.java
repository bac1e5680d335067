package dev.osscse.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Abortable;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileRange;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** osscse:// behaviours the contract suites do not cover: what is stored, and what is sent. */
class OssCseFileSystemTest {
  private static final String BUCKET = "fs-tests";
  private static LocalEndpoint endpoint;
  private static Configuration conf;
  private static FileSystem fs;
  private static OSS plain;

  @BeforeAll
  static void start() throws IOException {
    endpoint = LocalEndpoint.get();
    conf = endpoint.configuration(BUCKET);
    fs = FileSystem.get(URI.create("osscse://" + BUCKET + "/"), conf);
    plain = endpoint.plainClient();
  }

  @AfterAll
  static void stop() throws IOException {
    fs.close();
    plain.shutdown();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void write(Path p, byte[] data) throws IOException {
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write(data);
    }
  }

  private static byte[] stored(String key) throws IOException {
    OSSObject o = plain.getObject(BUCKET, key);
    try (InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  @Test
  void serviceLoader_findsTheScheme() throws IOException {
    assertThat(FileSystem.getFileSystemClass("osscse", conf)).isEqualTo(OssCseFileSystem.class);
  }

  @Test
  void create_storesCiphertextWithEnvelope_singlePutAndMultipart() throws Exception {
    for (int size : new int[] {0, 1000, 128 << 10, (300 << 10) + 7}) {
      byte[] data = random(size, size);
      Path p = new Path("/cipher/f" + size);
      write(p, data);
      byte[] raw = stored("cipher/f" + size);
      assertThat(raw).hasSize(size);
      if (size > 0) {
        assertThat(raw).isNotEqualTo(data);
      }
      ObjectMetadata md = plain.getObjectMetadata(BUCKET, "cipher/f" + size);
      assertThat(md.getUserMetadata()).containsKey("client-side-encryption-key");
      if (size > (128 << 10)) {
        assertThat(md.getUserMetadata())
            .containsEntry("client-side-encryption-part-size", "131072");
      }
      try (FSDataInputStream in = fs.open(p)) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
      // the binding alone reads it with the same key: nothing Hadoop-specific in the format
      OssCseClient cse =
          OssCseClient.builder(plain)
              .encryptWith(MasterKey.rsa(endpoint.keyPair, Map.of("purpose", "hadoop-tests")))
              .build();
      try (UnauthenticatedObjectStream in = cse.getObject(BUCKET, "cipher/f" + size)) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
    }
  }

  @Test
  void listStatus_lengthsFromTheListing_noHeadPerFile() throws IOException {
    Path dir = new Path("/listing");
    for (int i = 0; i < 30; i++) {
      write(new Path(dir, "f" + i), random(i * 37, i));
    }
    long before = endpoint.server.requestCount();
    FileStatus[] all = fs.listStatus(dir);
    long requests = endpoint.server.requestCount() - before;
    assertThat(all).hasSize(30);
    for (FileStatus s : all) {
      int i = Integer.parseInt(s.getPath().getName().substring(1));
      assertThat(s.getLen()).isEqualTo(i * 37L);
    }
    // HEAD of the directory path, a one-key listing, and one listing page: not one per file
    assertThat(requests).isLessThanOrEqualTo(3);
    before = endpoint.server.requestCount();
    int n = 0;
    var it = fs.listFiles(new Path("/"), true);
    while (it.hasNext()) {
      it.next();
      n++;
    }
    assertThat(n).isGreaterThanOrEqualTo(30);
    assertThat(endpoint.server.requestCount() - before).isLessThanOrEqualTo(4);
  }

  @Test
  void footerReadAtTheEnd_costsOneGet_andServesTheBytesBeforeIt() throws Exception {
    byte[] data = random(1_000_000, 17);
    Path p = new Path("/footer/f");
    write(p, data);
    try (FSDataInputStream in = fs.open(p)) {
      long before = endpoint.server.requestCount();
      byte[] magic = new byte[8];
      in.seek(data.length - 8);
      in.readFully(magic);
      byte[] footer = new byte[20_000];
      in.seek(data.length - 8 - footer.length);
      in.readFully(footer);
      byte[] positioned = new byte[1000];
      in.readFully(data.length - 100_000, positioned);
      assertThat(endpoint.server.requestCount() - before).isEqualTo(1);
      assertThat(magic).isEqualTo(Arrays.copyOfRange(data, data.length - 8, data.length));
      assertThat(footer).isEqualTo(Arrays.copyOfRange(data, data.length - 20_008, data.length - 8));
      assertThat(positioned)
          .isEqualTo(Arrays.copyOfRange(data, data.length - 100_000, data.length - 99_000));

      byte[] early = new byte[5000];
      in.seek(10_000);
      in.readFully(early);
      assertThat(early).isEqualTo(Arrays.copyOfRange(data, 10_000, 15_000));
      assertThat(endpoint.server.requestCount() - before).isEqualTo(2);
    }
  }

  @Test
  void openFile_lengthHint_sendsNoHead() throws Exception {
    byte[] data = random(5000, 5);
    Path p = new Path("/hint/f");
    write(p, data);
    long before = endpoint.server.requestCount();
    try (FSDataInputStream in =
        fs.openFile(p)
            .opt("fs.option.openfile.length", Long.toString(data.length))
            .opt("fs.option.openfile.read.policy", "random")
            .build()
            .get()) {
      byte[] got = new byte[100];
      in.readFully(4000, got);
      assertThat(got).isEqualTo(Arrays.copyOfRange(data, 4000, 4100));
    }
    assertThat(endpoint.server.requestCount() - before).isEqualTo(1);
  }

  @Test
  void openFile_wrongLengthHint_failsInsteadOfReturningWrongBytes() throws Exception {
    Path p = new Path("/hint/g");
    write(p, random(5000, 6));
    try (FSDataInputStream in =
        fs.openFile(p).opt("fs.option.openfile.length", "4000").build().get()) {
      assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(IOException.class);
    }
  }

  @Test
  void positionedReads_fromManyThreads_doNotMoveTheStream() throws Exception {
    byte[] data = random(400 << 10, 7);
    Path p = new Path("/pread/f");
    write(p, data);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try (FSDataInputStream in = fs.open(p)) {
      in.seek(1234);
      List<Future<Boolean>> checks = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        int offset = (t * 12_345) % (data.length - 5000);
        checks.add(
            threads.submit(
                () -> {
                  byte[] got = new byte[5000];
                  in.readFully(offset, got);
                  return Arrays.equals(got, Arrays.copyOfRange(data, offset, offset + 5000));
                }));
      }
      for (Future<Boolean> c : checks) {
        assertThat(c.get()).isTrue();
      }
      assertThat(in.getPos()).isEqualTo(1234);
      assertThat(in.read()).isEqualTo(data[1234] & 0xff);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void readVectored_coalescesRanges_intoFewerGets() throws Exception {
    byte[] data = random(1 << 20, 8);
    Path p = new Path("/vector/f");
    write(p, data);
    try (FSDataInputStream in = fs.open(p)) {
      List<FileRange> ranges = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ranges.add(FileRange.createFileRange(i * 2000L, 1000)); // close together: one GET
      }
      ranges.add(FileRange.createFileRange(900_000, 5000)); // far away: its own GET
      long before = endpoint.server.requestCount();
      in.readVectored(ranges, ByteBuffer::allocate);
      for (FileRange r : ranges) {
        ByteBuffer b = r.getData().get();
        byte[] got = new byte[b.remaining()];
        b.get(got);
        int o = (int) r.getOffset();
        assertThat(got).isEqualTo(Arrays.copyOfRange(data, o, o + r.getLength()));
      }
      assertThat(endpoint.server.requestCount() - before).isEqualTo(2);
      assertThat(in.hasCapability(StreamCapabilities.VECTOREDIO)).isTrue();
    }
  }

  @Test
  void plaintextObject_isRefused_unlessAllowed() throws Exception {
    byte[] secret =
        "plaintext that must not pass".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    plain.putObject(BUCKET, "plain/p.txt", new ByteArrayInputStream(secret));
    try (FSDataInputStream in = fs.open(new Path("/plain/p.txt"))) {
      assertThatThrownBy(() -> in.read(new byte[10]))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(OssCseFsSettings.ALLOW_PLAINTEXT);
    }
    Configuration allow = new Configuration(conf);
    allow.setBoolean(OssCseFsSettings.ALLOW_PLAINTEXT, true);
    try (FileSystem lenient =
            FileSystem.newInstance(URI.create("osscse://" + BUCKET + "/"), allow);
        FSDataInputStream in = lenient.open(new Path("/plain/p.txt"))) {
      assertThat(in.readAllBytes()).isEqualTo(secret);
    }
  }

  @Test
  void rename_copiesServerSide_keepingTheEnvelope() throws Exception {
    byte[] data = random(70_000, 9);
    write(new Path("/ren/a/x"), data);
    write(new Path("/ren/a/sub/y"), data);
    ObjectMetadata before = plain.getObjectMetadata(BUCKET, "ren/a/x");
    assertThat(fs.rename(new Path("/ren/a"), new Path("/ren/b"))).isTrue();
    ObjectMetadata after = plain.getObjectMetadata(BUCKET, "ren/b/x");
    assertThat(after.getUserMetadata()).isEqualTo(before.getUserMetadata());
    assertThat(after.getServerCRC()).isEqualTo(before.getServerCRC());
    try (FSDataInputStream in = fs.open(new Path("/ren/b/sub/y"))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(fs.exists(new Path("/ren/a"))).isFalse();
  }

  @Test
  void failedUpload_isAborted_nothingVisible() throws Exception {
    Path p = new Path("/fail/big");
    endpoint.server.faults().failNext(50, 500, RequestMatcher.methodAndKey("PUT", "fail/big"));
    try {
      FSDataOutputStream out = fs.create(p, true);
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 10; i++) {
                  out.write(random(64 << 10, i));
                }
                out.close();
              })
          .isInstanceOf(IOException.class);
      assertThatThrownBy(out::close).isInstanceOf(IOException.class);
    } finally {
      endpoint.server.faults().clear();
    }
    assertThat(fs.exists(p)).isFalse();
    assertThat(
            plain
                .listMultipartUploads(new ListMultipartUploadsRequest(BUCKET))
                .getMultipartUploads())
        .noneMatch(u -> u.getKey().equals("fail/big"));
  }

  @Test
  void abort_discardsTheUpload() throws Exception {
    Path p = new Path("/abort/big");
    FSDataOutputStream out = fs.create(p, true);
    out.write(random(400 << 10, 10));
    assertThat(out.hasCapability(StreamCapabilities.ABORTABLE_STREAM)).isTrue();
    Abortable.AbortableResult r = out.abort();
    assertThat(r.alreadyClosed()).isFalse();
    out.close();
    assertThat(fs.exists(p)).isFalse();
    assertThat(
            plain
                .listMultipartUploads(new ListMultipartUploadsRequest(BUCKET))
                .getMultipartUploads())
        .noneMatch(u -> u.getKey().equals("abort/big"));
  }

  @Test
  void capabilities_declareNoAppendNoHflush() throws IOException {
    Path p = new Path("/caps/f");
    assertThat(fs.hasPathCapability(p, CommonPathCapabilities.FS_APPEND)).isFalse();
    assertThat(fs.hasPathCapability(p, OssCseFileSystem.CAPABILITY_CLIENT_SIDE_ENCRYPTION))
        .isTrue();
    try (FSDataOutputStream out = fs.create(p, true)) {
      assertThat(out.hasCapability(StreamCapabilities.HFLUSH)).isFalse();
      assertThat(out.hasCapability(StreamCapabilities.HSYNC)).isFalse();
    }
    assertThatThrownBy(() -> fs.append(p)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void wrongKey_readFails_withUniformUnwrapError() throws Exception {
    Path p = new Path("/wrongkey/f");
    write(p, random(1000, 11));
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    java.nio.file.Path other = endpoint.dir.resolve("other-private.pem");
    dev.osscse.keys.PemKeys.writePrivateKey(g.generateKeyPair().getPrivate(), other);
    Configuration wrong = new Configuration(conf);
    wrong.unset(OssCseFsSettings.RSA_PUBLIC_KEY_FILE);
    wrong.set(OssCseFsSettings.RSA_PRIVATE_KEY_FILES, other.toString());
    try (FileSystem w = FileSystem.newInstance(URI.create("osscse://" + BUCKET + "/"), wrong);
        FSDataInputStream in = w.open(p)) {
      assertThatThrownBy(() -> in.read(new byte[10]))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("unwrap failed");
      assertThatThrownBy(() -> w.create(new Path("/wrongkey/g")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no write key");
    }
  }

  @Test
  void truncatedCiphertextPlantedUnderItsEnvelope_listsShort_butReadFails() throws Exception {
    Path p = new Path("/planted/f");
    write(p, random(1000, 12));
    ObjectMetadata md = plain.getObjectMetadata(BUCKET, "planted/f");
    byte[] cut = Arrays.copyOf(stored("planted/f"), 900);
    ObjectMetadata again = new ObjectMetadata();
    again.setUserMetadata(md.getUserMetadata());
    plain.putObject(BUCKET, "planted/f", new ByteArrayInputStream(cut), again);
    // the listing reports what is stored: the length is only as trustworthy as the bucket
    assertThat(fs.getFileStatus(p).getLen()).isEqualTo(900);
    try (FSDataInputStream in = fs.open(p)) {
      assertThatThrownBy(() -> in.read(new byte[10]))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("unencrypted-content-length");
    }
  }
}
