package dev.osscse.oss.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.common.utils.CRC64;
import dev.osscse.provider.CtrParameterSpec;
import dev.osscse.provider.OssCseProviders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The encrypting stream against SunJCE, with tiny reads (FMT-5); the decrypting side is {@code
 * dev.osscse.oss.ReadPipelineTest}.
 */
class StreamsTest {
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

  static Cipher ours(int mode, long offset) throws java.security.GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", OssCseProviders.provider());
    c.init(mode, new SecretKeySpec(KEY, "AES"), new CtrParameterSpec(IV, offset));
    return c;
  }

  /** A body that returns at most {@code chunk} bytes per read. */
  static InputStream trickle(byte[] data, int chunk) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  @Property(tries = 40)
  void encrypt_anyChunking_equalsSunJceAndCountsCrc(
      @ForAll @IntRange(min = 0, max = 5000) int size,
      @ForAll @IntRange(min = 1, max = 100) int chunk)
      throws Exception {
    byte[] plain = new byte[size];
    new Random(size + 1).nextBytes(plain);
    EncryptingInputStream enc =
        new EncryptingInputStream(
            trickle(plain, chunk), ours(Cipher.ENCRYPT_MODE, 0), size, new CRC64(), null);
    byte[] ct = enc.readAllBytes();
    assertThat(ct).isEqualTo(sunCtr(plain));
    assertThat(enc.isComplete()).isTrue();
    CRC64 crc = new CRC64();
    crc.update(ct, 0, ct.length);
    assertThat(enc.crc()).isEqualTo(crc.getValue());
  }

  @org.junit.jupiter.api.Test
  void encrypt_sourceShorterOrLongerThanDeclared_fails_FMT8() throws Exception {
    EncryptingInputStream shortSrc =
        new EncryptingInputStream(
            new ByteArrayInputStream(new byte[5]),
            ours(Cipher.ENCRYPT_MODE, 0),
            6,
            new CRC64(),
            null);
    assertThatThrownBy(shortSrc::readAllBytes).isInstanceOf(IOException.class);
    EncryptingInputStream longSrc =
        new EncryptingInputStream(
            new ByteArrayInputStream(new byte[7]),
            ours(Cipher.ENCRYPT_MODE, 0),
            6,
            new CRC64(),
            null);
    assertThatThrownBy(longSrc::readAllBytes).isInstanceOf(IOException.class);
  }

  @org.junit.jupiter.api.Test
  void encrypt_sourceLongerThanDeclared_leavesNoPlaintextInTheReadersBuffer() throws Exception {
    byte[] plain = new byte[100];
    Arrays.fill(plain, (byte) 0x5a);
    EncryptingInputStream enc =
        new EncryptingInputStream(
            new ByteArrayInputStream(plain), ours(Cipher.ENCRYPT_MODE, 0), 60, null, null);
    byte[] b = new byte[100];
    assertThatThrownBy(() -> enc.read(b, 0, b.length)).isInstanceOf(IOException.class);
    for (byte x : b) {
      assertThat(x).isNotEqualTo((byte) 0x5a);
    }
    assertThatThrownBy(() -> enc.read(b, 0, b.length)).isInstanceOf(IOException.class);
  }

  @org.junit.jupiter.api.Test
  void encrypt_sourceLongerThanDeclared_failsBeforeAReaderStoppingAtTheLengthGetsItAll()
      throws Exception {
    EncryptingInputStream enc =
        new EncryptingInputStream(
            new ByteArrayInputStream(new byte[7]), ours(Cipher.ENCRYPT_MODE, 0), 6, null, null);
    assertThatThrownBy(() -> enc.readNBytes(6)).isInstanceOf(IOException.class);
    assertThat(enc.isComplete()).isFalse();
    EncryptingInputStream exact =
        new EncryptingInputStream(
            new ByteArrayInputStream(new byte[6]), ours(Cipher.ENCRYPT_MODE, 0), 6, null, null);
    assertThat(exact.readNBytes(6)).hasSize(6);
    assertThat(exact.isComplete()).isTrue();
  }
}
