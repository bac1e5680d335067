package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.aliyun.AliyunObjectStore;
import dev.osscse.provider.RetryPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts and single puts are retried by the store's one {@link RetryPolicy}, like reads, and not by
 * the SDK: the client here keeps the SDK's default of 3 retries, and a transient 503 must still
 * reach the policy (its predicate sees it once) and be counted.
 */
class PolicyRetriesTest {
  @TempDir Path dir;
  private LocalOssBed bed;
  private OSS sdkRetrying;
  private EncryptedStore core;
  private final List<Throwable> seen = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    bed = new LocalOssBed(dir.resolve("oss"));
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    assertThat(conf.getMaxErrorRetry()).isPositive(); // the SDK would retry on its own
    sdkRetrying =
        new OSSClientBuilder().build(bed.server.endpoint(), LocalOssBed.AK, LocalOssBed.SK, conf);
    AliyunObjectStore store = new AliyunObjectStore(sdkRetrying);
    core =
        EncryptedStore.builder(store)
            .encryptWith(LocalOssBed.oldKey())
            .retryPolicy(
                RetryPolicy.of(
                    3,
                    0,
                    0,
                    e -> {
                      seen.add(e);
                      return store.isTransient(e);
                    }))
            .build();
  }

  @AfterEach
  void stop() {
    sdkRetrying.shutdown();
    bed.close();
  }

  @Test
  void transientFaultOnAPart_isRetriedByThePolicy_andCounted() throws Exception {
    byte[] data = LocalOssBed.data(3 * MultipartUploaderTest.PART, 21);
    Path file = Files.write(dir.resolve("parts.bin"), data);
    bed.server.faults().failNext(1, 503, RequestMatcher.methodAndKey("PUT", "parts.bin"));

    MultipartUploadResult r =
        core.multipartUploader()
            .partSize(MultipartUploaderTest.PART)
            .parallelism(1)
            .partAttempts(3)
            .build()
            .upload(BUCKET, "parts.bin", file, null);

    assertThat(bed.server.faults().injectedCount()).isEqualTo(1);
    assertThat(seen).hasSize(1);
    assertThat(r.partRetries()).isEqualTo(1);
    assertThat(r.partCount()).isEqualTo(3);
    assertThat(bed.readAll(bed.client(), "parts.bin")).isEqualTo(data);
  }

  @Test
  void transientFaultOnASinglePut_isRetriedByThePolicy() throws Exception {
    byte[] data = LocalOssBed.data(70_000, 22);
    bed.server.faults().failNext(1, 503, RequestMatcher.methodAndKey("PUT", "single.bin"));

    core.put(BUCKET, "single.bin", data, null);

    assertThat(bed.server.faults().injectedCount()).isEqualTo(1);
    assertThat(seen).hasSize(1);
    assertThat(bed.readAll(bed.client(), "single.bin")).isEqualTo(data);
  }

  @Test
  void partFaultsBeyondTheBudget_failTheUpload_afterThePolicysRetries() throws Exception {
    byte[] data = LocalOssBed.data(2 * MultipartUploaderTest.PART, 23);
    Path file = Files.write(dir.resolve("over.bin"), data);
    bed.server
        .faults()
        .failNext(Integer.MAX_VALUE, 503, RequestMatcher.methodAndKey("PUT", "over.bin"));

    Throwable t =
        catchThrowable(
            () ->
                core.multipartUploader()
                    .partSize(MultipartUploaderTest.PART)
                    .parallelism(1)
                    .partAttempts(2)
                    .build()
                    .upload(BUCKET, "over.bin", file, null));

    assertThat(t).isInstanceOf(MultipartUploadException.class);
    // partAttempts(2): the policy retries the first part once (its predicate consulted once; a
    // spent budget asks no more), then the upload stops; the SDK resent nothing in between.
    assertThat(bed.server.faults().injectedCount()).isEqualTo(2);
    assertThat(seen).hasSize(1);
  }
}
