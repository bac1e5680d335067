package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectResult;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalOssServer.Builder#requestBodyRate(long)}. Only lower bounds on elapsed time are
 * checked: pacing can make a request slower than size / rate, never faster, whatever the load.
 */
class RequestBodyRateTest {
  private static final long MIB = 1 << 20;

  @TempDir Path dir;
  TestBed bed;
  LocalOssServer server;
  OSS client;

  @BeforeEach
  void start() {
    bed = TestBed.start(dir, b -> b.minPartSize(0).requestBodyRate(4 * MIB));
    server = bed.server();
    client = bed.client();
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void pacedPut_twoMiBAtFourMiBPerSecond_storesExactBytesAndTakesAtLeastSizeOverRate()
      throws Exception {
    byte[] data = ObjectRoundTripTest.bytes((int) (2 * MIB), 21);

    long t0 = System.nanoTime();
    PutObjectResult put = client.putObject("bkt", "paced.bin", new ByteArrayInputStream(data));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

    // 2 MiB at 4 MiB/s is 500 ms on the server's clock alone; 450 leaves room for clock rounding.
    assertThat(elapsedMs).isGreaterThanOrEqualTo(450);
    assertThat(put.getServerCRC()).isNotNull();
    try (InputStream in = client.getObject("bkt", "paced.bin").getObjectContent()) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void pacedMultipart_twoPartsOneAfterTheOther_storesExactBytesAndTakesAtLeastSizeOverRate()
      throws Exception {
    int part = (int) (MIB / 2);
    byte[] data = ObjectRoundTripTest.bytes(2 * part, 22);

    long t0 = System.nanoTime();
    String id = MultipartTest.initiate(client, "mp.bin", Map.of());
    PartETag one = MultipartTest.upload(client, "mp.bin", id, 1, data, 0, part);
    PartETag two = MultipartTest.upload(client, "mp.bin", id, 2, data, part, part);
    client.completeMultipartUpload(
        new CompleteMultipartUploadRequest(
            "bkt", "mp.bin", id, new ArrayList<>(List.of(one, two))));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

    // Two 512 KiB parts at 4 MiB/s, each request paced on its own: 2 x 125 ms.
    assertThat(elapsedMs).isGreaterThanOrEqualTo(225);
    try (InputStream in = client.getObject("bkt", "mp.bin").getObjectContent()) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void requestBodyRate_negative_isRejectedNamingTheOption() {
    assertThatThrownBy(() -> LocalOssServer.builder().requestBodyRate(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestBodyRate");
  }

  @Test
  void pacedStream_smallRate_returnsEveryByteInOrder() throws Exception {
    byte[] data = ObjectRoundTripTest.bytes(3000, 23);
    // 1 MB/s: 30 ms for 3000 bytes, read in 10 KB-per-10-ms chunks, so one chunk here.
    try (InputStream in = new PacedInputStream(new ByteArrayInputStream(data), 1_000_000)) {
      assertThat(in.read()).isEqualTo(data[0] & 0xff);
      assertThat(in.skip(999)).isEqualTo(999);
      byte[] rest = in.readAllBytes();
      assertThat(rest).isEqualTo(Arrays.copyOfRange(data, 1000, data.length));
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void dueOffsetNanos_cumulativeBytes_isSizeOverRateWithoutOverflow() {
    assertThat(PacedInputStream.dueOffsetNanos(10_000_000, 10_000_000)).isEqualTo(1_000_000_000L);
    assertThat(PacedInputStream.dueOffsetNanos(1, 3)).isEqualTo(333_333_333L);
    assertThat(PacedInputStream.dueOffsetNanos(0, 100)).isZero();
    // 5 TiB at 100 MB/s: 10 ns a byte.
    assertThat(PacedInputStream.dueOffsetNanos(5L << 40, 100_000_000)).isEqualTo((5L << 40) * 10);
    // A rate above Long.MAX_VALUE / 1e9 still gives size / rate seconds.
    assertThat(PacedInputStream.dueOffsetNanos(20_000_000_000L, 40_000_000_000L))
        .isEqualTo(500_000_000L);
  }
}
