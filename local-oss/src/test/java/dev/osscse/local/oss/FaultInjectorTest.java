package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.ClientException;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.OSSObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultInjectorTest {
  @TempDir Path dir;
  LocalOssServer server;
  OSS client;
  byte[] data = ObjectRoundTripTest.bytes(200_000, 9);

  @BeforeEach
  void start() {
    server = LocalOssServer.builder().dataDirectory(dir).credentials("ak", "sk").build().start();
    server.createBucket("bkt");
    client = client(3);
    client.putObject("bkt", "f", new ByteArrayInputStream(data));
  }

  OSS client(int retries) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setMaxErrorRetry(retries);
    return new OSSClientBuilder().build(server.endpoint(), "ak", "sk", conf);
  }

  @AfterEach
  void stop() {
    client.shutdown();
    server.close();
  }

  @Test
  void failNext_503twice_sdkRetriesAndSucceeds() throws Exception {
    server.faults().failNext(2, 503, RequestMatcher.methodAndKey("GET", "f"));
    long before = server.requestCount();
    OSSObject o = client.getObject("bkt", "f");
    assertThat(ObjectRoundTripTest.readAll(o)).isEqualTo(data);
    assertThat(server.faults().injectedCount(FaultType.ERROR_STATUS)).isEqualTo(2);
    assertThat(server.requestCount() - before).isEqualTo(3);
  }

  @Test
  void failNext_500beyondRetries_surfacesInternalError() {
    OSS noRetry = client(1);
    try {
      server.faults().failNext(5, 500, RequestMatcher.method("PUT"));
      assertThatThrownBy(() -> noRetry.putObject("bkt", "x", new ByteArrayInputStream(data)))
          .isInstanceOfSatisfying(
              OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InternalError"));
      assertThat(server.faults().injectedCount()).isEqualTo(2);
      server.faults().clear();
      noRetry.putObject("bkt", "x", new ByteArrayInputStream(data));
      assertThat(noRetry.doesObjectExist("bkt", "x")).isTrue();
    } finally {
      noRetry.shutdown();
    }
  }

  @Test
  void resetGetBodyAfter_readFailsAfterPrefix() throws Exception {
    server.faults().resetGetBodyAfter(1000, 1, RequestMatcher.key("f"));
    OSSObject o = client.getObject("bkt", "f");
    int[] got = {0};
    assertThatThrownBy(() -> drain(o.getObjectContent(), got)).isInstanceOf(IOException.class);
    assertThat(got[0]).isLessThanOrEqualTo(1000);
    assertThat(server.faults().injectedCount(FaultType.RESET)).isEqualTo(1);
    // next GET is clean
    assertThat(ObjectRoundTripTest.readAll(client.getObject("bkt", "f"))).isEqualTo(data);
  }

  @Test
  void truncateGetBodyAfter_readFailsWithPrematureEnd() throws Exception {
    server.faults().truncateGetBodyAfter(5000, 1, RequestMatcher.any());
    OSSObject o = client.getObject("bkt", "f");
    assertThat(o.getObjectMetadata().getContentLength()).isEqualTo(data.length);
    int[] got = {0};
    assertThatThrownBy(() -> drain(o.getObjectContent(), got)).isInstanceOf(IOException.class);
    assertThat(got[0]).isEqualTo(5000);
    assertThat(server.faults().injectedCount(FaultType.TRUNCATE)).isEqualTo(1);
  }

  @Test
  void wrongCrcNext_putObject_sdkThrowsInconsistent() {
    server.faults().wrongCrcNext(1, RequestMatcher.method("PUT"));
    assertThatThrownBy(() -> client.putObject("bkt", "c", new ByteArrayInputStream(data)))
        .isInstanceOf(InconsistentException.class);
    assertThat(server.faults().injectedCount(FaultType.WRONG_CRC)).isEqualTo(1);
  }

  @Test
  void wrongCrcNext_get_differsFromStreamedCrc() throws Exception {
    server.faults().wrongCrcNext(1, RequestMatcher.method("GET"));
    OSSObject o = client.getObject("bkt", "f");
    ObjectRoundTripTest.readAll(o);
    assertThat(com.aliyun.oss.common.utils.IOUtils.getCRCValue(o.getObjectContent()))
        .isNotEqualTo(o.getServerCRC());
  }

  @Test
  void delayNext_requestStillSucceeds_andIsCounted() {
    server.faults().delayNext(1, Duration.ofMillis(20), RequestMatcher.method("HEAD"));
    assertThat(client.getObjectMetadata("bkt", "f").getContentLength()).isEqualTo(data.length);
    assertThat(server.faults().injectedCount(FaultType.DELAY)).isEqualTo(1);
  }

  @Test
  void failRandomly_sameSeed_samePattern(@TempDir Path other) {
    List<Boolean> first = randomPattern(server, client(0));
    try (LocalOssServer second =
        LocalOssServer.builder().dataDirectory(other).credentials("ak", "sk").build().start()) {
      second.createBucket("bkt");
      OSS c = new OSSClientBuilder().build(second.endpoint(), "ak", "sk");
      c.putObject("bkt", "f", new ByteArrayInputStream(data));
      c.shutdown();
      List<Boolean> again = randomPattern(second, clientFor(second));
      assertThat(again).isEqualTo(first);
      assertThat(first).contains(true, false);
    }
  }

  @Test
  void corruptGetBodyAt_bodyDiffersOnlyThere_crcCheckDetectsIt() throws Exception {
    server.faults().corruptGetBodyAt(12_345, 1, RequestMatcher.key("f"));
    OSSObject o = client.getObject("bkt", "f");
    byte[] got = ObjectRoundTripTest.readAll(o);
    assertThat(got).hasSize(data.length);
    assertThat(got[12_345]).isEqualTo((byte) ~data[12_345]);
    got[12_345] = data[12_345];
    assertThat(got).isEqualTo(data);
    assertThat(com.aliyun.oss.common.utils.IOUtils.getCRCValue(o.getObjectContent()))
        .isNotEqualTo(o.getServerCRC());
    assertThat(server.faults().injectedCount(FaultType.CORRUPT_BODY)).isEqualTo(1);
    assertThat(server.faults().injectedCount()).isEqualTo(1);
  }

  @Test
  void faultHooks_rejectBadArguments() {
    FaultInjector f = server.faults();
    assertThatThrownBy(() -> f.failNext(0, 500, RequestMatcher.any()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.failNext(1, 200, RequestMatcher.any()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.resetGetBodyAfter(-1, 1, RequestMatcher.any()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.failRandomly(1.5, 1, 503, RequestMatcher.any()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.wrongCrcNext(1, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void resetVersusTruncate_seenDifferentlyByRawClient() throws Exception {
    RawOss raw = new RawOss(server.endpoint(), "ak", "sk");
    try {
      server.faults().resetGetBodyAfter(100, 1, RequestMatcher.key("f"));
      assertThatThrownBy(() -> raw.get("/bkt/f", "/bkt/f", java.util.Map.of()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("reset");
      server.faults().truncateGetBodyAfter(100, 1, RequestMatcher.key("f"));
      assertThatThrownBy(() -> raw.get("/bkt/f", "/bkt/f", java.util.Map.of()))
          .isInstanceOf(IOException.class)
          .hasMessageNotContaining("reset");
    } finally {
      raw.close();
    }
  }

  private static OSS clientFor(LocalOssServer s) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setMaxErrorRetry(0);
    return new OSSClientBuilder().build(s.endpoint(), "ak", "sk", conf);
  }

  private static List<Boolean> randomPattern(LocalOssServer s, OSS c) {
    s.faults().failRandomly(0.5, 42, 503, RequestMatcher.method("HEAD"));
    List<Boolean> failed = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        try {
          c.getObjectMetadata("bkt", "f");
          failed.add(false);
        } catch (OSSException | ClientException e) {
          failed.add(true);
        }
      }
    } finally {
      c.shutdown();
      s.faults().clear();
    }
    assertThat(s.faults().injectedCount(FaultType.ERROR_STATUS))
        .isEqualTo(failed.stream().filter(b -> b).count());
    return failed;
  }

  private static void drain(InputStream in, int[] count) throws IOException {
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      count[0] += n;
    }
    in.close();
  }
}
