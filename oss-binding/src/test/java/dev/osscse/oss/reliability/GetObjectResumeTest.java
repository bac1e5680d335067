package dev.osscse.oss.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSSException;
import dev.osscse.local.oss.FaultInjector;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.TransferVerificationException;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code OssCseClient.getObject} streams resume a body that breaks off: a ranged GET from the
 * aligned position with {@code If-Match}, one GET per fault, exactly the plaintext out, and the
 * whole-object CRC-64 still covering every byte.
 */
class GetObjectResumeTest {
  private static final int SIZE = 100_003;
  private static final byte[] PLAIN = BadObjectBed.seeded(SIZE, 11);

  @TempDir static Path tmp;
  private static BadObjectBed bed;
  private static OssCseClient client;

  private enum Fault {
    RESET,
    TRUNCATE
  }

  @BeforeAll
  static void start() throws Exception {
    bed = new BadObjectBed(Files.createDirectories(tmp.resolve("oss")));
    client = bed.writer();
    client.putObject(BadObjectBed.BUCKET, "g", PLAIN, null);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @AfterEach
  void clearFaults() {
    bed.server().faults().clear();
  }

  private static RequestMatcher get(String key) {
    return RequestMatcher.methodAndKey("GET", key);
  }

  /** Schedules one fault per reply offset, for the next GETs in order. */
  private static void schedule(Fault fault, String key, long... replyOffsets) {
    FaultInjector f = bed.server().faults();
    for (long at : replyOffsets) {
      if (fault == Fault.RESET) {
        f.resetGetBodyAfter(at, 1, get(key));
      } else {
        f.truncateGetBodyAfter(at, 1, get(key));
      }
    }
  }

  private static byte[] read(ByteRange range, long[] gets) throws Exception {
    long before = bed.server().requestCount();
    try (UnauthenticatedObjectStream in = client.getObject(BadObjectBed.BUCKET, "g", range)) {
      byte[] out = in.readAllBytes();
      gets[0] = bed.server().requestCount() - before;
      return out;
    }
  }

  @Test
  void wholeStream_resetsAndTruncations_resumeToExactPlaintextWithOneGetPerFault()
      throws Exception {
    List<long[]> schedules =
        List.of(
            new long[] {5},
            new long[] {0},
            new long[] {1000, 4999, 17},
            new long[] {4096, 16, 15},
            new long[] {SIZE - 3},
            new long[] {SIZE - 1, 2});
    bed.server().faults().resetCounts();
    for (Fault fault : Fault.values()) {
      for (long[] offsets : schedules) {
        schedule(fault, "g", offsets);
        long[] gets = {0};
        byte[] out = read(null, gets);
        String what = fault + " at " + Arrays.toString(offsets);
        assertThat(out).as(what).isEqualTo(PLAIN);
        assertThat(gets[0]).as(what).isEqualTo(1 + offsets.length);
        assertThat(bed.server().faults().injectedCount()).as(what).isEqualTo(offsets.length);
        bed.server().faults().clear();
        bed.server().faults().resetCounts();
      }
    }
  }

  @Test
  void rangedStream_resetsAndTruncations_resumeToExactlyTheRequestedBytes() throws Exception {
    for (String r : List.of("12345-90000", "77-", "-7777", "5-20", "99990-")) {
      ByteRange range = ByteRange.parse(r);
      int from = range.isSuffix() ? SIZE - (int) range.suffixLength() : (int) range.first();
      int to = range.last() < 0 ? SIZE : (int) range.last() + 1;
      long alignedFrom =
          range.isSuffix() ? Math.max(0, SIZE - range.suffixLength() - 15) : from & ~15;
      long replyLength = to - alignedFrom;
      byte[] expected = Arrays.copyOfRange(PLAIN, from, to);
      List<long[]> schedules =
          List.of(
              new long[] {3},
              new long[] {Math.min(1000, replyLength - 1), replyLength > 1100 ? 17 : 0},
              new long[] {replyLength - 2});
      for (Fault fault : Fault.values()) {
        for (long[] offsets : schedules) {
          schedule(fault, "g", offsets);
          long[] gets = {0};
          byte[] out = read(range, gets);
          String what = r + " " + fault + " at " + Arrays.toString(offsets);
          assertThat(out).as(what).isEqualTo(expected);
          assertThat(gets[0]).as(what).isEqualTo(1 + offsets.length);
          bed.server().faults().clear();
        }
      }
    }
  }

  @Test
  void wholeStream_corruptByteNoReset_failsTheCrcCheckOnTheSdksOwnChecksum() throws Exception {
    // No resume: the stream verifies with the CRC-64 the SDK computes over the body.
    client.putObject(BadObjectBed.BUCKET, "n", PLAIN, null);
    bed.server().faults().corruptGetBodyAt(40_000, 1, get("n"));
    try (UnauthenticatedObjectStream in = client.getObject(BadObjectBed.BUCKET, "n")) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("CRC-64");
    }
    try (UnauthenticatedObjectStream in = client.getObject(BadObjectBed.BUCKET, "n")) {
      assertThat(in.readAllBytes()).isEqualTo(PLAIN);
    }
  }

  @Test
  void wholeStream_corruptByteAfterReset_failsTheCrcCheckAtTheEnd() throws Exception {
    // After a resume the stream feeds the running CRC-64 itself.
    client.putObject(BadObjectBed.BUCKET, "h", PLAIN, null);
    bed.server().faults().resetGetBodyAfter(1000, 1, get("h"));
    try (UnauthenticatedObjectStream in = client.getObject(BadObjectBed.BUCKET, "h")) {
      // Added once the first reply is under way, so only the resumed reply carries it.
      bed.server().faults().corruptGetBodyAt(5000, 1, get("h"));
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("CRC-64");
    }
  }

  @Test
  void wholeStream_corruptByteBeforeReset_stillFailsTheCrcCheckAtTheEnd() throws Exception {
    bed.server().faults().corruptGetBodyAt(500, 1, get("g"));
    bed.server().faults().resetGetBodyAfter(1000, 1, get("g"));
    try (UnauthenticatedObjectStream in = client.getObject(BadObjectBed.BUCKET, "g")) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("CRC-64");
    }
  }

  @Test
  void stream_objectReplacedBeforeResume_failsWithPreconditionFailed() throws Exception {
    byte[] other = BadObjectBed.seeded(SIZE, 12);
    for (ByteRange range : Arrays.asList(null, ByteRange.parse("333-80000"))) {
      client.putObject(BadObjectBed.BUCKET, "c", PLAIN, null);
      bed.server().faults().truncateGetBodyAfter(1000, 1, get("c"));
      try (UnauthenticatedObjectStream in = client.getObject(BadObjectBed.BUCKET, "c", range)) {
        client.putObject(BadObjectBed.BUCKET, "c", other, null);
        assertThatThrownBy(in::readAllBytes)
            .isInstanceOf(TransferVerificationException.class)
            .hasMessageContaining("oss://" + BadObjectBed.BUCKET + "/c")
            .hasMessageContaining("PreconditionFailed")
            .cause()
            .isInstanceOf(OSSException.class)
            .extracting(e -> ((OSSException) e).getErrorCode())
            .isEqualTo("PreconditionFailed");
        assertThatThrownBy(() -> in.read(new byte[16]))
            .as("a failed stream stays failed")
            .isInstanceOf(IOException.class);
      }
      bed.server().faults().clear();
    }
  }

  @Test
  void stream_faultOnEveryReply_failsAfterTheRetriesAreUsedUp() throws Exception {
    for (ByteRange range : Arrays.asList(null, ByteRange.parse("100-60000"))) {
      bed.server().faults().resetGetBodyAfter(10, Integer.MAX_VALUE, get("g"));
      long before = bed.server().requestCount();
      try (UnauthenticatedObjectStream in = client.getObject(BadObjectBed.BUCKET, "g", range)) {
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> in.read(new byte[16])).isInstanceOf(IOException.class);
      }
      // The first GET and 10 resumes, each broken after 10 bytes.
      assertThat(bed.server().requestCount() - before).isEqualTo(11);
      bed.server().faults().clear();
    }
  }
}
