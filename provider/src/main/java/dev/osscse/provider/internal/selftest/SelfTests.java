package dev.osscse.provider.internal.selftest;

import dev.osscse.provider.internal.ctr.AesCtrEngine;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The known-answer self-tests of the AES-CTR engine. The provider adds those of the ciphers it
 * builds itself (RSA: {@code RsaKnownAnswers}) and runs them all; append new engine tests to {@link
 * #all()}.
 */
public final class SelfTests {
  private SelfTests() {}

  /** Returns the engine self-tests, in the order they run. */
  public static List<SelfTest> all() {
    return List.of(
        new SelfTest("AES-128-CTR, SP 800-38A F.5.1", () -> aesCtr(F51_KEY, F51_CIPHERTEXT)),
        new SelfTest("AES-192-CTR, SP 800-38A F.5.3", () -> aesCtr(F53_KEY, F53_CIPHERTEXT)),
        new SelfTest("AES-256-CTR, SP 800-38A F.5.5", () -> aesCtr(F55_KEY, F55_CIPHERTEXT)),
        new SelfTest("AES-128-CTR seek to byte 37", SelfTests::aesCtrSeek));
  }

  private static final HexFormat HEX = HexFormat.of();

  private static final String IV = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
  private static final String PLAINTEXT =
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
          + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
  private static final String F51_KEY = "2b7e151628aed2a6abf7158809cf4f3c";
  private static final String F51_CIPHERTEXT =
      "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
          + "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee";
  private static final String F53_KEY = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b";
  private static final String F53_CIPHERTEXT =
      "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
          + "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050";
  private static final String F55_KEY =
      "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
  private static final String F55_CIPHERTEXT =
      "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
          + "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6";

  private static void aesCtr(String key, String ciphertext) throws SelfTestFailedException {
    byte[] pt = HEX.parseHex(PLAINTEXT);
    byte[] expected = HEX.parseHex(ciphertext);
    AesCtrEngine engine = new AesCtrEngine();
    engine.init(HEX.parseHex(key), HEX.parseHex(IV), 0);
    byte[] out = new byte[pt.length];
    engine.process(pt, 0, pt.length, out, 0);
    check("AES-CTR encrypt", Arrays.equals(out, expected));
    engine.reset();
    engine.process(out, 0, out.length, out, 0); // decrypt in place
    check("AES-CTR decrypt", Arrays.equals(out, pt));
  }

  private static void aesCtrSeek() throws SelfTestFailedException {
    byte[] pt = HEX.parseHex(PLAINTEXT);
    byte[] expected = HEX.parseHex(F51_CIPHERTEXT);
    AesCtrEngine engine = new AesCtrEngine();
    engine.init(HEX.parseHex(F51_KEY), HEX.parseHex(IV), 37);
    byte[] out = new byte[pt.length - 37];
    engine.process(pt, 37, out.length, out, 0);
    check("AES-CTR seek", Arrays.equals(out, Arrays.copyOfRange(expected, 37, expected.length)));
  }

  private static void check(String what, boolean ok) throws SelfTestFailedException {
    if (!ok) {
      throw new SelfTestFailedException(what, "wrong answer");
    }
  }
}
