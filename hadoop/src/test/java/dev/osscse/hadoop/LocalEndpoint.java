package dev.osscse.hadoop;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import dev.osscse.keys.PemKeys;
import dev.osscse.local.oss.LocalOssServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import org.apache.hadoop.conf.Configuration;

/**
 * One local OSS endpoint per test JVM (port 0, temporary directory) with RSA key files, shared by
 * the contract suites and the file system tests, and the {@code fs.osscse.*} settings to reach it.
 */
public final class LocalEndpoint {
  public static final String ACCESS_KEY_ID = "hadoop-ak";
  public static final String ACCESS_KEY_SECRET = "hadoop-sk";

  private static LocalEndpoint instance;

  public final LocalOssServer server;
  public final Path dir;
  public final KeyPair keyPair;
  public final Path publicPem;
  public final Path privatePem;

  private LocalEndpoint() throws IOException, NoSuchAlgorithmException {
    dir = Files.createTempDirectory("osscse-hadoop");
    server =
        LocalOssServer.builder()
            .dataDirectory(dir.resolve("oss"))
            .port(0)
            .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
            .build()
            .start();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    keyPair = g.generateKeyPair();
    publicPem = dir.resolve("public.pem");
    privatePem = dir.resolve("private.pem");
    PemKeys.writePublicKey(keyPair.getPublic(), publicPem);
    PemKeys.writePrivateKey(keyPair.getPrivate(), privatePem);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
  }

  /** The shared endpoint, started on first use. */
  public static synchronized LocalEndpoint get() {
    if (instance == null) {
      try {
        instance = new LocalEndpoint();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  /** A plain (unencrypting) OSS client of this endpoint; the caller shuts it down. */
  public OSS plainClient() {
    return new OSSClientBuilder().build(server.endpoint(), ACCESS_KEY_ID, ACCESS_KEY_SECRET);
  }

  /** Creates {@code bucket} (if new) and returns settings for osscse:// on this endpoint. */
  public Configuration configuration(String bucket) {
    server.createBucket(bucket);
    Configuration conf = new Configuration(false);
    applyTo(conf);
    return conf;
  }

  /** Writes the endpoint, credentials, key files and small part size into {@code conf}. */
  public void applyTo(Configuration conf) {
    conf.set(OssCseFsSettings.ENDPOINT, server.endpoint());
    conf.set(OssCseFsSettings.ACCESS_KEY_ID, ACCESS_KEY_ID);
    conf.set(OssCseFsSettings.ACCESS_KEY_SECRET, ACCESS_KEY_SECRET);
    conf.set(OssCseFsSettings.RSA_PUBLIC_KEY_FILE, publicPem.toString());
    conf.set(OssCseFsSettings.RSA_PRIVATE_KEY_FILES, privatePem.toString());
    conf.set(OssCseFsSettings.MATDESC, "purpose=hadoop-tests");
    conf.setLong(OssCseFsSettings.PART_SIZE, 128 << 10);
    conf.set("fs.osscse.impl.disable.cache", "true");
  }
}
