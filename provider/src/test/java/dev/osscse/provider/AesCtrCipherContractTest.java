package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JCA contract of our AES/CTR/NoPadding, side by side with SunJCE where they must agree. */
class AesCtrCipherContractTest {
  private static final Provider OURS = OssCseProviders.provider();
  private static final byte[] KEY = HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c");
  private static final byte[] IV = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  private static final SecretKeySpec AES_KEY = new SecretKeySpec(KEY, "AES");

  private static Cipher cipher(Provider p) throws Exception {
    return Cipher.getInstance("AES/CTR/NoPadding", p);
  }

  private static Cipher ours(int mode) throws Exception {
    Cipher c = cipher(OURS);
    c.init(mode, AES_KEY, new IvParameterSpec(IV));
    return c;
  }

  private static byte[] data(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void update_outputTooShort_throwsShortBufferAndKeepsState() throws Exception {
    for (Provider p : new Provider[] {OURS, CtrOracle.SUN_JCE}) {
      Cipher c = cipher(p);
      c.init(Cipher.ENCRYPT_MODE, AES_KEY, new IvParameterSpec(IV));
      byte[] in = data(40);
      byte[] small = new byte[39];
      assertThatThrownBy(() -> c.update(in, 0, 40, small, 0))
          .as(p.getName())
          .isInstanceOf(ShortBufferException.class)
          .hasMessageContaining("40");
      assertThatThrownBy(() -> c.doFinal(in, 0, 40, new byte[50], 11))
          .isInstanceOf(ShortBufferException.class);
      assertThatThrownBy(() -> c.update(ByteBuffer.wrap(in), ByteBuffer.allocate(39)))
          .isInstanceOf(ShortBufferException.class);
      assertThatThrownBy(() -> c.doFinal(ByteBuffer.wrap(in), ByteBuffer.allocateDirect(39)))
          .isInstanceOf(ShortBufferException.class);
      assertThat(small).containsOnly(0);
      // Nothing was consumed: the output is the one-shot result from the start.
      assertThat(c.doFinal(in)).isEqualTo(CtrOracle.encryptAt(CtrOracle.SUN_JCE, KEY, IV, 0, in));
    }
  }

  @Test
  void sizes_andIv_matchSunJce() throws Exception {
    Cipher ours = cipher(OURS);
    Cipher sun = cipher(CtrOracle.SUN_JCE);
    assertThat(ours.getIV()).isNull();
    assertThat(sun.getIV()).isNull();
    ours.init(Cipher.ENCRYPT_MODE, AES_KEY, new IvParameterSpec(IV));
    sun.init(Cipher.ENCRYPT_MODE, AES_KEY, new IvParameterSpec(IV));
    assertThat(ours.getBlockSize()).isEqualTo(16).isEqualTo(sun.getBlockSize());
    for (int n : new int[] {0, 1, 15, 16, 17, 1000}) {
      assertThat(ours.getOutputSize(n)).isEqualTo(n).isEqualTo(sun.getOutputSize(n));
    }
    assertThat(ours.getIV()).isEqualTo(IV).isEqualTo(sun.getIV());
    assertThat(ours.update(new byte[0])).isNull();
    assertThat(ours.doFinal()).isEmpty();
    assertThat(ours.update(data(5), 0, 0)).isNull();
  }

  @Test
  void doFinal_thenReuse_restartsAtInitialPosition_likeSunJce() throws Exception {
    byte[] a = data(100);
    for (Provider p : new Provider[] {OURS, CtrOracle.SUN_JCE}) {
      Cipher c = cipher(p);
      c.init(Cipher.ENCRYPT_MODE, AES_KEY, new IvParameterSpec(IV));
      byte[] first = c.doFinal(a);
      byte[] partial = c.update(a, 0, 33);
      byte[] second = c.doFinal(a, 33, 67);
      assertThat(concat(partial, second)).as(p.getName()).isEqualTo(first);
    }
    Cipher c = cipher(OURS);
    c.init(Cipher.ENCRYPT_MODE, AES_KEY, new CtrParameterSpec(IV, 77));
    byte[] first = c.doFinal(a);
    assertThat(c.doFinal(a)).isEqualTo(first);
    assertThat(first).isEqualTo(CtrOracle.encryptAt(CtrOracle.SUN_JCE, KEY, IV, 77, a));
  }

  @Test
  void reinit_midStream_startsOver() throws Exception {
    Cipher c = ours(Cipher.ENCRYPT_MODE);
    byte[] a = data(50);
    c.update(a, 0, 21);
    c.init(Cipher.DECRYPT_MODE, AES_KEY, new IvParameterSpec(IV));
    assertThat(c.doFinal(a)).isEqualTo(CtrOracle.encryptAt(CtrOracle.SUN_JCE, KEY, IV, 0, a));
  }

  @Test
  void reinit_sameKeyObjectThenOtherKeys_seeksUnderTheRightKey() throws Exception {
    Random r = new Random(7);
    Cipher c = cipher(OURS);
    SecretKeySpec other = new SecretKeySpec(data(32), "AES");
    byte[] a = data(300);
    for (int i = 0; i < 200; i++) {
      SecretKeySpec k = i % 7 == 3 ? other : AES_KEY;
      if (i % 11 == 5) {
        k = new SecretKeySpec(k.getEncoded(), "AES"); // equal bytes, another object
      }
      byte[] iv = new byte[16];
      r.nextBytes(iv);
      iv[0] &= 0x7F;
      long offset = r.nextInt(3) == 0 ? 0 : r.nextLong() >>> 3;
      c.init(Cipher.DECRYPT_MODE, k, new CtrParameterSpec(iv, offset));
      assertThat(c.doFinal(a))
          .as("round %d", i)
          .isEqualTo(CtrOracle.encryptAt(CtrOracle.SUN_JCE, k.getEncoded(), iv, offset, a));
      if (i % 13 == 0) {
        byte[] top = new byte[16];
        Arrays.fill(top, (byte) 0xFF);
        SecretKeySpec same = k;
        assertThatThrownBy(() -> c.init(Cipher.ENCRYPT_MODE, same, new CtrParameterSpec(top, 16)))
            .isInstanceOf(InvalidAlgorithmParameterException.class);
      }
    }
  }

  @Test
  void init_encryptWithoutParameters_generatesRandomIvUsableForDecrypt() throws Exception {
    Cipher enc = cipher(OURS);
    enc.init(Cipher.ENCRYPT_MODE, AES_KEY);
    byte[] iv1 = enc.getIV();
    assertThat(iv1).hasSize(16);
    byte[] ct = enc.doFinal(data(30));
    Cipher dec = cipher(OURS);
    dec.init(Cipher.DECRYPT_MODE, AES_KEY, enc.getParameters());
    assertThat(dec.doFinal(ct)).isEqualTo(data(30));
    enc.init(Cipher.ENCRYPT_MODE, AES_KEY);
    assertThat(enc.getIV()).isNotEqualTo(iv1);
  }

  @Test
  void init_decryptWithoutParameters_throwsLikeSunJce() throws Exception {
    for (Provider p : new Provider[] {OURS, CtrOracle.SUN_JCE}) {
      assertThatThrownBy(() -> cipher(p).init(Cipher.DECRYPT_MODE, AES_KEY))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessage("Parameters missing");
    }
  }

  @Test
  void init_badParameters_throwLikeSunJce() throws Exception {
    for (Provider p : new Provider[] {OURS, CtrOracle.SUN_JCE}) {
      Cipher c = cipher(p);
      assertThatThrownBy(
              () -> c.init(Cipher.ENCRYPT_MODE, AES_KEY, new IvParameterSpec(new byte[12])))
          .isInstanceOf(InvalidAlgorithmParameterException.class)
          .hasMessage("Wrong IV length: must be 16 bytes long");
      assertThatThrownBy(
              () -> c.init(Cipher.ENCRYPT_MODE, AES_KEY, new GCMParameterSpec(128, new byte[12])))
          .isInstanceOf(InvalidAlgorithmParameterException.class)
          .hasMessageContaining("Unsupported parameter");
      assertThatThrownBy(
              () ->
                  c.init(
                      Cipher.ENCRYPT_MODE,
                      new SecretKeySpec(new byte[17], "AES"),
                      new IvParameterSpec(IV)))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessage("Invalid AES key length: 17 bytes");
      assertThatThrownBy(
              () ->
                  c.init(
                      Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "DES"), new IvParameterSpec(IV)))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessage("Wrong algorithm: AES or Rijndael required");
    }
  }

  @Test
  void init_badKeyAndBadParameters_reportsTheKeyFirst() throws Exception {
    Cipher c = cipher(OURS);
    assertThatThrownBy(
            () ->
                c.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(new byte[17], "AES"),
                    new IvParameterSpec(new byte[12])))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("Invalid AES key length: 17 bytes");
    byte[] top = new byte[16];
    Arrays.fill(top, (byte) 0xFF);
    assertThatThrownBy(
            () ->
                c.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(KEY, "DES"),
                    new CtrParameterSpec(top, 16)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("Wrong algorithm: AES or Rijndael required");
    assertThatThrownBy(() -> c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(new byte[20], "AES")))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("Invalid AES key length: 20 bytes");
  }

  @Test
  void init_refusedKey_thenGoodKey_matchesSunJce() throws Exception {
    Cipher c = cipher(OURS);
    c.init(Cipher.ENCRYPT_MODE, AES_KEY, new IvParameterSpec(IV));
    assertThatThrownBy(
            () ->
                c.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(new byte[17], "AES"),
                    new IvParameterSpec(IV)))
        .isInstanceOf(InvalidKeyException.class);
    byte[] data = data(100);
    byte[] other = data(32);
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(other, "AES"), new CtrParameterSpec(IV, 7));
    assertThat(c.doFinal(data))
        .isEqualTo(CtrOracle.encryptAt(CtrOracle.SUN_JCE, other, IV, 7, data));
  }

  /** A SecretKeySpec subclass could change what getEncoded returns: read like any other key. */
  private static final class SubclassedKey extends SecretKeySpec {
    private static final long serialVersionUID = 1L;

    SubclassedKey(byte[] key) {
      super(key, "AES");
    }
  }

  @Test
  void init_everyKindOfKeyObject_matchesSunJce() throws Exception {
    byte[] k24 = data(24);
    byte[] k32 = data(32);
    javax.crypto.SecretKey custom =
        new javax.crypto.SecretKey() {
          private static final long serialVersionUID = 1L;

          @Override
          public String getAlgorithm() {
            return "AES";
          }

          @Override
          public String getFormat() {
            return "RAW";
          }

          @Override
          public byte[] getEncoded() {
            return k24.clone();
          }
        };
    Cipher c = cipher(OURS);
    byte[] data = data(3000);
    Object[][] steps = {
      {AES_KEY, KEY},
      {custom, k24},
      {AES_KEY, KEY},
      {AES_KEY, KEY},
      {new SubclassedKey(k32), k32},
      {new SecretKeySpec(k32, "Rijndael"), k32},
      {custom, k24}
    };
    long offset = 0;
    for (Object[] step : steps) {
      offset += 17;
      c.init(Cipher.ENCRYPT_MODE, (java.security.Key) step[0], new CtrParameterSpec(IV, offset));
      assertThat(c.doFinal(data))
          .isEqualTo(CtrOracle.encryptAt(CtrOracle.SUN_JCE, (byte[]) step[1], IV, offset, data));
    }
  }

  @Test
  void init_offsetPastCounterRange_refused() throws Exception {
    byte[] top = new byte[16];
    Arrays.fill(top, (byte) 0xFF);
    Cipher c = cipher(OURS);
    c.init(Cipher.ENCRYPT_MODE, AES_KEY, new CtrParameterSpec(top, 15)); // last byte in range
    assertThat(c.doFinal(new byte[1])).hasSize(1);
    assertThatThrownBy(() -> c.init(Cipher.ENCRYPT_MODE, AES_KEY, new CtrParameterSpec(top, 16)))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("2^128 - 1");
  }

  @Test
  void update_pastCounterRange_throwsIllegalStateAndWritesNothing() throws Exception {
    byte[] top = new byte[16];
    Arrays.fill(top, (byte) 0xFF);
    top[15] = (byte) 0xFE; // two blocks left: 32 bytes
    Cipher c = cipher(OURS);
    c.init(Cipher.ENCRYPT_MODE, AES_KEY, new IvParameterSpec(top));
    byte[] out = new byte[33];
    assertThatThrownBy(() -> c.update(new byte[33], 0, 33, out, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("32 more bytes");
    assertThat(out).containsOnly(0);
    assertThat(c.update(new byte[20])).hasSize(20);
    assertThatThrownBy(() -> c.update(ByteBuffer.allocate(13), ByteBuffer.allocateDirect(13)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(c.doFinal(new byte[12]))
        .isEqualTo(
            Arrays.copyOfRange(
                CtrOracle.encryptAt(CtrOracle.SUN_JCE, KEY, top, 0, new byte[32]), 20, 32));
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 24, 32})
  void keySizeNames_acceptOnlyTheirSize(int size) throws Exception {
    String name = "AES_" + size * 8 + "/CTR/NoPadding";
    Cipher c = Cipher.getInstance(name, OURS);
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[size], "AES"), new IvParameterSpec(IV));
    for (int other : new int[] {16, 24, 32}) {
      if (other != size) {
        assertThatThrownBy(
                () ->
                    c.init(
                        Cipher.ENCRYPT_MODE,
                        new SecretKeySpec(new byte[other], "AES"),
                        new IvParameterSpec(IV)))
            .isInstanceOf(InvalidKeyException.class)
            .hasMessage(name + " requires a " + size + "-byte key, got " + other + " bytes");
      }
    }
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[size], "AES"), new IvParameterSpec(IV));
    Cipher any = cipher(OURS);
    any.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[size], "AES"), new IvParameterSpec(IV));
    assertThat(any.doFinal(new byte[5])).isEqualTo(c.doFinal(new byte[5]));
  }

  @Test
  void wrapModes_refused() throws Exception {
    Cipher c = cipher(OURS);
    assertThatThrownBy(() -> c.init(Cipher.WRAP_MODE, AES_KEY, new IvParameterSpec(IV)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("does not wrap keys");
    assertThatThrownBy(() -> c.init(Cipher.UNWRAP_MODE, AES_KEY, new IvParameterSpec(IV)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void getParameters_offsetZero_areJdkAesParametersThatRoundTrip() throws Exception {
    Cipher c = ours(Cipher.ENCRYPT_MODE);
    AlgorithmParameters params = c.getParameters();
    assertThat(params.getAlgorithm()).isEqualTo("AES");
    assertThat(params.getParameterSpec(IvParameterSpec.class).getIV()).isEqualTo(IV);
    Cipher sun = cipher(CtrOracle.SUN_JCE);
    sun.init(Cipher.DECRYPT_MODE, AES_KEY, params);
    Cipher back = cipher(OURS);
    back.init(Cipher.DECRYPT_MODE, AES_KEY, sun.getParameters());
    byte[] ct = c.doFinal(data(64));
    assertThat(sun.doFinal(ct)).isEqualTo(data(64));
    assertThat(back.doFinal(ct)).isEqualTo(data(64));
  }

  @Test
  void getParameters_withOffset_roundTripToTheSamePosition() throws Exception {
    Cipher c = cipher(OURS);
    c.init(Cipher.ENCRYPT_MODE, AES_KEY, new CtrParameterSpec(IV, 1_000_003L));
    AlgorithmParameters params = c.getParameters();
    assertThat(params.getAlgorithm()).isEqualTo("AES-CTR-Seek");
    assertThat(params.getParameterSpec(CtrParameterSpec.class))
        .isEqualTo(new CtrParameterSpec(IV, 1_000_003L));
    assertThatThrownBy(() -> params.getParameterSpec(IvParameterSpec.class))
        .isInstanceOf(InvalidParameterSpecException.class);

    byte[] ct = c.doFinal(data(100));
    Cipher d = cipher(OURS);
    d.init(Cipher.DECRYPT_MODE, AES_KEY, params);
    assertThat(d.doFinal(ct)).isEqualTo(data(100));

    // Encoded form round-trips through the registered AlgorithmParameters service.
    AlgorithmParameters decoded = AlgorithmParameters.getInstance("AES-CTR-Seek", OURS);
    decoded.init(params.getEncoded());
    assertThat(decoded.getParameterSpec(CtrParameterSpec.class))
        .isEqualTo(new CtrParameterSpec(IV, 1_000_003L));
    assertThat(decoded.getEncoded("ASN.1")).isEqualTo(params.getEncoded());
    d.init(Cipher.DECRYPT_MODE, AES_KEY, decoded);
    assertThat(d.doFinal(ct)).isEqualTo(data(100));
  }

  @Test
  void seekParameters_malformedEncoding_rejected() throws Exception {
    AlgorithmParameters good = AlgorithmParameters.getInstance("AES-CTR-Seek", OURS);
    good.init(new CtrParameterSpec(IV, Long.MAX_VALUE));
    byte[] enc = good.getEncoded();
    AlgorithmParameters back = AlgorithmParameters.getInstance("AES-CTR-Seek", OURS);
    back.init(enc);
    assertThat(back.getParameterSpec(CtrParameterSpec.class).getByteOffset())
        .isEqualTo(Long.MAX_VALUE);
    for (int i = 0; i < enc.length; i++) {
      byte[] bad = enc.clone();
      if (i >= 4 && i < 20 || i > 22) {
        continue; // IV bytes and non-leading offset bytes: any value is well-formed
      }
      bad[i] ^= (byte) 0x80;
      AlgorithmParameters p = AlgorithmParameters.getInstance("AES-CTR-Seek", OURS);
      assertThatThrownBy(() -> p.init(bad))
          .as("byte %d flipped", i)
          .isInstanceOf(java.io.IOException.class)
          .hasMessage("malformed AES-CTR-Seek parameters");
    }
    AlgorithmParameters p = AlgorithmParameters.getInstance("AES-CTR-Seek", OURS);
    assertThatThrownBy(() -> p.init(Arrays.copyOf(enc, enc.length + 1)))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void getParameters_beforeInit_likeSunJceGivesRandomIvParameters() throws Exception {
    AlgorithmParameters ours = cipher(OURS).getParameters();
    AlgorithmParameters sun = cipher(CtrOracle.SUN_JCE).getParameters();
    assertThat(ours.getAlgorithm()).isEqualTo(sun.getAlgorithm());
    assertThat(ours.getParameterSpec(IvParameterSpec.class).getIV()).hasSize(16);
  }

  @Test
  void byteBuffers_sameObjectAsInputAndOutput_refusedByCipherLikeSunJce() throws Exception {
    Cipher c = ours(Cipher.ENCRYPT_MODE);
    ByteBuffer b = ByteBuffer.allocate(10);
    assertThatThrownBy(() -> c.update(b, b)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> c.update(ByteBuffer.allocate(4), ByteBuffer.allocate(4).asReadOnlyBuffer()))
        .isInstanceOf(java.nio.ReadOnlyBufferException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
