package dev.osscse.oss.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.event.ProgressListener;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.EncryptedMultipartUpload;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.TransferVerificationException;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.internal.Crc64;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The binding's own CRC-64 check, used when the SDK client's CRC check is off: a server that
 * reports a wrong {@code x-oss-hash-crc64ecma} or corrupts a body in transit fails the PUT, the
 * part upload and the GET with the same {@link TransferVerificationException} as the SDK's own
 * check does (both clients run every case).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnCrcCheckTest {
  private static final String B = LocalOssFixture.BUCKET;

  @TempDir static Path dir;
  private LocalOssFixture oss;
  private OSS crcOff;
  private OssCseClient sdkCrc;
  private OssCseClient ownCrc;

  @BeforeAll
  void start() {
    oss = new LocalOssFixture(dir.resolve("store"));
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    conf.setCrcCheckEnabled(false);
    crcOff =
        new OSSClientBuilder().build(oss.endpoint(), LocalOssFixture.AK, LocalOssFixture.SK, conf);
    MasterKey master = MasterKey.rsa(TestKeys.rsa(), Map.of());
    sdkCrc = OssCseClient.builder(oss.client()).encryptWith(master).build();
    ownCrc = OssCseClient.builder(crcOff).encryptWith(master).build();
  }

  @AfterEach
  void clearFaults() {
    oss.server().faults().clear();
    oss.server().faults().resetCounts();
  }

  @AfterAll
  void stop() {
    crcOff.shutdown();
    oss.close();
  }

  private OssCseClient client(String check) {
    return check.equals("own") ? ownCrc : sdkCrc;
  }

  private static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @Test
  void crcCheckOff_theBindingComputesItsOwn() {
    assertThat(new AliyunObjectStore(crcOff).computesBodyCrc()).isFalse();
    assertThat(new AliyunObjectStore(oss.client()).computesBodyCrc()).isTrue();
    assertThat(new AliyunObjectStore(crcOff).newCrc64()).isInstanceOf(Crc64.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sdk", "own"})
  void roundTrip_storedCrcIsTheCrcOfTheCiphertext(String check) throws Exception {
    byte[] plain = data(300_000, 1);
    String key = "rt-" + check;
    client(check).putObject(B, key, plain, null);
    byte[] stored;
    try (OSSObject o = oss.client().getObject(B, key);
        InputStream in = o.getObjectContent()) {
      stored = in.readAllBytes();
    }
    Crc64 crc = new Crc64();
    crc.update(stored, 0, stored.length);
    assertThat(oss.client().getObjectMetadata(B, key).getServerCRC()).isEqualTo(crc.getValue());
    try (UnauthenticatedObjectStream in = client(check).getObject(B, key)) {
      assertThat(in.readAllBytes()).isEqualTo(plain);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sdk", "own"})
  void putWithWrongServerCrc_failsAndDeletesTheObject(String check) {
    String key = "put-" + check;
    oss.server().faults().wrongCrcNext(1, RequestMatcher.methodAndKey("PUT", key));
    assertThatThrownBy(() -> client(check).putObject(B, key, data(70_000, 2), null))
        .isInstanceOf(TransferVerificationException.class)
        .hasMessageContaining("CRC-64");
    assertThat(oss.server().faults().injectedCount()).isEqualTo(1);
    assertThat(oss.client().doesObjectExist(B, key)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sdk", "own"})
  void partWithWrongServerCrc_fails(String check) throws Exception {
    String key = "part-" + check;
    byte[] plain = data(200_000, 3);
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(client(check).core(), B, key, 100_000, 200_000, null)) {
      oss.server().faults().wrongCrcNext(1, RequestMatcher.methodAndKey("PUT", key));
      assertThatThrownBy(
              () -> up.uploadPart(1, new ByteArrayInputStream(plain, 0, 100_000), 100_000))
          .isInstanceOf(TransferVerificationException.class)
          .hasMessageContaining("CRC-64");
      assertThat(oss.server().faults().injectedCount()).isEqualTo(1);
      up.abort();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sdk", "own"})
  void getWithCorruptedBody_failsTheCrcCheck(String check) throws Exception {
    String key = "corrupt-" + check;
    client(check).putObject(B, key, data(100_000, 4), null);
    oss.server().faults().corruptGetBodyAt(40_000, 1, RequestMatcher.methodAndKey("GET", key));
    try (UnauthenticatedObjectStream in = client(check).getObject(B, key)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(TransferVerificationException.class)
          .hasMessageContaining("CRC-64");
    }
    assertThat(oss.server().faults().injectedCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sdk", "own"})
  void getWithWrongServerCrc_failsTheCrcCheck(String check) throws Exception {
    String key = "lie-" + check;
    client(check).putObject(B, key, data(100_000, 5), null);
    oss.server().faults().wrongCrcNext(1, RequestMatcher.methodAndKey("GET", key));
    try (UnauthenticatedObjectStream in = client(check).getObject(B, key)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(TransferVerificationException.class)
          .hasMessageContaining("CRC-64");
    }
  }

  @Test
  void getReply_countsEveryByteOnce_withTheCheckOnOrOff() throws Exception {
    byte[] body = data(50_000, 6);
    oss.client().putObject(B, "plain", new ByteArrayInputStream(body));
    Crc64 expected = new Crc64();
    expected.update(body, 0, body.length);
    for (OSS client : new OSS[] {oss.client(), crcOff}) {
      try (OSSObject o = client.getObject(B, "plain")) {
        AliyunObjectStore.SdkReply b = AliyunObjectStore.SdkReply.of(o, ProgressListener.NOOP);
        // The response stream under the SDK's outer CRC-64 layer: one CRC-64 per byte, the
        // response stream's own with the check on, the binding's with it off.
        if (client == crcOff) {
          assertThat(b.bodyCrc64()).isInstanceOf(Crc64.class);
        } else {
          assertThat(b.body()).isSameAs(o.getResponse().getContent());
          assertThat(b.bodyCrc64()).isInstanceOf(CRC64.class);
        }
        assertThat(b.body().readAllBytes()).isEqualTo(body);
        assertThat(b.bodyCrc64().getValue()).isEqualTo(expected.getValue());
      }
    }
    try (OSSObject o = crcOff.getObject(B, "plain")) {
      AliyunObjectStore.SdkReply b = AliyunObjectStore.SdkReply.of(o, event -> {});
      assertThat(b.body()).as("a listener keeps the SDK's layers").isSameAs(o.getObjectContent());
      assertThat(b.body().readAllBytes()).isEqualTo(body);
      assertThat(b.bodyCrc64().getValue()).isEqualTo(expected.getValue());
    }
  }
}
