package dev.osscse.provider.internal.selftest;

import dev.osscse.provider.internal.ctr.AesCtrEngine;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The known-answer self-test of the AES-CTR engine: one short test, run when the provider's first
 * AES-CTR service object is built. The provider adds those of the ciphers it builds itself (RSA:
 * {@code RsaKnownAnswers}), each run before the first object of its own service.
 */
public final class SelfTests {
  private SelfTests() {}

  /** Returns the engine self-tests, in the order they run. */
  public static List<SelfTest> all() {
    return List.of(new SelfTest("AES-128-CTR, SP 800-38A F.5.1, and a seek", new AesCtr()));
  }

  /** The check as a class, not a method reference: creating a provider links no lambda. */
  private static final class AesCtr implements SelfTest.Check {
    @Override
    public void run() throws SelfTestFailedException {
      aesCtr();
    }
  }

  private static final HexFormat HEX = HexFormat.of();

  private static final String KEY = "2b7e151628aed2a6abf7158809cf4f3c";
  private static final String IV = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
  private static final String PLAINTEXT =
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51";
  private static final String CIPHERTEXT =
      "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff";

  /**
   * The first two blocks of F.5.1: encrypt from byte 0, then reposition under the same key to byte
   * 19 (a counter step and an offset inside a block) and decrypt the rest in place.
   */
  private static void aesCtr() throws SelfTestFailedException {
    byte[] pt = HEX.parseHex(PLAINTEXT);
    byte[] expected = HEX.parseHex(CIPHERTEXT);
    byte[] iv = HEX.parseHex(IV);
    AesCtrEngine engine = new AesCtrEngine();
    engine.init(HEX.parseHex(KEY), iv, 0);
    byte[] out = new byte[pt.length];
    engine.process(pt, 0, pt.length, out, 0);
    check("AES-CTR encrypt", Arrays.equals(out, expected));
    engine.init(iv, 19);
    engine.process(out, 19, out.length - 19, out, 19); // decrypt in place from byte 19
    check(
        "AES-CTR seek",
        Arrays.equals(out, 0, 19, expected, 0, 19)
            && Arrays.equals(out, 19, out.length, pt, 19, pt.length));
  }

  private static void check(String what, boolean ok) throws SelfTestFailedException {
    if (!ok) {
      throw new SelfTestFailedException(what, "wrong answer");
    }
  }
}
