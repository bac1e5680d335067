package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.model.GetObjectRequest;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.aliyun.AliyunObjectStore;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.reliability.BadObjectBed;
import dev.osscse.provider.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReadPipeline#download} on its own: after a connection reset at byte {@code p} the next
 * request starts at exactly {@code p} with a cipher positioned there (unaligned positions
 * included), and a CRC-64 mismatch restarts from byte 0.
 */
class ReadPipelineDownloadTest {
  @TempDir Path tmp;

  @Test
  void resets_resumeAtTheExactByte_withoutRestart() throws Exception {
    try (BadObjectBed bed = new BadObjectBed(Files.createDirectories(tmp.resolve("oss")))) {
      OssCseClient client = bed.writer();
      byte[] plain = BadObjectBed.seeded(100_003, 8);
      client.putObject(BadObjectBed.BUCKET, "r", plain, null);
      RequestMatcher get = RequestMatcher.methodAndKey("GET", "r");
      // Reply offsets: 1000 of the first reply, then 4999 and 17 of the resumed ones.
      bed.server().faults().resetGetBodyAfter(1000, 1, get);
      bed.server().faults().resetGetBodyAfter(4999, 1, get);
      bed.server().faults().resetGetBodyAfter(17, 1, get);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AliyunObjectStore store = new AliyunObjectStore(bed.oss());
      List<String> events = new ArrayList<>();
      ReadPipeline.Outcome o =
          pipeline(client, store)
              .download(store.source(BadObjectBed.BUCKET, "r"), out, out::reset, 1, events);
      assertThat(out.toByteArray()).isEqualTo(plain);
      assertThat(o.bytes()).isEqualTo(plain.length);
      assertThat(o.retries()).isEqualTo(3);
      assertThat(o.resumes()).isEqualTo(3);
      assertThat(o.restarts()).isZero();
      assertThat(events).hasSize(3).allMatch(e -> e.startsWith("body broke off"));
      assertThat(events.get(0)).endsWith("at byte 1000");
      assertThat(events.get(1)).endsWith("at byte 5999");
      assertThat(events.get(2)).endsWith("at byte 6016");

      bed.server().faults().clear();
      bed.server().faults().corruptGetBodyAt(70_000, 1, get);
      out.reset();
      List<String> again = new ArrayList<>();
      ReadPipeline.Outcome o2 =
          pipeline(client, store)
              .download(store.source(BadObjectBed.BUCKET, "r"), out, out::reset, 1, again);
      assertThat(out.toByteArray()).isEqualTo(plain);
      assertThat(o2.restarts()).isEqualTo(1);
      assertThat(again).containsExactly("CRC-64 mismatch after 100003 bytes; starting over");
    }
  }

  @Test
  void rangedDownloads_resets_resumeToExactlyTheRequestedBytes() throws Exception {
    try (BadObjectBed bed = new BadObjectBed(Files.createDirectories(tmp.resolve("oss")))) {
      OssCseClient client = bed.writer();
      byte[] plain = BadObjectBed.seeded(100_003, 9);
      client.putObject(BadObjectBed.BUCKET, "q", plain, null);
      RequestMatcher get = RequestMatcher.methodAndKey("GET", "q");
      Path out = Files.createDirectories(tmp.resolve("out"));
      for (String r : List.of("12345-90000", "77-", "-7777", "0-0")) {
        bed.server().faults().resetGetBodyAfter(1000, 1, get);
        bed.server().faults().resetGetBodyAfter(3333, 1, get);
        bed.server().faults().resetGetBodyAfter(5, 1, get);
        ByteRange range = ByteRange.parse(r);
        Path target = out.resolve("slice");
        client.downloadObject(new GetObjectRequest(BadObjectBed.BUCKET, "q"), range, target);
        bed.server().faults().clear();
        int from =
            range.isSuffix() ? plain.length - (int) range.suffixLength() : (int) range.first();
        int to = range.last() < 0 ? plain.length : (int) range.last() + 1;
        assertThat(Files.readAllBytes(target)).as(r).isEqualTo(Arrays.copyOfRange(plain, from, to));
      }
      bed.server().faults().resetGetBodyAfter(10, Integer.MAX_VALUE, get);
      Path dir = Files.createDirectories(tmp.resolve("doomed"));
      assertThatThrownBy(
              () ->
                  client.downloadObject(
                      new GetObjectRequest(BadObjectBed.BUCKET, "q"),
                      ByteRange.of(0, 50_000),
                      dir.resolve("f")))
          .isInstanceOf(java.io.IOException.class);
      bed.server().faults().clear();
      try (var left = Files.list(dir)) {
        assertThat(left).isEmpty();
      }
    }
  }

  /** Retry budget 5, no pause, one restart. */
  private static ReadPipeline pipeline(OssCseClient client, AliyunObjectStore store) {
    return new ReadPipeline(
        client.core().context()::openKey, false, RetryPolicy.of(5, 0, 0, store::isTransient), null);
  }
}
