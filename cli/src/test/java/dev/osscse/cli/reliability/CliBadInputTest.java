package dev.osscse.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.ListMultipartUploadsRequest;
import dev.osscse.cli.CliContext;
import dev.osscse.cli.Main;
import dev.osscse.keys.PemKeys;
import dev.osscse.oss.reliability.BadCases;
import dev.osscse.oss.reliability.BadObjectBed;
import dev.osscse.oss.reliability.SecretPatterns;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix through the command line (docs/reliability.md section 1): {@code get} to a
 * file and {@code cat} to standard output for every planted object the command line reads with an
 * RSA key, bad {@code --range} values and bad part sizes. Each exits with the documented code and
 * one line naming the object and the header, writes no plaintext byte and leaves no file, and no
 * output line carries a secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliBadInputTest {
  private static final int USAGE = 2;
  private static final int KEY = 4;
  private static final int SERVICE = 6;

  @TempDir static Path tmp;
  private BadObjectBed bed;
  private Map<String, String> env;
  private Path pem;
  private final SecretPatterns secrets = BadObjectBed.secrets();

  record Run(int code, String out, String err, byte[] outBytes) {}

  @BeforeAll
  void plant() throws Exception {
    bed = new BadObjectBed(Files.createDirectories(tmp.resolve("oss")));
    env =
        Map.of(
            "OSS_ENDPOINT", bed.endpoint(),
            "OSS_ACCESS_KEY_ID", BadObjectBed.AK,
            "OSS_ACCESS_KEY_SECRET", BadObjectBed.SK);
    pem = tmp.resolve("a-private.pem");
    Files.writeString(pem, PemKeys.writePrivateKey(BadObjectBed.pairA().getPrivate()));
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Main.execute(new CliContext(o, e, InputStream.nullInputStream(), env, false), args);
    Run r =
        new Run(
            code,
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8),
            out.toByteArray());
    assertThat(secrets.findIn(r.out() + r.err())).as("secrets in output").isEmpty();
    return r;
  }

  /** {@code get} of {@code key} to {@code out} with key A, quietly, and {@code options}. */
  private Run get(String key, Path out, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "get",
                "--bucket",
                BadObjectBed.BUCKET,
                "--key",
                key,
                "--out",
                out.toString(),
                "--rsa-private",
                pem.toString(),
                "--quiet"));
    args.addAll(List.of(options));
    return run(args.toArray(String[]::new));
  }

  /** {@code cat} of {@code key} with key A, quietly. */
  private Run cat(String key) {
    return run(
        "cat",
        "--bucket",
        BadObjectBed.BUCKET,
        "--key",
        key,
        "--rsa-private",
        pem.toString(),
        "--quiet");
  }

  /** {@code put} of {@code file} as {@code key} for key A in parts of {@code partSize}, quietly. */
  private Run putInParts(String key, Path file, String partSize) throws Exception {
    return run(
        "put",
        "--bucket",
        BadObjectBed.BUCKET,
        "--key",
        key,
        "--file",
        file.toString(),
        "--rsa-public",
        publicPem().toString(),
        "--part-size",
        partSize,
        "--quiet");
  }

  static Stream<BadCases.ObjectCase> cliCases() {
    return BadCases.objectCases().stream().filter(BadCases.ObjectCase::viaCli);
  }

  @Test
  void goodObject_getAndCat_decrypt() throws Exception {
    Path out = tmp.resolve("good.bin");
    Run g = get("good/rsa", out);
    assertThat(g.code()).as(g.err()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(BadObjectBed.PLAINTEXT);
    Run c = cat("good/rsa");
    assertThat(c.outBytes()).isEqualTo(BadObjectBed.PLAINTEXT);
    assertThat(cliCases().count()).isGreaterThanOrEqualTo(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cliCases")
  void badObject_getAndCat_failWithKeyExitCode(BadCases.ObjectCase c) throws Exception {
    String uri = "oss://" + BadObjectBed.BUCKET + "/" + c.objectKey();
    Path dir = Files.createDirectories(tmp.resolve("get-" + c.name()));
    Run g = get(c.objectKey(), dir.resolve("f"));
    Run cat = cat(c.objectKey());
    for (Run r : List.of(g, cat)) {
      assertThat(r.code()).as(r.err()).isEqualTo(KEY);
      assertThat(r.err()).startsWith("oss-cse: error: " + uri).contains(c.field());
      assertThat(r.outBytes()).as("plaintext written").isEmpty();
    }
    assertThat(g.err()).isEqualTo(cat.err());
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void unwrapFailures_haveOneText() {
    Set<String> texts = new TreeSet<>();
    for (BadCases.ObjectCase c : BadCases.objectCases()) {
      if (c.viaCli() && c.expect() == BadCases.Expect.UNWRAP) {
        Run r = cat(c.objectKey());
        texts.add(r.err().replace("oss://" + BadObjectBed.BUCKET + "/" + c.objectKey(), "OBJECT"));
      }
    }
    assertThat(texts).hasSize(1);
    assertThat(texts.iterator().next()).contains("unwrap failed");
  }

  static Stream<BadCases.RangeCase> rangeCases() {
    return BadCases.rangeCases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rangeCases")
  void badRange_get_failsWithUsageExitCode(BadCases.RangeCase c) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("range-" + c.name()));
    Run r = get("good/rsa", dir.resolve("f"), "--range", c.range());
    assertThat(r.code()).as(r.err()).isEqualTo(USAGE);
    assertThat(r.err()).contains("--range");
    if (c.expect() == BadCases.Expect.RANGE_PAST_END) {
      assertThat(r.err()).contains("oss://" + BadObjectBed.BUCKET + "/good/rsa");
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void partSize_notAMultipleOf16_orZero_isAUsageError() throws Exception {
    Path file = tmp.resolve("up.bin");
    Files.write(file, BadObjectBed.PLAINTEXT);
    for (String size : List.of("100", "0", "1000008")) {
      Run r = putInParts("up/" + size, file, size);
      assertThat(r.code()).as(r.err()).isEqualTo(USAGE);
      assertThat(r.err()).contains("--part-size");
      assertThat(bed.oss().doesObjectExist(BadObjectBed.BUCKET, "up/" + size)).isFalse();
    }
  }

  @Test
  void partsSmallerThanTheServerMinimum_uploadFailsAndIsAborted() throws Exception {
    Path file = tmp.resolve("up2.bin");
    Files.write(file, BadObjectBed.PLAINTEXT);
    Run r = putInParts("up/small-parts", file, "1024");
    assertThat(r.code()).as(r.err()).isNotZero();
    assertThat(r.err()).contains("oss://" + BadObjectBed.BUCKET + "/up/small-parts");
    assertThat(r.code()).isIn(SERVICE, USAGE);
    assertThat(bed.oss().doesObjectExist(BadObjectBed.BUCKET, "up/small-parts")).isFalse();
    assertThat(
            bed.oss()
                .listMultipartUploads(new ListMultipartUploadsRequest(BadObjectBed.BUCKET))
                .getMultipartUploads())
        .isEmpty();
  }

  private Path publicPem() throws Exception {
    Path p = tmp.resolve("a-public.pem");
    if (!Files.exists(p)) {
      Files.writeString(p, PemKeys.writePublicKey(BadObjectBed.pairA().getPublic()));
    }
    return p;
  }
}
