package dev.osscse.oss.reliability;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.EncryptedObjectChannel;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.ObjectRewrapper;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.WrapAlgorithm;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.FakeKeyService;
import dev.osscse.provider.KmsKeyReference;
import dev.osscse.provider.OssCseProvider;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 threads run 200 mixed operations each (put, get, ranged get, seekable channel, download,
 * multipart, rewrap; RSA and KMS) through one provider instance, one OSS client and one {@link
 * OssCseClient} (docs/reliability.md section 3). Every result is compared with its plaintext.
 */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int OPS = Integer.getInteger("osscse.concurrency.ops", 200);
  private static final String BUCKET = "concurrency";
  private static final long SEED = 0xC0FFEEL;

  @TempDir Path tmp;

  @Test
  void eightThreads_mixedOperations_oneProviderAndOneClient_allResultsExact() throws Exception {
    Provider provider = new OssCseProvider();
    Set<String> servicesBefore = services(provider);
    try (LocalOssServer server =
        LocalOssServer.builder()
            .dataDirectory(Files.createDirectories(tmp.resolve("oss")))
            .credentials("c-ak", "c-sk")
            .minPartSize(16 * 1024)
            .maxThreads(32)
            .build()
            .start()) {
      server.createBucket(BUCKET);
      ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
      conf.setSignatureVersion(SignVersion.V1);
      conf.setMaxConnections(64);
      OSS oss = new OSSClientBuilder().build(server.endpoint(), "c-ak", "c-sk", conf);
      try {
        FakeKeyService kms =
            new FakeKeyService().addKey(BadObjectBed.KMS_KEY_1).addKey(BadObjectBed.KMS_KEY_2);
        MasterKey rsaA = MasterKey.rsa(BadObjectBed.pairA(), Map.of("k", "a"));
        MasterKey rsaB = MasterKey.rsa(BadObjectBed.pairB(), Map.of("k", "b"));
        MasterKey kms1 =
            MasterKey.kms(KmsKeyReference.of(kms, BadObjectBed.KMS_KEY_1), Map.of("k", "kms"));
        MasterKeyRing ring = MasterKeyRing.of(rsaA, rsaB, kms1);
        OssCseClient client =
            OssCseClient.builder(oss)
                .provider(provider)
                .encryptWith(rsaA)
                .decryptWith(ring)
                .build();
        byte[] shared = BadObjectBed.seeded(200_000, 1);
        client.putObject(BUCKET, "shared", shared, null);
        MultipartUploader uploader =
            MultipartUploader.builder(client.core()).partSize(16 * 1024).parallelism(1).build();
        ObjectRewrapper toB = ObjectRewrapper.builder(client.core()).newMasterKey(rsaB).build();
        ObjectRewrapper toKms = ObjectRewrapper.builder(client.core()).newMasterKey(kms1).build();

        AtomicLong verified = new AtomicLong();
        AtomicLong[] kinds = new AtomicLong[8];
        for (int i = 0; i < kinds.length; i++) {
          kinds[i] = new AtomicLong();
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Void>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          final int thread = t;
          Callable<Void> work =
              () -> {
                SplittableRandom rnd = new SplittableRandom(SEED + thread);
                for (int i = 0; i < OPS; i++) {
                  int kind = rnd.nextInt(8);
                  kinds[kind].incrementAndGet();
                  String key = "t" + thread + "/" + i;
                  byte[] plain =
                      new byte[rnd.nextInt(4) == 0 ? rnd.nextInt(48_000) : rnd.nextInt(4096)];
                  rnd.nextBytes(plain);
                  switch (kind) {
                    case 0 -> { // put + get, RSA
                      client.putObject(BUCKET, key, plain, null);
                      assertThat(read(client, key, null)).isEqualTo(plain);
                    }
                    case 1 -> { // KMS envelope (by rewrap), whole get
                      client.putObject(BUCKET, key, plain, null);
                      toKms.rewrap(BUCKET, key);
                      assertThat(client.headEnvelope(BUCKET, key).orElseThrow().wrapAlgorithm())
                          .isEqualTo(WrapAlgorithm.KMS_ALICLOUD);
                      assertThat(read(client, key, null)).isEqualTo(plain);
                    }
                    case 2 -> { // ranged get of the shared object
                      int first = rnd.nextInt(shared.length);
                      int last = Math.min(shared.length - 1, first + rnd.nextInt(20_000));
                      assertThat(read(client, "shared", ByteRange.of(first, last)))
                          .isEqualTo(Arrays.copyOfRange(shared, first, last + 1));
                      plain = new byte[last - first + 1];
                    }
                    case 3 -> { // seekable channel on the shared object
                      try (EncryptedObjectChannel ch =
                          EncryptedObjectChannel.open(client.core(), BUCKET, "shared", 4096)) {
                        int pos = rnd.nextInt(shared.length - 100);
                        ch.position(pos);
                        ByteBuffer b = ByteBuffer.allocate(100);
                        while (b.hasRemaining() && ch.read(b) > 0) {
                          // fill
                        }
                        assertThat(b.array()).isEqualTo(Arrays.copyOfRange(shared, pos, pos + 100));
                      }
                      plain = new byte[100];
                    }
                    case 4 -> { // download to a file
                      client.putObject(BUCKET, key, plain, null);
                      Path f = tmp.resolve("t" + thread + "-" + i);
                      client.downloadObject(BUCKET, key, f);
                      assertThat(Files.readAllBytes(f)).isEqualTo(plain);
                      Files.delete(f);
                    }
                    case 5 -> { // multipart
                      plain = new byte[16 * 1024 * 2 + rnd.nextInt(16 * 1024)];
                      rnd.nextBytes(plain);
                      uploader.upload(
                          BUCKET, key, new ByteArrayInputStream(plain), plain.length, null);
                      assertThat(read(client, key, null)).isEqualTo(plain);
                    }
                    case 6 -> { // rewrap RSA A -> RSA B
                      client.putObject(BUCKET, key, plain, null);
                      toB.rewrap(BUCKET, key);
                      assertThat(read(client, key, null)).isEqualTo(plain);
                    }
                    default -> { // rewrap RSA A -> KMS, ranged read
                      plain = Arrays.copyOf(plain, Math.max(plain.length, 64));
                      client.putObject(BUCKET, key, plain, null);
                      toKms.rewrap(BUCKET, key);
                      assertThat(read(client, key, ByteRange.of(17, plain.length - 1)))
                          .isEqualTo(Arrays.copyOfRange(plain, 17, plain.length));
                    }
                  }
                  verified.addAndGet(plain.length);
                  if (kind != 2 && kind != 3) {
                    oss.deleteObject(BUCKET, key);
                  }
                }
                return null;
              };
          futures.add(pool.submit(work));
        }
        pool.shutdown();
        for (Future<Void> f : futures) {
          f.get(); // rethrows the first assertion failure of that thread
        }
        for (AtomicLong k : kinds) {
          assertThat(k.get()).isPositive();
        }
        assertThat(Arrays.stream(kinds).mapToLong(AtomicLong::get).sum())
            .isEqualTo((long) THREADS * OPS);
        assertThat(services(provider)).isEqualTo(servicesBefore);
        System.out.println(
            "concurrency: threads="
                + THREADS
                + " operations="
                + THREADS * OPS
                + " bytes verified="
                + verified.get());
      } finally {
        oss.shutdown();
      }
    }
  }

  /**
   * The provider's only static mutable field is the documented one: the AES-CTR warm-up policy's
   * volatile hot flag (it only picks a chunk size, never changes output).
   */
  @Test
  void provider_hasNoMutableStaticFieldsBeyondTheDocumentedOnes() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.osscse.provider");
    noFields()
        .that()
        .areStatic()
        .and()
        .areNotFinal()
        .and()
        .doNotHaveFullName("dev.osscse.provider.internal.ctr.AesCtrWarmup.hot")
        .and()
        .areDeclaredInClassesThat()
        .haveSimpleNameNotEndingWith("Test")
        .should()
        .beDeclaredInClassesThat()
        .resideInAPackage("dev.osscse.provider..")
        .because("shared mutable state in the provider must be explicit and documented")
        .allowEmptyShould(true)
        .check(classes);
    assertThat(classes.contain("dev.osscse.provider.OssCseProvider")).isTrue();
  }

  private static byte[] read(OssCseClient c, String key, ByteRange range) throws Exception {
    try (UnauthenticatedObjectStream in = c.getObject(BUCKET, key, range)) {
      return in.readAllBytes();
    }
  }

  private static Set<String> services(Provider p) {
    Set<String> s = new TreeSet<>();
    for (Provider.Service svc : p.getServices()) {
      s.add(svc.getType() + "." + svc.getAlgorithm() + "=" + svc.getClassName());
    }
    return s;
  }
}
