package dev.osscse.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PEM reading and writing: every format round-trips; malformed input gives a typed error. */
class PemKeysTest {
  private static KeyPair pair;
  private static RSAPrivateCrtKey priv;
  private static java.security.interfaces.RSAPublicKey pub;

  @BeforeAll
  static void generate() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
    g.initialize(2048);
    pair = g.generateKeyPair();
    priv = (RSAPrivateCrtKey) pair.getPrivate();
    pub = (java.security.interfaces.RSAPublicKey) pair.getPublic();
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  private static byte[] pkcs1Private() throws Exception {
    return new org.bouncycastle.asn1.pkcs.RSAPrivateKey(
            priv.getModulus(),
            priv.getPublicExponent(),
            priv.getPrivateExponent(),
            priv.getPrimeP(),
            priv.getPrimeQ(),
            priv.getPrimeExponentP(),
            priv.getPrimeExponentQ(),
            priv.getCrtCoefficient())
        .getEncoded();
  }

  private static void assertSamePrivate(RSAPrivateKey k) {
    assertThat(k.getModulus()).isEqualTo(priv.getModulus());
    assertThat(k.getPrivateExponent()).isEqualTo(priv.getPrivateExponent());
    assertThat(k.getEncoded()).isEqualTo(priv.getEncoded());
  }

  // ---- round trips ---------------------------------------------------------------------------

  @Test
  void writePrivateKey_pkcs8_readsBack() throws Exception {
    String text = PemKeys.writePrivateKey(priv);
    assertThat(text)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(text.lines().filter(l -> !l.startsWith("-----"))).allMatch(l -> l.length() <= 64);
    assertSamePrivate(PemKeys.readPrivateKey(text));
    assertSamePrivate(PemKeys.readPrivateKey(new StringReader(text)));
  }

  @Test
  void writePublicKey_x509_readsBack() throws Exception {
    String text = PemKeys.writePublicKey(pub);
    assertThat(text).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(PemKeys.readPublicKey(text)).isEqualTo(pub);
    assertThat(PemKeys.readPublicKey(new StringReader(text))).isEqualTo(pub);
  }

  @Test
  void readPrivateKey_pkcs1_matchesOriginal() throws Exception {
    String text = pem("RSA PRIVATE KEY", pkcs1Private()).replace("\n", "\r\n");
    assertSamePrivate(PemKeys.readPrivateKey("some preamble\r\n" + text + "trailer"));
    assertThat(PemKeys.publicKeyOf(PemKeys.readPrivateKey(text))).isEqualTo(pub);
  }

  @Test
  void readPublicKey_pkcs1_matchesOriginal() throws Exception {
    byte[] der =
        new org.bouncycastle.asn1.pkcs.RSAPublicKey(pub.getModulus(), pub.getPublicExponent())
            .getEncoded();
    assertThat(PemKeys.readPublicKey(pem("RSA PUBLIC KEY", der))).isEqualTo(pub);
  }

  @Test
  void readKeys_severalBlocks_picksTheRequestedKind() throws Exception {
    String both = PemKeys.writePublicKey(pub) + "\n" + PemKeys.writePrivateKey(priv);
    assertThat(PemKeys.readPublicKey(both)).isEqualTo(pub);
    assertSamePrivate(PemKeys.readPrivateKey(both));
  }

  @Test
  void pathRoundTrip_privateFileIsOwnerOnlyAndNeverOverwritten(@TempDir Path dir) throws Exception {
    Path privFile = dir.resolve("k.pem");
    Path pubFile = dir.resolve("k.pub.pem");
    PemKeys.writePrivateKey(priv, privFile);
    PemKeys.writePublicKey(pub, pubFile);
    assertSamePrivate(PemKeys.readPrivateKey(privFile));
    assertThat(PemKeys.readPublicKey(pubFile)).isEqualTo(pub);
    if (Files.getFileStore(privFile).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privFile)))
          .isEqualTo("rw-------");
    }
    assertThatThrownBy(() -> PemKeys.writePrivateKey(priv, privFile))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> PemKeys.writePublicKey(pub, pubFile))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void readSharedSdkKeyPair_pkcs1Files_formAPair() throws Exception {
    Path d = sdkVectors();
    RSAPrivateKey k = PemKeys.readPrivateKey(d.resolve("rsa-1024-private-pkcs1.pem"));
    java.security.interfaces.RSAPublicKey p =
        PemKeys.readPublicKey(d.resolve("rsa-1024-public-pkcs1.pem"));
    assertThat(k.getModulus()).isEqualTo(p.getModulus());
    assertThat(k.getModulus().bitLength()).isEqualTo(1024);
    assertThat(k.getModulus().toString(16)).startsWith("a891f8805575dfe4");
  }

  // ---- typed errors ---------------------------------------------------------------------------

  private static void assertPemError(ThrowingCall call, String message) {
    assertThatThrownBy(call::run).isExactlyInstanceOf(PemKeyException.class).hasMessage(message);
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void readPrivateKey_noPem_saysSo() {
    assertPemError(
        () -> PemKeys.readPrivateKey("hello"),
        "no PEM block found (expected 'RSA PRIVATE KEY' or 'PRIVATE KEY')");
  }

  @Test
  void readPrivateKey_unsupportedLabel_namesTheLabel() {
    assertPemError(
        () -> PemKeys.readPrivateKey(pem("CERTIFICATE", new byte[] {1, 2, 3})),
        "PEM block 'CERTIFICATE' is not a supported private key type"
            + " (expected 'RSA PRIVATE KEY' or 'PRIVATE KEY')");
    assertPemError(
        () -> PemKeys.readPrivateKey(PemKeys.writePublicKey(pub)),
        "PEM block 'PUBLIC KEY' is not a supported private key type"
            + " (expected 'RSA PRIVATE KEY' or 'PRIVATE KEY')");
    assertPemError(
        () -> PemKeys.readPublicKey(PemKeys.writePrivateKey(priv)),
        "PEM block 'PRIVATE KEY' is not a supported public key type"
            + " (expected 'PUBLIC KEY' or 'RSA PUBLIC KEY')");
  }

  @Test
  void readPrivateKey_encrypted_isRefused() {
    assertPemError(
        () -> PemKeys.readPrivateKey(pem("ENCRYPTED PRIVATE KEY", new byte[] {1})),
        "PEM block 'ENCRYPTED PRIVATE KEY' is encrypted; encrypted keys are not supported");
    String legacy =
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
            + "AAAA\n-----END RSA PRIVATE KEY-----\n";
    assertPemError(
        () -> PemKeys.readPrivateKey(legacy),
        "PEM block 'RSA PRIVATE KEY' is encrypted; encrypted keys are not supported");
  }

  @Test
  void read_brokenFraming_namesTheProblem() throws Exception {
    String good = PemKeys.writePrivateKey(priv);
    assertPemError(
        () -> PemKeys.readPrivateKey(good.replace("-----END PRIVATE KEY-----\n", "")),
        "PEM block 'PRIVATE KEY' has no END line");
    assertPemError(
        () -> PemKeys.readPrivateKey(good.replace("END PRIVATE KEY", "END PUBLIC KEY")),
        "PEM block 'PRIVATE KEY' ends with a mismatched END line 'PUBLIC KEY'");
    assertPemError(
        () -> PemKeys.readPrivateKey("-----END PRIVATE KEY-----\n"),
        "PEM END line without a BEGIN line");
    assertPemError(
        () -> PemKeys.readPrivateKey("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"),
        "PEM block 'PRIVATE KEY' is empty");
  }

  @Test
  void read_badBase64_namesTheBlockNotTheBytes() throws Exception {
    String good = PemKeys.writePrivateKey(priv);
    String body = good.lines().skip(1).findFirst().orElseThrow();
    String bad = good.replace(body, body.substring(0, 10) + "*" + body.substring(11));
    assertThatThrownBy(() -> PemKeys.readPrivateKey(bad))
        .isExactlyInstanceOf(PemKeyException.class)
        .hasMessage("PEM block 'PRIVATE KEY' is not valid base64")
        .message()
        .doesNotContain(body.substring(0, 10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA PRIVATE KEY", "PRIVATE KEY", "PUBLIC KEY", "RSA PUBLIC KEY"})
  void read_garbageDer_namesTheExpectedStructure(String label) {
    String text = pem(label, new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
    String expected =
        switch (label) {
          case "RSA PRIVATE KEY" -> "PKCS#1 RSAPrivateKey";
          case "PRIVATE KEY" -> "PKCS#8 PrivateKeyInfo";
          case "PUBLIC KEY" -> "X.509 SubjectPublicKeyInfo";
          default -> "PKCS#1 RSAPublicKey";
        };
    ThrowingCall call =
        label.contains("PRIVATE")
            ? () -> PemKeys.readPrivateKey(text)
            : () -> PemKeys.readPublicKey(text);
    assertPemError(call, "PEM block '" + label + "' does not hold a valid " + expected);
  }

  @Test
  void read_trailingDerBytes_isRefused() throws Exception {
    byte[] der = pkcs1Private();
    byte[] longer = java.util.Arrays.copyOf(der, der.length + 2);
    assertThatThrownBy(() -> PemKeys.readPrivateKey(pem("RSA PRIVATE KEY", longer)))
        .isExactlyInstanceOf(PemKeyException.class)
        .hasMessage("PEM block 'RSA PRIVATE KEY' is not valid DER (expected PKCS#1 RSAPrivateKey)");
  }

  @Test
  void read_nonRsaKeys_namesTheAlgorithm() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair ec = g.generateKeyPair();
    assertPemError(
        () -> PemKeys.readPrivateKey(pem("PRIVATE KEY", ec.getPrivate().getEncoded())),
        "PEM block 'PRIVATE KEY' holds a key with algorithm 1.2.840.10045.2.1,"
            + " not RSA (rsaEncryption, 1.2.840.113549.1.1.1)");
    assertPemError(
        () -> PemKeys.readPublicKey(pem("PUBLIC KEY", ec.getPublic().getEncoded())),
        "PEM block 'PUBLIC KEY' holds a key with algorithm 1.2.840.10045.2.1,"
            + " not RSA (rsaEncryption, 1.2.840.113549.1.1.1)");
  }

  @Test
  void readPrivateKey_inconsistentPrimes_isRefused() throws Exception {
    byte[] der =
        new org.bouncycastle.asn1.pkcs.RSAPrivateKey(
                priv.getModulus(),
                priv.getPublicExponent(),
                priv.getPrivateExponent(),
                priv.getPrimeP().add(BigInteger.TWO),
                priv.getPrimeQ(),
                priv.getPrimeExponentP(),
                priv.getPrimeExponentQ(),
                priv.getCrtCoefficient())
            .getEncoded();
    assertPemError(
        () -> PemKeys.readPrivateKey(pem("RSA PRIVATE KEY", der)),
        "PEM block 'RSA PRIVATE KEY' holds an inconsistent RSA private key");
  }

  @Test
  void read_oversizedInput_isRefusedBeforeParsing() {
    String huge = "x".repeat(PemKeys.MAX_PEM_CHARS + 1);
    assertPemError(
        () -> PemKeys.readPrivateKey(new StringReader(huge)),
        "PEM input exceeds 1048576 characters");
  }

  @Test
  void errors_neverContainKeyMaterial() throws Exception {
    String good = PemKeys.writePrivateKey(priv);
    String[] bodyLines = good.lines().filter(l -> !l.startsWith("-----")).toArray(String[]::new);
    String broken = good.replace(bodyLines[3], bodyLines[3].substring(0, 60));
    assertThatThrownBy(() -> PemKeys.readPrivateKey(broken))
        .isInstanceOf(PemKeyException.class)
        .satisfies(
            e -> {
              for (String l : bodyLines) {
                assertThat(e.getMessage()).doesNotContain(l.substring(0, 16));
              }
              assertThat(e.getMessage())
                  .doesNotContain(priv.getModulus().toString(16).substring(0, 16));
            });
  }

  @Test
  void write_keyWithoutEncoding_isRefused() {
    java.security.PrivateKey opaque =
        new java.security.PrivateKey() {
          private static final long serialVersionUID = 1L;

          @Override
          public String getAlgorithm() {
            return "RSA";
          }

          @Override
          public String getFormat() {
            return null;
          }

          @Override
          public byte[] getEncoded() {
            return null;
          }
        };
    assertThatThrownBy(() -> PemKeys.writePrivateKey(opaque))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the private key has no PKCS#8 encoding to write as PEM");
  }

  /**
   * The repository's {@code test-vectors/oss-sdk} folder (system property {@code
   * osscse.vectors.dir}, set by the root pom, or found from the working directory upwards). It is
   * part of every clone, so a missing folder fails the test.
   */
  private static Path sdkVectors() {
    String property = System.getProperty("osscse.vectors.dir");
    Path root = property == null || property.isEmpty() ? null : Path.of(property);
    for (Path d = Path.of("").toAbsolutePath(); root == null && d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("test-vectors"))) {
        root = d.resolve("test-vectors");
      }
    }
    assertThat(root).as("test-vectors folder").isNotNull();
    Path d = root.resolve("oss-sdk");
    assertThat(d).as("test vector folder, part of the repository").isDirectory();
    return d;
  }
}
