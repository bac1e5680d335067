package dev.osscse.oss.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.local.oss.FaultInjector;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.EncryptedMultipartUpload;
import dev.osscse.oss.Envelope;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.EnvelopeCrypto;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.FakeKeyService;
import dev.osscse.provider.CtrParameterSpec;
import dev.osscse.provider.DataKey;
import dev.osscse.provider.KmsCacheConfig;
import dev.osscse.provider.KmsKeyReference;
import dev.osscse.provider.OssCseProviders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets stay secret (docs/reliability.md section 5): every key type's and the envelope's {@code
 * toString} shows no key material; content keys refuse use after {@code destroy}; and one run of
 * the whole bad-input matrix plus a fault run with fixed, known keys leaves none of their bytes (in
 * hex, base64 or array form) in any exception text, stack trace, log record or console line.
 */
class SecretHygieneTest {
  @TempDir Path tmp;

  /** A SecureRandom whose every draw is recorded, so content keys and IVs are known. */
  static final class RecordingRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SplittableRandom rnd = new SplittableRandom(77);
    final transient List<byte[]> draws = new ArrayList<>();

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      rnd.nextBytes(bytes);
      if (bytes.length == 16 || bytes.length == 32) {
        draws.add(bytes.clone());
      }
    }
  }

  @Test
  void toString_ofEveryKeyTypeAndEnvelope_showsNoSecret() throws Exception {
    RecordingRandom random = new RecordingRandom();
    EnvelopeCrypto crypto = new EnvelopeCrypto(OssCseProviders.provider(), random);
    FakeKeyService kms = new FakeKeyService().addKey(BadObjectBed.KMS_KEY_1);
    MasterKey rsa = MasterKey.rsa(BadObjectBed.pairA(), Map.of("desc", "main"));
    KmsKeyReference ref = KmsKeyReference.of(kms, BadObjectBed.KMS_KEY_1);
    MasterKey kmsKey = MasterKey.kms(ref, Map.of("kms", "1"));
    EnvelopeCrypto.Sealed sealed = crypto.seal(rsa);
    Envelope envelope = sealed.envelope().unencryptedLength(10).build();
    EnvelopeCrypto.Sealed kmsSealed = crypto.seal(kmsKey);
    DataKey dataKey = kms.generateDataKey(BadObjectBed.KMS_KEY_1, 32, Map.of());
    javax.crypto.KeyGenerator kg =
        javax.crypto.KeyGenerator.getInstance("KMS/ALICLOUD", OssCseProviders.provider());
    kg.init(new dev.osscse.provider.KmsKeyGenParameterSpec(ref, 256));
    javax.crypto.SecretKey generated = kg.generateKey();

    SecretPatterns secrets = BadObjectBed.secrets();
    random.draws.forEach(d -> secrets.add("draw", d));
    secrets.add("dataKey", dataKey.plaintext());
    secrets.add("generated", generated.getEncoded());
    secrets.add("kms master key", kms.keyMaterial(BadObjectBed.KMS_KEY_1));
    List<Object> shown =
        List.of(
            sealed.contentKey(),
            sealed,
            envelope,
            EnvelopeCodec.toUserMetadata(envelope).keySet(),
            kmsSealed.contentKey(),
            rsa,
            kmsKey,
            MasterKeyRing.of(rsa, kmsKey),
            ref,
            dataKey,
            generated,
            new CtrParameterSpec(random.draws.get(1), 32));
    for (Object o : shown) {
      assertThat(secrets.findIn(o.toString())).as("%s", o.getClass()).isEmpty();
    }
    assertThat(envelope.toString()).doesNotContain(BadObjectBed.b64(envelope.wrappedKey()));

    // destroy: zeroed and refused afterwards
    sealed.contentKey().destroy();
    assertThat(sealed.contentKey().isDestroyed()).isTrue();
    assertThat(sealed.contentKey().toString()).contains("destroyed");
    assertThatThrownBy(() -> sealed.contentKey().newCipher(Cipher.DECRYPT_MODE, 0))
        .isInstanceOf(IllegalStateException.class);
    dataKey.destroy();
  }

  @Test
  void scanner_findsAPlantedSecret_inEveryForm() {
    byte[] s = BadObjectBed.seeded(32, 5);
    SecretPatterns p = new SecretPatterns().add("s", s);
    assertThat(p.findIn("x " + HexFormat.of().formatHex(s) + " y")).isNotEmpty();
    assertThat(p.findIn(java.util.Base64.getEncoder().encodeToString(s))).isNotEmpty();
    assertThat(p.findIn(java.util.Arrays.toString(s))).isNotEmpty();
    assertThat(p.findIn("nothing here")).isEmpty();
  }

  @Test
  void wholeMatrixAndFaultRun_leaveNoSecretInAnyMessageLogOrConsoleLine() throws Exception {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(console, true, StandardCharsets.UTF_8);
    List<String> logs = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            StringWriter sw = new StringWriter();
            sw.append(r.getLoggerName()).append(' ').append(String.valueOf(r.getMessage()));
            if (r.getParameters() != null) {
              for (Object o : r.getParameters()) {
                sw.append(' ').append(String.valueOf(o));
              }
            }
            if (r.getThrown() != null) {
              r.getThrown().printStackTrace(new PrintWriter(sw));
            }
            synchronized (logs) {
              logs.add(sw.toString());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    Level oldLevel = root.getLevel();
    root.addHandler(handler);
    root.setLevel(Level.ALL);
    List<String> messages = new ArrayList<>();
    RecordingRandom random = new RecordingRandom();
    RecordingKeyService fakeKms = null;
    FakeKeyService bedKms = null;
    RecordingKeyService localKms = null;
    byte[] localMaster = null;
    int cases = 0;
    System.setOut(tee);
    System.setErr(tee);
    try (BadObjectBed bed = new BadObjectBed(Files.createDirectories(tmp.resolve("oss")))) {
      bedKms = bed.kms();
      fakeKms = new RecordingKeyService(bedKms);
      OssCseClient reader = bed.reader();
      for (BadCases.ObjectCase c : BadCases.objectCases()) {
        messages.add(text(catchThrowable(() -> read(reader, c.objectKey(), null))));
        messages.add(text(catchThrowable(() -> read(reader, c.objectKey(), ByteRange.of(1, 50)))));
        messages.add(
            text(
                catchThrowable(
                    () ->
                        reader.downloadObject(
                            BadObjectBed.BUCKET, c.objectKey(), tmp.resolve("x")))));
        cases++;
      }
      for (BadCases.RangeCase c : BadCases.rangeCases()) {
        messages.add(
            text(catchThrowable(() -> read(reader, "good/rsa", ByteRange.parse(c.range())))));
        cases++;
      }
      OssCseClient writer =
          OssCseClient.builder(bed.oss())
              .secureRandom(random)
              .encryptWith(MasterKey.rsa(BadObjectBed.pairA(), BadObjectBed.RSA_DESC))
              .build();
      for (BadCases.PartCase c : BadCases.partCases()) {
        messages.add(
            text(
                catchThrowable(
                    () -> {
                      try (EncryptedMultipartUpload up =
                          EncryptedMultipartUpload.initiate(
                              writer.core(),
                              BadObjectBed.BUCKET,
                              "p",
                              c.partSize(),
                              c.dataSize(),
                              null)) {
                        try {
                          up.uploadPart(
                              c.partNumber(),
                              new java.io.ByteArrayInputStream(new byte[(int) c.length()]),
                              c.length());
                        } finally {
                          up.abort();
                        }
                      }
                    })));
        cases++;
      }
      // A fault run with known content keys: every fault kind, including unrecoverable ones.
      FaultInjector f = bed.server().faults();
      SplittableRandom rnd = new SplittableRandom(3);
      for (int i = 0; i < 12; i++) {
        byte[] plain = BadObjectBed.seeded(20_000 + i, i);
        String key = "fault/" + i;
        Path target = tmp.resolve("f" + i);
        writer.putObject(BadObjectBed.BUCKET, key, plain, null);
        RequestMatcher get = RequestMatcher.methodAndKey("GET", key);
        switch (i % 6) {
          case 0 -> f.resetGetBodyAfter(rnd.nextInt(20_000), 2, get);
          case 1 -> f.truncateGetBodyAfter(rnd.nextInt(20_000), 2, get);
          case 2 -> f.failNext(2, 503, get);
          case 3 -> f.wrongCrcNext(5, get);
          case 4 -> f.corruptGetBodyAt(rnd.nextInt(20_000), 5, get);
          default -> f.resetGetBodyAfter(100, 50, get);
        }
        messages.add(
            text(catchThrowable(() -> writer.downloadObject(BadObjectBed.BUCKET, key, target))));
        f.clear();
        messages.add(text(catchThrowable(() -> read(writer, key, ByteRange.of(3, 9000)))));
      }
      // KMS: the bed's in-process key service, then the local KMS endpoint over HTTP with
      // throttling, 5xx replies and an outage. Every key byte that crossed either is scanned.
      MasterKey fakeKey =
          MasterKey.kms(
              KmsKeyReference.builder(fakeKms, BadObjectBed.KMS_KEY_1)
                  .cache(KmsCacheConfig.disabled())
                  .build(),
              BadObjectBed.KMS_DESC);
      OssCseClient fakeKmsClient =
          OssCseClient.builder(bed.oss())
              .secureRandom(random)
              .encryptWith(fakeKey)
              .decryptWith(MasterKeyRing.builder().defaultKey(fakeKey).build())
              .build();
      for (int i = 0; i < 3; i++) {
        String key = "fake-kms/" + i;
        byte[] plain = BadObjectBed.seeded(9_000 + i, 40 + i);
        messages.add(
            text(
                catchThrowable(
                    () -> fakeKmsClient.putObject(BadObjectBed.BUCKET, key, plain, null))));
        f.corruptGetBodyAt(100, 5, RequestMatcher.methodAndKey("GET", key));
        messages.add(text(catchThrowable(() -> read(fakeKmsClient, key, null))));
        f.clear();
        messages.add(text(catchThrowable(() -> read(fakeKmsClient, key, ByteRange.of(1, 99)))));
      }
      try (LocalKmsServer kmsServer =
              LocalKmsServer.builder()
                  .dir(Files.createDirectories(tmp.resolve("kms")))
                  .credentials("hygiene-ak", "hygiene-sk")
                  .build()
                  .start();
          AliyunKmsKeyService aliyun =
              AliyunKmsKeyService.builder()
                  .localEndpoint(kmsServer.httpEndpoint())
                  .credentials("hygiene-ak", "hygiene-sk")
                  .maxRetries(2)
                  .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                  .build()) {
        String keyId = kmsServer.createKey();
        localMaster =
            Base64.getDecoder()
                .decode(Files.readString(tmp.resolve("kms").resolve("keys").resolve(keyId)).trim());
        localKms = new RecordingKeyService(aliyun);
        MasterKey localKey =
            MasterKey.kms(
                KmsKeyReference.builder(localKms, keyId).cache(KmsCacheConfig.disabled()).build(),
                Map.of());
        OssCseClient localKmsClient =
            OssCseClient.builder(bed.oss())
                .secureRandom(random)
                .encryptWith(localKey)
                .decryptWith(MasterKeyRing.builder().defaultKey(localKey).build())
                .build();
        for (int i = 0; i < 4; i++) {
          String key = "local-kms/" + i;
          byte[] plain = BadObjectBed.seeded(7_000 + i, 50 + i);
          kmsServer.faults().throttleNext(1 + i % 2);
          messages.add(
              text(
                  catchThrowable(
                      () -> localKmsClient.putObject(BadObjectBed.BUCKET, key, plain, null))));
          kmsServer.faults().failNext(1 + i % 3, 503);
          messages.add(text(catchThrowable(() -> read(localKmsClient, key, null))));
          kmsServer.faults().reset();
        }
        kmsServer.faults().failNext(1000, 500); // an outage
        messages.add(text(catchThrowable(() -> read(localKmsClient, "local-kms/0", null))));
        messages.add(
            text(
                catchThrowable(
                    () ->
                        localKmsClient.putObject(
                            BadObjectBed.BUCKET, "local-kms/x", new byte[100], null))));
        kmsServer.faults().reset();
      }
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      root.removeHandler(handler);
      root.setLevel(oldLevel);
    }
    SecretPatterns secrets = BadObjectBed.secrets();
    random.draws.forEach(d -> secrets.add("random draw", d));
    assertThat(bedKms).isNotNull();
    assertThat(fakeKms).isNotNull();
    assertThat(fakeKms.keyMaterial()).hasSizeGreaterThanOrEqualTo(3);
    secrets.add("bed KMS master key 1", bedKms.keyMaterial(BadObjectBed.KMS_KEY_1));
    secrets.add("bed KMS master key 2", bedKms.keyMaterial(BadObjectBed.KMS_KEY_2));
    fakeKms.keyMaterial().forEach(k -> secrets.add("in-process KMS key material", k));
    assertThat(localKms).isNotNull();
    assertThat(localKms.keyMaterial()).hasSizeGreaterThanOrEqualTo(4);
    localKms.keyMaterial().forEach(k -> secrets.add("local KMS data key", k));
    secrets.add("local KMS master key", localMaster);
    String all =
        String.join("\n", messages)
            + "\n"
            + String.join("\n", logs)
            + "\n"
            + console.toString(StandardCharsets.UTF_8);
    assertThat(cases).isGreaterThanOrEqualTo(30);
    assertThat(messages.stream().filter(m -> !m.isEmpty()).count()).isGreaterThan(50);
    assertThat(random.draws).hasSizeGreaterThanOrEqualTo(24);
    assertThat(secrets.findIn(all)).as("secrets found in captured text").isEmpty();
    oldOut.println(
        "secret scan: "
            + messages.size()
            + " exception texts, "
            + logs.size()
            + " log records, "
            + console.size()
            + " console bytes, "
            + secrets.size()
            + " patterns: clean");
  }

  private static byte[] read(OssCseClient c, String key, ByteRange r) throws Exception {
    try (UnauthenticatedObjectStream in = c.getObject(BadObjectBed.BUCKET, key, r)) {
      return in.readAllBytes();
    }
  }

  private static String text(Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }
}
