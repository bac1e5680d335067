package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.AK;
import static dev.osscse.oss.LocalOssBed.BUCKET;
import static dev.osscse.oss.LocalOssBed.SK;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.common.utils.CRC64;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.aliyun.AliyunObjectStore;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.spi.ListPartsReader;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code close()}, {@code abort()} or {@code complete()} on one thread while parts upload on
 * others, end to end over HTTP with the real SDK client: every part that reaches the server is
 * ciphertext under the object's own content key (its listed CRC-64 equals that of the plaintext
 * encrypted under the key the envelope wraps), and a completed object decrypts to its plaintext.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultipartFinishRaceTest {
  static final int PART = 4096;
  static final int PARTS = 12;
  static final int UPLOADERS = 4;
  static final int TRIALS = 240;

  @TempDir static Path dir;
  LocalOssServer server;
  OSS oss;
  OssCseClient cse;

  @BeforeAll
  void start() throws Exception {
    server =
        LocalOssServer.builder()
            .dataDirectory(Files.createDirectories(dir.resolve("oss")))
            .credentials(AK, SK)
            .strictCseUploadPart(true)
            .minPartSize(0)
            .build()
            .start();
    server.createBucket(BUCKET);
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    oss = new OSSClientBuilder().build(server.endpoint(), AK, SK, conf);
    cse = OssCseClient.builder(oss).encryptWith(LocalOssBed.oldKey()).build();
  }

  @AfterAll
  void stop() {
    oss.shutdown();
    server.close();
  }

  enum Finish {
    CLOSE,
    ABORT,
    COMPLETE
  }

  @Test
  void finishRacingPartUploads_noPartStoredUnderAnyKeyButTheObjects() throws Exception {
    byte[] data = LocalOssBed.data(PART * PARTS, 77);
    Random random = new Random(20261204L);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    int stored = 0;
    int wrongKey = 0;
    int completed = 0;
    ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS + 1);
    try {
      for (int trial = 0; trial < TRIALS; trial++) {
        Finish finish = Finish.values()[trial % 3];
        String key = "race-" + trial + ".bin";
        EncryptedMultipartUpload up =
            EncryptedMultipartUpload.initiate(cse.core(), BUCKET, key, PART, -1, null);
        int finishAfter = random.nextInt(PARTS + 1);
        CountDownLatch partsBeforeFinish = new CountDownLatch(finishAfter);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> uploaders = new ArrayList<>();
        for (int t = 0; t < UPLOADERS; t++) {
          int first = t + 1;
          uploaders.add(
              pool.submit(
                  () -> {
                    go.await();
                    for (int n = first; n <= PARTS; n += UPLOADERS) {
                      try {
                        up.uploadPart(
                            n, new ByteArrayInputStream(data, (n - 1) * PART, PART), PART);
                        sent.incrementAndGet();
                      } catch (IllegalStateException | OSSException finished) {
                        refused.incrementAndGet(); // finished (closed, or aborted on the server)
                      }
                      partsBeforeFinish.countDown();
                    }
                    return null;
                  }));
        }
        Future<Boolean> finisher =
            pool.submit(
                () -> {
                  go.await();
                  partsBeforeFinish.await();
                  switch (finish) {
                    case CLOSE -> up.close();
                    case ABORT -> up.abort();
                    case COMPLETE -> {
                      try {
                        up.complete();
                        return true;
                      } catch (IllegalStateException missingPart) {
                        return false; // parts still missing: nothing completed
                      }
                    }
                  }
                  return false;
                });
        go.countDown();
        boolean complete = finisher.get();
        for (Future<?> u : uploaders) {
          u.get();
        }
        ContentKey objectKey = cse.envelopeCrypto().open(up.envelope(), LocalOssBed.oldKey());
        if (complete) {
          completed++;
          byte[] back;
          try (UnauthenticatedObjectStream in = cse.getObject(BUCKET, key)) {
            back = in.readAllBytes();
          }
          // Parts 1..k of the plaintext, decrypted under the object's key.
          if (back.length == 0
              || back.length % PART != 0
              || !Arrays.equals(back, Arrays.copyOf(data, back.length))) {
            wrongKey++;
          }
        } else if (finish != Finish.ABORT) {
          for (ListPartsReader.Part p :
              new AliyunObjectStore(oss).listParts(BUCKET, key, up.uploadId()).parts()) {
            stored++;
            long expected = ciphertextCrc(objectKey, data, p.number());
            if (p.crc64() == null || p.crc64() != expected) {
              wrongKey++;
            }
          }
          oss.abortMultipartUpload(
              new com.aliyun.oss.model.AbortMultipartUploadRequest(BUCKET, key, up.uploadId()));
        }
        objectKey.destroy();
        up.close();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf(
        "Finish race: %d trials, %d parts sent, %d refused, %d listed parts checked, %d objects"
            + " completed, %d parts under another key%n",
        TRIALS, sent.get(), refused.get(), stored, completed, wrongKey);
    assertThat(wrongKey).as("parts stored under a key other than the object's").isZero();
    assertThat(stored).as("listed parts checked").isPositive();
    assertThat(refused.get()).as("parts refused after a finish").isPositive();
    assertThat(completed).as("objects completed while parts raced").isPositive();
  }

  private static long ciphertextCrc(ContentKey key, byte[] data, int partNumber) throws Exception {
    Cipher c = key.newCipher(Cipher.ENCRYPT_MODE, (long) (partNumber - 1) * PART);
    byte[] ct = c.doFinal(data, (partNumber - 1) * PART, PART);
    CRC64 crc = new CRC64();
    crc.update(ct, 0, ct.length);
    return crc.getValue();
  }
}
