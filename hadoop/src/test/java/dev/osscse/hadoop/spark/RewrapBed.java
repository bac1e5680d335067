package dev.osscse.hadoop.spark;

import com.aliyun.oss.OSS;
import dev.osscse.hadoop.LocalEndpoint;
import dev.osscse.hadoop.bulk.BulkSettings;
import dev.osscse.keys.PemKeys;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * What the bulk-job tests share: a bucket on the local endpoint, a plain client, a client that
 * writes under the endpoint's (old) RSA key, a new RSA key pair written as PEM files and set as the
 * rewrap target in the Spark session's Hadoop configuration, and a thread pool for per-key work.
 */
final class RewrapBed implements AutoCloseable {
  final LocalEndpoint endpoint;
  final String bucket;
  final OSS plain;
  final OssCseClient oldKeyClient;
  final KeyPair newPair;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  /** Work on one key. */
  interface KeyTask {
    void run(String key) throws Exception;
  }

  /**
   * Creates {@code bucket}, writes the new key pair as {@code <pemPrefix>public.pem} and {@code
   * <pemPrefix>private.pem} in the endpoint's directory, and points the rewrap settings of {@code
   * spark} at them.
   */
  RewrapBed(SparkSession spark, String bucket, String pemPrefix) throws Exception {
    this.endpoint = LocalEndpoint.get();
    this.bucket = bucket;
    endpoint.server.createBucket(bucket);
    plain = endpoint.plainClient();
    oldKeyClient =
        OssCseClient.builder(plain)
            .encryptWith(MasterKey.rsa(endpoint.keyPair, Map.of("purpose", "hadoop-tests")))
            .build();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    newPair = g.generateKeyPair();
    Path pub = endpoint.dir.resolve(pemPrefix + "public.pem");
    Path priv = endpoint.dir.resolve(pemPrefix + "private.pem");
    PemKeys.writePublicKey(newPair.getPublic(), pub);
    PemKeys.writePrivateKey(newPair.getPrivate(), priv);
    Configuration h = spark.sparkContext().hadoopConfiguration();
    h.set(BulkSettings.NEW_RSA_PUBLIC_KEY_FILE, pub.toString());
    h.set(BulkSettings.NEW_RSA_PRIVATE_KEY_FILE, priv.toString());
    h.set(BulkSettings.NEW_MATDESC, "purpose=rotated");
    h.setLong(BulkSettings.REWRAP_MULTIPART_THRESHOLD, 1 << 20);
  }

  /** Runs {@code task} for every key on the pool and rethrows the first failure. */
  void forEach(List<String> keys, KeyTask task) throws Exception {
    List<Future<?>> fs = new ArrayList<>();
    for (String k : keys) {
      fs.add(
          threads.submit(
              () -> {
                task.run(k);
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
  }

  /** The plaintext of {@code key} read through {@code c}. */
  byte[] read(OssCseClient c, String key) throws Exception {
    try (UnauthenticatedObjectStream in = c.getObject(bucket, key)) {
      return in.readAllBytes();
    }
  }

  /** A reader that holds the new key only. */
  OssCseClient newKeyOnly() {
    return OssCseClient.builder(plain)
        .decryptWith(
            MasterKeyRing.builder()
                .add(MasterKey.rsa(null, newPair.getPrivate(), Map.of()))
                .tryEveryKey()
                .build())
        .build();
  }

  @Override
  public void close() {
    threads.shutdownNow();
    plain.shutdown();
  }
}
