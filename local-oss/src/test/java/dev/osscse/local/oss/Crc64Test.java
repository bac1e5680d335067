package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.common.utils.CRC64;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Crc64Test {

  @Test
  void crc64_checkValue_matchesCrc64Xz() {
    Crc64 c = new Crc64();
    byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
    c.update(b, 0, b.length);
    assertThat(Crc64.toUnsignedString(c.getValue())).isEqualTo("11051210869376104954");
  }

  @Property(tries = 200)
  void crc64_anyChunking_matchesSdkCrc64(
      @ForAll @Size(max = 3000) byte[] data, @ForAll @IntRange(min = 1, max = 40) int chunk) {
    Crc64 ours = new Crc64();
    for (int off = 0; off < data.length; off += chunk) {
      ours.update(data, off, Math.min(chunk, data.length - off));
    }
    CRC64 sdk = new CRC64();
    sdk.update(data, 0, data.length);
    assertThat(ours.getValue()).isEqualTo(sdk.getValue());
  }

  @Property(tries = 200)
  void combine_matchesSdkAndWholeCrc(
      @ForAll @Size(max = 2000) byte[] a, @ForAll @Size(max = 2000) byte[] b) {
    Crc64 ca = new Crc64();
    ca.update(a, 0, a.length);
    Crc64 cb = new Crc64();
    cb.update(b, 0, b.length);
    Crc64 whole = new Crc64();
    whole.update(a, 0, a.length);
    whole.update(b, 0, b.length);
    long combined = Crc64.combine(ca.getValue(), cb.getValue(), b.length);
    assertThat(combined).isEqualTo(whole.getValue());
    assertThat(combined).isEqualTo(CRC64.combine(ca.getValue(), cb.getValue(), b.length));
  }
}
