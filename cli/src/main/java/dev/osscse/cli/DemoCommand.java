package dev.osscse.cli;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.keys.PemKeys;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.Envelope;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.WrapAlgorithm;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.KmsKeyReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the whole library end to end against in-process local endpoints, with the official
 * SDK as the compatibility check.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Run everything end to end on local endpoints, with timings.",
    description = {
      "Start local OSS and KMS endpoints in process, make an RSA key pair and a KMS key, encrypt"
          + " and upload a generated file (single put and multipart), read it back whole and by"
          + " random ranges, read it with the official OSSEncryptionClient (aliyun-sdk-oss"
          + " SimpleRSAEncryptionMaterials), rewrap it to the KMS key, and print what was done"
          + " with timings.",
      "Exits 0 if every check passed, 5 otherwise."
    })
final class DemoCommand extends BaseCommand {
  private static final String BUCKET = "oss-cse-demo";

  @Option(
      names = "--size",
      paramLabel = "N",
      converter = SizeConverter.class,
      defaultValue = "24M",
      description = "Size of the generated file (default ${DEFAULT-VALUE}).")
  long size;

  @Option(
      names = "--ranges",
      paramLabel = "N",
      defaultValue = "24",
      description = "Number of random ranges read back per object (default ${DEFAULT-VALUE}).")
  int ranges;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Work directory to keep (default: a temporary one, deleted at the end).")
  Path dir;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "20261127",
      description = "Seed of the generated data and ranges (default ${DEFAULT-VALUE}).")
  long seed;

  private final List<String[]> rows = new ArrayList<>();
  private int failures;
  private PrintStream log;

  DemoCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() throws Exception {
    if (size < 1024 || size > (1L << 32)) {
      throw new CliException(ExitCodes.USAGE, "--size must be 1K..4G, got " + size);
    }
    if (ranges < 0 || ranges > 10_000) {
      throw new CliException(ExitCodes.USAGE, "--ranges must be 0..10000, got " + ranges);
    }
    log = ctx.out();
    boolean temporary = dir == null;
    Path work = temporary ? Files.createTempDirectory("oss-cse-demo") : dir;
    Files.createDirectories(work);
    long tStart = System.nanoTime();
    try {
      run(work);
    } finally {
      if (temporary) {
        deleteTree(work);
      }
    }
    log.println();
    log.printf(
        Locale.ROOT,
        "demo: %d checks, %d failed, %s in all%n",
        rows.size(),
        failures,
        Format.seconds(System.nanoTime() - tStart));
    log.flush();
    return failures == 0 ? ExitCodes.OK : ExitCodes.INTEGRITY;
  }

  private void run(Path work) throws Exception {
    LocalEndpoints ends =
        LocalEndpoints.start(work.resolve("endpoints"), 0, 0, 0, null, null, List.of(BUCKET));
    try {
      Map<String, String> vars = ends.variables();
      log.println("demo: local OSS " + vars.get("OSS_ENDPOINT"));
      log.println(
          "demo: local KMS "
              + vars.get("KMS_ENDPOINT")
              + " and "
              + vars.get("KMS_TLS_ENDPOINT")
              + " (used here, trusting "
              + vars.get("KMS_TRUSTSTORE")
              + ")");
      log.println("demo: work directory " + work + "; data " + Format.bytes(size));
      log.println();
      Map<String, String> env = new HashMap<>(vars);
      env.put("KMS_ENDPOINT", vars.get("KMS_TLS_ENDPOINT"));
      CliContext demoCtx = new CliContext(ctx.out(), ctx.err(), ctx.in(), env, false);
      try (Connections c = new Connections(demoCtx, null)) {
        steps(work, ends, c, demoCtx);
      }
    } finally {
      ends.close();
    }
  }

  private void steps(Path work, LocalEndpoints ends, Connections c, CliContext demoCtx)
      throws Exception {
    Path file = work.resolve("plain.bin");
    step(
        "generate test file",
        () -> {
          writeRandomFile(file, size, seed);
          return Format.bytes(size) + ", sha256 " + shortHash(sha256(file));
        });
    byte[] fileHash = sha256(file);

    KeyPair[] pair = new KeyPair[1];
    step(
        "RSA-2048 key pair",
        () -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(2048);
          pair[0] = g.generateKeyPair();
          PemKeys.writePrivateKey(pair[0].getPrivate(), work.resolve("demo-private.pem"));
          PemKeys.writePublicKey(pair[0].getPublic(), work.resolve("demo-public.pem"));
          return "PEM files demo-private.pem (0600) and demo-public.pem";
        });
    String[] kmsKeyId = new String[1];
    step(
        "KMS master key",
        () -> {
          kmsKeyId[0] = ends.kms.createKey();
          return "key id " + kmsKeyId[0];
        });

    Map<String, String> rsaDesc = Map.of("demo", "rsa");
    MasterKey rsa = MasterKey.rsa(pair[0], rsaDesc);
    OssCseClient cse = OssCseClient.builder(c.oss()).encryptWith(rsa).build();
    String single = "demo/single.bin";
    String multi = "demo/multipart.bin";

    step(
        "put (single PutObject, RSA)",
        () -> {
          long t0 = System.nanoTime();
          cse.putObject(BUCKET, single, file, null);
          return rate(size, System.nanoTime() - t0);
        });
    long partSize = Math.max(256 * 1024, (size / 5 + 15) / 16 * 16);
    step(
        "put (multipart, RSA)",
        () -> {
          long t0 = System.nanoTime();
          try (Progress p = Progress.start(demoCtx, true, "", size)) {
            Uploads.multipart(cse, BUCKET, multi, file, partSize, 2, p);
          }
          long parts = (size + partSize - 1) / partSize;
          return parts
              + " parts of "
              + Format.bytes(partSize)
              + ", 2 at once, "
              + rate(size, System.nanoTime() - t0);
        });
    for (String key : List.of(single, multi)) {
      step(
          "get whole " + key,
          () -> {
            long t0 = System.nanoTime();
            byte[] h;
            try (UnauthenticatedObjectStream in = cse.getObject(BUCKET, key)) {
              h = sha256(in);
            }
            long t = System.nanoTime() - t0;
            expect(Arrays.equals(h, fileHash), "plaintext sha256 differs from the file's");
            return "sha256 matches, " + rate(size, t);
          });
    }
    for (String key : List.of(single, multi)) {
      step(
          ranges + " random ranges " + key,
          () -> {
            SplittableRandom r = new SplittableRandom(seed ^ key.hashCode());
            long bytes = 0;
            long t0 = System.nanoTime();
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
              for (int i = 0; i < ranges; i++) {
                ByteRange range = randomRange(r, size, i);
                long first = range.isSuffix() ? size - range.suffixLength() : range.first();
                long last = range.isOpenEnded() || range.isSuffix() ? size - 1 : range.last();
                byte[] got;
                try (UnauthenticatedObjectStream in = cse.getObject(BUCKET, key, range)) {
                  got = in.readAllBytes();
                }
                byte[] want = new byte[(int) (last - first + 1)];
                raf.seek(first);
                raf.readFully(want);
                expect(Arrays.equals(got, want), "range " + range + " differs");
                bytes += got.length;
              }
            }
            return "all equal to the file's bytes ("
                + Format.bytes(bytes)
                + " in "
                + Format.seconds(System.nanoTime() - t0)
                + ")";
          });
    }
    OSS official =
        new OSSEncryptionClientBuilder()
            .build(
                ends.oss.endpoint(),
                new DefaultCredentialProvider(ends.accessKeyId, ends.accessKeySecret),
                new SimpleRSAEncryptionMaterials(pair[0], new HashMap<>(rsaDesc)));
    try {
      for (String key : List.of(single, multi)) {
        step(
            "official OSSEncryptionClient reads " + key,
            () -> {
              long t0 = System.nanoTime();
              OSSObject o = official.getObject(BUCKET, key);
              byte[] h;
              try (InputStream in = o.getObjectContent()) {
                h = sha256(in);
              }
              expect(Arrays.equals(h, fileHash), "official client's plaintext differs");
              return "aliyun-sdk-oss 3.18.5 decrypts it, sha256 matches, "
                  + rate(size, System.nanoTime() - t0);
            });
      }
      step(
          "oss-cse reads an official-client object",
          () -> {
            byte[] data = new byte[(int) Math.min(size, 1 << 20)];
            new SplittableRandom(seed + 1).nextBytes(data);
            official.putObject(BUCKET, "demo/official.bin", new ByteArrayInputStream(data));
            byte[] got;
            try (UnauthenticatedObjectStream in = cse.getObject(BUCKET, "demo/official.bin")) {
              got = in.readAllBytes();
            }
            expect(Arrays.equals(got, data), "plaintext of the official client's object differs");
            return Format.bytes(data.length) + " written by SimpleRSAEncryptionMaterials";
          });
    } finally {
      official.shutdown();
    }

    KmsKeyReference kmsRef = KmsKeyReference.of(c.kms(), kmsKeyId[0]);
    MasterKey kms = MasterKey.kms(kmsRef, Map.of("demo", "kms"));
    step(
        "rewrap " + single + " to the KMS key",
        () -> {
          long t0 = System.nanoTime();
          Rewraps.rewrap(cse, BUCKET, single, kms);
          Optional<Envelope> e =
              EnvelopeCodec.fromUserMetadata(
                  c.oss().getObjectMetadata(BUCKET, single).getUserMetadata());
          expect(
              e.isPresent() && e.get().wrapAlgorithm() == WrapAlgorithm.KMS_ALICLOUD,
              "wrap-alg after rewrap is not KMS/ALICLOUD");
          return "wrap-alg now KMS/ALICLOUD over HTTPS, " + Format.seconds(System.nanoTime() - t0);
        });
    step(
        "get " + single + " with the KMS key",
        () -> {
          OssCseClient kmsReader =
              OssCseClient.builder(c.oss())
                  .decryptWith(MasterKeyRing.builder().defaultKey(kms).build())
                  .build();
          long t0 = System.nanoTime();
          byte[] h;
          try (UnauthenticatedObjectStream in = kmsReader.getObject(BUCKET, single)) {
            h = sha256(in);
          }
          expect(Arrays.equals(h, fileHash), "plaintext after rewrap differs");
          return "sha256 matches, " + rate(size, System.nanoTime() - t0);
        });
    step(
        "the RSA key no longer opens " + single,
        () -> {
          try (UnauthenticatedObjectStream in = cse.getObject(BUCKET, single)) {
            in.readAllBytes();
          } catch (java.security.GeneralSecurityException expected) {
            return "refused as expected (" + expected.getClass().getSimpleName() + ")";
          }
          throw new DemoCheckFailed("the old RSA key still read the rewrapped object");
        });
    log.println();
    log.println("demo: oss-cse inspect --bucket " + BUCKET + " --key " + single);
    ByteArrayOutputStream inspect = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(inspect, true, StandardCharsets.UTF_8);
    CliContext inspectCtx = new CliContext(ps, ps, ctx.in(), demoCtx.environment(), false);
    int code = Main.execute(inspectCtx, "inspect", "--bucket", BUCKET, "--key", single);
    inspect.toString(StandardCharsets.UTF_8).lines().forEach(line -> log.println("  " + line));
    if (code != 0) {
      failures++;
    }
  }

  private static ByteRange randomRange(SplittableRandom r, long size, int i) {
    return switch (i % 4) {
      case 0 -> ByteRange.suffix(1 + r.nextLong(Math.min(size, 1 << 20)));
      case 1 -> ByteRange.from(size - 1 - r.nextLong(Math.min(size, 1 << 20)));
      default -> {
        long first = r.nextLong(size);
        long len = 1 + r.nextLong(Math.min(size - first, 1 << 20));
        yield ByteRange.of(first, first + len - 1);
      }
    };
  }

  private void step(String name, Callable<String> body) {
    long t0 = System.nanoTime();
    String detail;
    boolean ok;
    try {
      detail = body.call();
      ok = true;
    } catch (DemoCheckFailed e) {
      detail = "FAILED: " + e.getMessage();
      ok = false;
    } catch (Exception e) {
      CliException ce = Errors.classify(e, null);
      detail = "FAILED: " + Main.oneLine(ce.getMessage());
      ok = false;
    }
    long t = System.nanoTime() - t0;
    if (!ok) {
      failures++;
    }
    rows.add(new String[] {name, detail});
    log.printf(
        Locale.ROOT, "  %-4s %-52s %8s  %s%n", ok ? "ok" : "FAIL", name, Format.seconds(t), detail);
    log.flush();
  }

  private static void expect(boolean condition, String failure) {
    if (!condition) {
      throw new DemoCheckFailed(failure);
    }
  }

  /** A demo check whose result was wrong. */
  private static final class DemoCheckFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoCheckFailed(String message) {
      super(message);
    }
  }

  private static String rate(long n, long nanos) {
    return Format.rate(n, nanos);
  }

  private static void writeRandomFile(Path file, long size, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        int n = (int) Math.min(buf.length, left);
        r.nextBytes(buf);
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }

  private static byte[] sha256(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  private static byte[] sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) > 0) {
      md.update(buf, 0, n);
    }
    return md.digest();
  }

  private static String shortHash(byte[] h) {
    return HexFormat.of().formatHex(h, 0, 8) + "...";
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // leave what cannot be deleted
                }
              });
    } catch (IOException e) {
      // nothing to clean up
    }
  }
}
