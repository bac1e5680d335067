package dev.osscse.oss.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.oss.OSSException;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.EncryptedMultipartUpload;
import dev.osscse.oss.EnvelopeCrypto;
import dev.osscse.oss.EnvelopeException;
import dev.osscse.oss.InvalidByteRangeException;
import dev.osscse.oss.NoMatchingMasterKeyException;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix through the binding (docs/reliability.md section 1): one test per case. Each
 * planted object is read whole, as a range and as a download to a file; every read fails with the
 * case's typed error naming the object and the field, every unwrap failure has the one text "unwrap
 * failed", no message contains a secret, and no output file is left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputMatrixTest {
  @TempDir static Path tmp;
  private BadObjectBed bed;
  private OssCseClient reader;
  private final SecretPatterns secrets = BadObjectBed.secrets();

  @BeforeAll
  void plant() throws Exception {
    bed = new BadObjectBed(Files.createDirectories(tmp.resolve("oss")));
    reader = bed.reader();
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  static Stream<BadCases.ObjectCase> objectCases() {
    return BadCases.objectCases().stream();
  }

  static Stream<BadCases.RangeCase> rangeCases() {
    return BadCases.rangeCases().stream();
  }

  static Stream<BadCases.PartCase> partCases() {
    return BadCases.partCases().stream();
  }

  @Test
  void goodObjects_plantedTheSameWay_decrypt() throws Exception {
    for (String key : List.of("good/rsa", "good/kms")) {
      try (UnauthenticatedObjectStream in = reader.getObject(BadObjectBed.BUCKET, key)) {
        assertThat(in.readAllBytes()).as(key).isEqualTo(BadObjectBed.PLAINTEXT);
      }
    }
    assertThat(
            BadCases.objectCases().size()
                + BadCases.rangeCases().size()
                + BadCases.partCases().size())
        .isGreaterThanOrEqualTo(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objectCases")
  void badObject_wholeRangedAndDownload_failTyped(BadCases.ObjectCase c) throws Exception {
    String uri = "oss://" + BadObjectBed.BUCKET + "/" + c.objectKey();
    Throwable whole = catchThrowable(() -> readAll(c.objectKey(), null));
    Throwable ranged = catchThrowable(() -> readAll(c.objectKey(), ByteRange.of(100, 999)));
    Path outDir = Files.createDirectories(tmp.resolve("out-" + c.name()));
    Throwable download =
        catchThrowable(
            () -> reader.downloadObject(BadObjectBed.BUCKET, c.objectKey(), outDir.resolve("f")));
    for (Throwable t : Arrays.asList(whole, ranged, download)) {
      assertExpected(c, uri, t);
      assertNoSecret(t);
    }
    assertThat(whole.getMessage()).isEqualTo(download.getMessage());
    try (Stream<Path> left = Files.list(outDir)) {
      assertThat(left).as("files left after a failed download").isEmpty();
    }
  }

  private void assertExpected(BadCases.ObjectCase c, String uri, Throwable t) {
    assertThat(t).as(c.name()).isNotNull();
    switch (c.expect()) {
      case ENVELOPE -> {
        assertThat(t).as(c.name()).isInstanceOf(EnvelopeException.class);
        assertThat(((EnvelopeException) t).field()).isEqualTo(c.field());
        assertThat(t.getMessage()).contains(c.field()).contains(uri);
      }
      case NO_KEY -> {
        assertThat(t).isInstanceOf(NoMatchingMasterKeyException.class);
        assertThat(((EnvelopeException) t).field()).isEqualTo(c.field());
        assertThat(t.getMessage()).contains(uri);
      }
      case UNWRAP -> {
        assertThat(t).isExactlyInstanceOf(InvalidKeyException.class);
        assertThat(t.getMessage()).isEqualTo(EnvelopeCrypto.UNWRAP_FAILED);
        assertThat(t.getCause()).isNull();
      }
      default -> throw new AssertionError("not an object case: " + c.expect());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rangeCases")
  void badRange_failsTyped(BadCases.RangeCase c) throws Exception {
    Path outDir = Files.createDirectories(tmp.resolve("out-" + c.name()));
    Throwable t =
        catchThrowable(
            () -> {
              ByteRange r = ByteRange.parse(c.range());
              readAll("good/rsa", r);
            });
    Throwable d =
        catchThrowable(
            () ->
                reader.downloadObject(
                    new com.aliyun.oss.model.GetObjectRequest(BadObjectBed.BUCKET, "good/rsa"),
                    ByteRange.parse(c.range()),
                    outDir.resolve("f")));
    for (Throwable x : Arrays.asList(t, d)) {
      assertThat(x).as(c.name()).isNotNull();
      assertNoSecret(x);
      if (c.expect() == BadCases.Expect.RANGE_SYNTAX) {
        assertThat(x).isInstanceOf(InvalidByteRangeException.class);
        assertThat(x.getMessage()).containsPattern("(?i)range|start|end|suffix");
      } else {
        assertThat(x).isInstanceOf(OSSException.class);
        assertThat(((OSSException) x).getErrorCode()).isEqualTo("InvalidRange");
        assertThat(x.getMessage())
            .contains("range")
            .contains("oss://" + BadObjectBed.BUCKET + "/good/rsa");
      }
    }
    try (Stream<Path> left = Files.list(outDir)) {
      assertThat(left).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partCases")
  void badPart_failsTypedAndNothingIsCompleted(BadCases.PartCase c) throws Exception {
    OssCseClient writer = bed.writer();
    String key = "parts/" + c.name();
    Throwable t =
        catchThrowable(
            () -> {
              try (EncryptedMultipartUpload up =
                  EncryptedMultipartUpload.initiate(
                      writer.core(), BadObjectBed.BUCKET, key, c.partSize(), c.dataSize(), null)) {
                try {
                  up.uploadPart(
                      c.partNumber(),
                      new ByteArrayInputStream(new byte[(int) Math.max(0, c.length())]),
                      c.length());
                } finally {
                  up.abort();
                }
              }
            });
    assertThat(t).as(c.name()).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.getMessage()).containsPattern("(?i)part");
    assertNoSecret(t);
    assertThat(bed.oss().doesObjectExist(BadObjectBed.BUCKET, key)).isFalse();
  }

  @Test
  void unwrapFailures_allHaveOneTypeAndOneText() {
    List<String> texts =
        BadCases.objectCases().stream()
            .filter(c -> c.expect() == BadCases.Expect.UNWRAP)
            .map(
                c -> {
                  Throwable t = catchThrowable(() -> readAll(c.objectKey(), null));
                  assertThat(t).as(c.name()).isNotNull();
                  return t.getClass().getName() + ": " + t.getMessage();
                })
            .distinct()
            .toList();
    assertThat(texts).containsExactly(InvalidKeyException.class.getName() + ": unwrap failed");
  }

  @Test
  void truncatedAndExtendedBodies_neverReturnAByte() {
    for (String k : List.of("bad/body-truncated", "bad/body-longer-than-length")) {
      assertThatThrownBy(() -> reader.getObject(BadObjectBed.BUCKET, k))
          .isInstanceOf(EnvelopeException.class);
    }
  }

  private byte[] readAll(String key, ByteRange range) throws Exception {
    try (UnauthenticatedObjectStream in = reader.getObject(BadObjectBed.BUCKET, key, range)) {
      return in.readAllBytes();
    }
  }

  private void assertNoSecret(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    assertThat(secrets.findIn(sw.toString())).as("secrets in %s", t).isEmpty();
  }
}
