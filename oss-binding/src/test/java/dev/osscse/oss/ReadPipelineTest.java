package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.common.utils.CRC64;
import dev.osscse.oss.internal.RangePlan;
import dev.osscse.oss.spi.ObjectStore;
import dev.osscse.provider.OssCseProviders;
import dev.osscse.provider.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CheckedInputStream;
import java.util.zip.Checksum;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The read pipeline over an in-process store that serves a byte array: any window, any chunking,
 * equals SunJCE (FMT-19, FMT-20); a wrong CRC-64 or trailing bytes fail stickily (FMT-21).
 */
class ReadPipelineTest {
  static final byte[] KEY = new byte[32];
  static final byte[] IV = new byte[16];

  static {
    new Random(3).nextBytes(KEY);
    new Random(4).nextBytes(IV);
    Arrays.fill(IV, 8, 12, (byte) 0);
  }

  static byte[] sunCtr(byte[] data) throws Exception {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(IV));
    return c.doFinal(data);
  }

  private static ReadPipeline pipeline() {
    return new ReadPipeline(
        (b, k, e) -> {
          throw new AssertionError("pinned reads unwrap nothing");
        },
        false,
        RetryPolicy.none(),
        null);
  }

  private static ReadPipeline.Pinned pinned(long size) {
    return new ReadPipeline.Pinned(
        "etag", size, null, null, new ContentKey(KEY, IV, OssCseProviders.provider()));
  }

  @Property(tries = 60)
  void decrypt_anyWindowAnyChunking_equalsSunJce(
      @ForAll @IntRange(min = 0, max = 3000) int size,
      @ForAll @IntRange(min = 0, max = 3000) int first,
      @ForAll @IntRange(min = 0, max = 3000) int len,
      @ForAll @IntRange(min = 1, max = 70) int chunk,
      @ForAll boolean singleBytes)
      throws Exception {
    byte[] plain = new byte[size];
    new Random(size).nextBytes(plain);
    byte[] ct = sunCtr(plain);
    int a = size == 0 ? 0 : first % size;
    int b = Math.min(size, a + len);
    FakeSource source = new FakeSource(ct, chunk, null);
    RangePlan plan = size == 0 || b == a ? RangePlan.whole() : RangePlan.range(a, b - 1);
    int from = plan.isWhole() ? 0 : a;
    int to = plan.isWhole() ? size : b;
    ReadPipeline.Read in = pipeline().open(source, plan, pinned(size), RetryPolicy.none().budget());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (singleBytes) {
      for (int x = in.read(); x >= 0; x = in.read()) {
        out.write(x);
      }
    } else {
      byte[] buf = new byte[chunk + 3];
      for (int n = in.read(buf, 1, chunk + 2); n >= 0; n = in.read(buf, 1, chunk + 2)) {
        out.write(buf, 1, n);
      }
    }
    in.close();
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(plain, from, to));
    assertThat(source.closedComplete).isTrue();
  }

  @Test
  void decrypt_wrongCrcOrTrailingBytes_failStickily_FMT21() throws Exception {
    byte[] ct = sunCtr(new byte[100]);
    ReadPipeline.Read wrongCrc =
        pipeline().open(new FakeSource(ct, 100, 1L), RangePlan.whole(), pinned(100), budget());
    // A pinned read carries no server CRC-64 unless the reply states one: the fake states 1.
    assertThatThrownBy(wrongCrc::readAllBytes).isInstanceOf(IOException.class);
    assertThatThrownBy(wrongCrc::read).isInstanceOf(IOException.class);
    FakeSource longer = new FakeSource(ct, 100, null);
    longer.declaredLength = 99;
    ReadPipeline.Read in = pipeline().open(longer, RangePlan.whole(), pinned(99), budget());
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer");
  }

  private static RetryPolicy.Budget budget() {
    return RetryPolicy.none().budget();
  }

  /** Serves {@code object} in chunks of at most {@code chunk} bytes; ETag "etag". */
  static final class FakeSource implements ObjectStore.Source {
    private final byte[] object;
    private final int chunk;
    private final Long serverCrc;
    long declaredLength = -1;
    final AtomicBoolean closedComplete = new AtomicBoolean();

    FakeSource(byte[] object, int chunk, Long serverCrc) {
      this.object = object;
      this.chunk = chunk;
      this.serverCrc = serverCrc;
    }

    @Override
    public String bucket() {
      return "fake";
    }

    @Override
    public String key() {
      return "object";
    }

    @Override
    public ObjectStore.Reply get(long first, long last, String ifMatch) {
      int size = object.length;
      long length = declaredLength >= 0 ? declaredLength : size;
      String contentRange = null;
      int a = 0;
      int b = size;
      if (first >= 0 || last >= 0) {
        a = (int) (first < 0 ? Math.max(0, size - last) : first);
        b = (int) (first < 0 || last < 0 ? size : Math.min(size, last + 1));
        contentRange = "bytes " + a + "-" + (b - 1) + "/" + size;
        length = b - a;
      }
      byte[] body = Arrays.copyOfRange(object, a, b);
      InputStream trickle =
          new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
              return super.read(buf, off, Math.min(len, chunk));
            }
          };
      CheckedInputStream checked = new CheckedInputStream(trickle, new CRC64());
      long replyLength = length;
      String replyRange = contentRange;
      return new ObjectStore.Reply() {
        @Override
        public long contentLength() {
          return replyLength;
        }

        @Override
        public String contentRange() {
          return replyRange;
        }

        @Override
        public String etag() {
          return "etag";
        }

        @Override
        public Long serverCrc64() {
          return serverCrc;
        }

        @Override
        public Map<String, String> userMetadata() {
          return Map.of();
        }

        @Override
        public InputStream body() {
          return checked;
        }

        @Override
        public Checksum bodyCrc64() {
          return checked.getChecksum();
        }

        @Override
        public void close(boolean complete) {
          closedComplete.set(complete);
        }
      };
    }
  }
}
