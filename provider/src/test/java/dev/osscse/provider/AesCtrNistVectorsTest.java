package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NIST SP 800-38A appendix F.5.1 - F.5.6 (CTR-AES128/192/256, encrypt and decrypt). */
class AesCtrNistVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String IV = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
  private static final String PLAIN =
      "6bc1bee22e409f96e93d7e117393172a"
          + "ae2d8a571e03ac9c9eb76fac45af8e51"
          + "30c81c46a35ce411e5fbc1191a0a52ef"
          + "f69f2445df4f9b17ad2b417be66c3710";
  private static final String K128 = "2b7e151628aed2a6abf7158809cf4f3c";
  private static final String C128 =
      "874d6191b620e3261bef6864990db6ce"
          + "9806f66b7970fdff8617187bb9fffdff"
          + "5ae4df3edbd5d35e5b4f09020db03eab"
          + "1e031dda2fbe03d1792170a0f3009cee";
  private static final String K192 = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b";
  private static final String C192 =
      "1abc932417521ca24f2b0459fe7e6e0b"
          + "090339ec0aa6faefd5ccc2c6f4ce8e94"
          + "1e36b26bd1ebc670d1bd1d665620abf7"
          + "4f78a7f6d29809585a97daec58c6b050";
  private static final String K256 =
      "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
  private static final String C256 =
      "601ec313775789a5b7a7f504bbf3d228"
          + "f443e3ca4d62b59aca84e990cacaf5c5"
          + "2b0930daa23de94ce87017ba2d84988d"
          + "dfc9c58db67aada613c2dd08457941a6";

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of("F.5.1 CTR-AES128.Encrypt", "AES/CTR/NoPadding", K128, true),
        Arguments.of("F.5.2 CTR-AES128.Decrypt", "AES/CTR/NoPadding", K128, false),
        Arguments.of("F.5.3 CTR-AES192.Encrypt", "AES/CTR/NoPadding", K192, true),
        Arguments.of("F.5.4 CTR-AES192.Decrypt", "AES/CTR/NoPadding", K192, false),
        Arguments.of("F.5.5 CTR-AES256.Encrypt", "AES/CTR/NoPadding", K256, true),
        Arguments.of("F.5.6 CTR-AES256.Decrypt", "AES/CTR/NoPadding", K256, false),
        Arguments.of("F.5.1 via AES_128", "AES_128/CTR/NoPadding", K128, true),
        Arguments.of("F.5.4 via AES_192", "AES_192/CTR/NoPadding", K192, false),
        Arguments.of("F.5.5 via AES_256", "AES_256/CTR/NoPadding", K256, true));
  }

  private static String expectedCiphertext(String key) {
    return key.equals(K128) ? C128 : key.equals(K192) ? C192 : C256;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void doFinal_nistVector_matches(String name, String transformation, String key, boolean encrypt)
      throws Exception {
    byte[] in = HEX.parseHex(encrypt ? PLAIN : expectedCiphertext(key));
    byte[] expected = HEX.parseHex(encrypt ? expectedCiphertext(key) : PLAIN);
    Cipher c = Cipher.getInstance(transformation, OssCseProviders.provider());
    c.init(
        encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
        new SecretKeySpec(HEX.parseHex(key), "AES"),
        new IvParameterSpec(HEX.parseHex(IV)));

    assertThat(c.doFinal(in)).isEqualTo(expected);
    // Block by block, as the vectors list them.
    for (int block = 0; block < 4; block++) {
      byte[] out = c.update(in, block * 16, 16);
      assertThat(out).as("block %d", block + 1).isEqualTo(copy(expected, block * 16, 16));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void seek_nistVectorEveryOffset_matchesSuffix(
      String name, String transformation, String key, boolean encrypt) throws Exception {
    byte[] in = HEX.parseHex(encrypt ? PLAIN : expectedCiphertext(key));
    byte[] expected = HEX.parseHex(encrypt ? expectedCiphertext(key) : PLAIN);
    Cipher c = Cipher.getInstance(transformation, OssCseProviders.provider());
    for (int offset = 0; offset <= in.length; offset++) {
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(HEX.parseHex(key), "AES"),
          new CtrParameterSpec(HEX.parseHex(IV), offset));
      assertThat(c.doFinal(in, offset, in.length - offset))
          .as("offset %d", offset)
          .isEqualTo(copy(expected, offset, in.length - offset));
    }
  }

  private static byte[] copy(byte[] b, int off, int len) {
    byte[] out = new byte[len];
    System.arraycopy(b, off, out, 0, len);
    return out;
  }
}
