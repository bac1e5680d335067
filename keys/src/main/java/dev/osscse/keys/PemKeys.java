package dev.osscse.keys;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Reads and writes RSA keys as PEM text.
 *
 * <p><b>What it is.</b> Static helpers for the key formats the OSS SDKs exchange:
 *
 * <ul>
 *   <li>private keys: PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}) and unencrypted PKCS#8
 *       ({@code -----BEGIN PRIVATE KEY-----});
 *   <li>public keys: X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}) and PKCS#1
 *       ({@code -----BEGIN RSA PUBLIC KEY-----}).
 * </ul>
 *
 * Writing produces PKCS#8 for private keys and X.509 SubjectPublicKeyInfo for public keys, with
 * 64-character base64 lines. ASN.1 is parsed with Bouncy Castle's {@code org.bouncycastle.asn1}
 * classes; Bouncy Castle is never registered as a provider.
 *
 * <p><b>Security guarantees.</b> A private key is checked for consistency ({@code p*q = n}, {@code
 * e*d = 1 mod p-1} and {@code mod q-1}) before it is returned. Error messages never contain key
 * material. {@link #writePrivateKey(PrivateKey, Path)} creates the file readable by its owner only
 * where the file system supports POSIX permissions, and never overwrites a file.
 *
 * <p><b>Restrictions / failure behaviour.</b> Only RSA; encrypted PEM ({@code ENCRYPTED PRIVATE
 * KEY}, or {@code Proc-Type: 4,ENCRYPTED} headers) is refused. Text around the PEM block is
 * ignored; when a text holds several blocks the first block of the requested kind (private or
 * public) is used. Inputs over {@value #MAX_PEM_CHARS} characters are refused. Every parse failure
 * is a {@link PemKeyException}; I/O failures stay {@link IOException}s.
 *
 * <pre>{@code
 * RSAPrivateKey priv = PemKeys.readPrivateKey(Path.of("rsa-private.pem"));
 * RSAPublicKey pub = PemKeys.readPublicKey(Path.of("rsa-public.pem"));
 * String pem = PemKeys.writePublicKey(pub);
 * }</pre>
 */
public final class PemKeys {
  /** Largest PEM input accepted, in characters. */
  public static final int MAX_PEM_CHARS = 1 << 20;

  static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
  static final String PRIVATE_KEY = "PRIVATE KEY";
  static final String PUBLIC_KEY = "PUBLIC KEY";
  static final String RSA_PUBLIC_KEY = "RSA PUBLIC KEY";
  static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";
  private static final int LINE_LENGTH = 64;

  private PemKeys() {}

  // ---- reading ------------------------------------------------------------------------------

  /**
   * Reads an RSA private key from PEM text (PKCS#1 or PKCS#8).
   *
   * @throws PemKeyException if the text holds no such key, or it is malformed, encrypted or not RSA
   */
  public static RSAPrivateKey readPrivateKey(String pem) throws PemKeyException {
    checkLength(pem.length());
    List<Block> blocks = parseBlocks(pem);
    for (Block b : blocks) {
      if (b.label.equals(RSA_PRIVATE_KEY)) {
        return privateKeyFromPkcs1(b.label, decode(b));
      }
      if (b.label.equals(PRIVATE_KEY)) {
        return privateKeyFromPkcs8(b.label, decode(b));
      }
    }
    throw noBlock(blocks, "private", RSA_PRIVATE_KEY, PRIVATE_KEY);
  }

  /** Reads an RSA private key from PEM text read fully from {@code reader} (not closed). */
  public static RSAPrivateKey readPrivateKey(Reader reader) throws IOException, PemKeyException {
    return readPrivateKey(readAll(reader));
  }

  /** Reads an RSA private key from a PEM file (UTF-8 or ASCII). */
  public static RSAPrivateKey readPrivateKey(Path path) throws IOException, PemKeyException {
    return readPrivateKey(readFile(path));
  }

  /**
   * Reads an RSA public key from PEM text (X.509 SubjectPublicKeyInfo or PKCS#1).
   *
   * @throws PemKeyException if the text holds no such key, or it is malformed or not RSA
   */
  public static RSAPublicKey readPublicKey(String pem) throws PemKeyException {
    checkLength(pem.length());
    List<Block> blocks = parseBlocks(pem);
    for (Block b : blocks) {
      if (b.label.equals(PUBLIC_KEY)) {
        return publicKeyFromSpki(b.label, decode(b));
      }
      if (b.label.equals(RSA_PUBLIC_KEY)) {
        return publicKeyFromPkcs1(b.label, decode(b));
      }
    }
    throw noBlock(blocks, "public", PUBLIC_KEY, RSA_PUBLIC_KEY);
  }

  /** Reads an RSA public key from PEM text read fully from {@code reader} (not closed). */
  public static RSAPublicKey readPublicKey(Reader reader) throws IOException, PemKeyException {
    return readPublicKey(readAll(reader));
  }

  /** Reads an RSA public key from a PEM file (UTF-8 or ASCII). */
  public static RSAPublicKey readPublicKey(Path path) throws IOException, PemKeyException {
    return readPublicKey(readFile(path));
  }

  /**
   * Returns the public half of a private key that carries its public exponent.
   *
   * @throws PemKeyException if the key is not an {@link RSAPrivateCrtKey}
   */
  public static RSAPublicKey publicKeyOf(RSAPrivateKey key) throws PemKeyException {
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new PemKeyException(
          "the private key does not carry its public exponent (not an RSAPrivateCrtKey)");
    }
    return rsaPublic(crt.getModulus(), crt.getPublicExponent(), "private key");
  }

  // ---- writing ------------------------------------------------------------------------------

  /**
   * Returns the key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), lines ending in {@code
   * \n}.
   *
   * @throws IllegalArgumentException if the key has no PKCS#8 encoding (e.g. a hardware key)
   */
  public static String writePrivateKey(PrivateKey key) {
    return toPem(PRIVATE_KEY, encoded(key, "PKCS#8", "private"));
  }

  /**
   * Returns the key as X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}).
   *
   * @throws IllegalArgumentException if the key has no X.509 encoding
   */
  public static String writePublicKey(PublicKey key) {
    return toPem(PUBLIC_KEY, encoded(key, "X.509", "public"));
  }

  /**
   * Writes the key as PKCS#8 PEM to a new file, readable and writable by its owner only where the
   * file system supports POSIX permissions.
   *
   * @throws java.nio.file.FileAlreadyExistsException if the file exists (it is never overwritten)
   */
  public static void writePrivateKey(PrivateKey key, Path path) throws IOException {
    String pem = writePrivateKey(key);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        && path.getFileSystem().equals(FileSystems.getDefault())) {
      Files.createFile(
          path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(path);
    }
    try (Writer w = Files.newBufferedWriter(path, StandardCharsets.US_ASCII)) {
      w.write(pem);
    }
  }

  /**
   * Writes the key as X.509 PEM to a new file.
   *
   * @throws java.nio.file.FileAlreadyExistsException if the file exists (it is never overwritten)
   */
  public static void writePublicKey(PublicKey key, Path path) throws IOException {
    Files.writeString(
        path,
        writePublicKey(key),
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  // ---- PEM text ------------------------------------------------------------------------------

  /** One PEM block: its label and the base64 body with whitespace removed. */
  private record Block(String label, String body) {}

  private static List<Block> parseBlocks(String text) throws PemKeyException {
    List<Block> blocks = new ArrayList<>();
    String[] lines = text.split("\r\n|\r|\n", -1);
    int i = 0;
    while (i < lines.length) {
      String line = lines[i].strip();
      i++;
      if (!line.startsWith(BEGIN)) {
        if (line.startsWith(END)) {
          throw new PemKeyException("PEM END line without a BEGIN line");
        }
        continue;
      }
      String label = label(line, BEGIN);
      StringBuilder body = new StringBuilder();
      boolean ended = false;
      while (i < lines.length) {
        String l = lines[i].strip();
        i++;
        if (l.startsWith(END)) {
          String endLabel = label(l, END);
          if (!endLabel.equals(label)) {
            throw new PemKeyException(
                "PEM block '" + label + "' ends with a mismatched END line '" + endLabel + "'");
          }
          ended = true;
          break;
        }
        if (l.startsWith(BEGIN)) {
          throw new PemKeyException("PEM block '" + label + "' has no END line");
        }
        if (l.indexOf(':') >= 0) {
          if (l.toUpperCase(Locale.ROOT).startsWith("PROC-TYPE:") && l.contains("ENCRYPTED")) {
            throw new PemKeyException(
                "PEM block '" + label + "' is encrypted; encrypted keys are not supported");
          }
          throw new PemKeyException(
              "PEM block '" + label + "' has RFC 1421 headers, which are not supported");
        }
        body.append(l);
      }
      if (!ended) {
        throw new PemKeyException("PEM block '" + label + "' has no END line");
      }
      blocks.add(new Block(label, body.toString()));
    }
    return blocks;
  }

  private static String label(String line, String prefix) throws PemKeyException {
    if (!line.endsWith(DASHES) || line.length() < prefix.length() + DASHES.length()) {
      throw new PemKeyException("malformed PEM " + prefix.substring(5).strip() + " line");
    }
    String label = line.substring(prefix.length(), line.length() - DASHES.length());
    if (label.isEmpty() || label.length() > 64 || !label.matches("[A-Z0-9 ]+")) {
      throw new PemKeyException("malformed PEM label");
    }
    return label;
  }

  private static PemKeyException noBlock(List<Block> blocks, String kind, String... accepted) {
    String expected = "'" + String.join("' or '", accepted) + "'";
    if (blocks.isEmpty()) {
      return new PemKeyException("no PEM block found (expected " + expected + ")");
    }
    for (Block b : blocks) {
      if (b.label.equals(ENCRYPTED_PRIVATE_KEY) && kind.equals("private")) {
        return new PemKeyException(
            "PEM block '" + b.label + "' is encrypted; encrypted keys are not supported");
      }
    }
    if (blocks.size() == 1) {
      return new PemKeyException(
          "PEM block '"
              + blocks.get(0).label
              + "' is not a supported "
              + kind
              + " key type (expected "
              + expected
              + ")");
    }
    List<String> labels = new ArrayList<>();
    for (Block b : blocks) {
      labels.add("'" + b.label + "'");
    }
    return new PemKeyException(
        "no supported " + kind + " key PEM block among " + labels + " (expected " + expected + ")");
  }

  private static byte[] decode(Block b) throws PemKeyException {
    if (b.body.isEmpty()) {
      throw new PemKeyException("PEM block '" + b.label + "' is empty");
    }
    try {
      return Base64.getDecoder().decode(b.body.replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw new PemKeyException("PEM block '" + b.label + "' is not valid base64");
    }
  }

  private static String toPem(String label, byte[] der) {
    StringBuilder sb = new StringBuilder();
    sb.append(BEGIN).append(label).append(DASHES).append('\n');
    String b64 = Base64.getEncoder().encodeToString(der);
    for (int i = 0; i < b64.length(); i += LINE_LENGTH) {
      sb.append(b64, i, Math.min(b64.length(), i + LINE_LENGTH)).append('\n');
    }
    sb.append(END).append(label).append(DASHES).append('\n');
    return sb.toString();
  }

  private static byte[] encoded(java.security.Key key, String format, String kind) {
    byte[] der = key == null ? null : key.getEncoded();
    if (der == null || !format.equals(key.getFormat())) {
      throw new IllegalArgumentException(
          "the " + kind + " key has no " + format + " encoding to write as PEM");
    }
    return der;
  }

  private static void checkLength(long chars) throws PemKeyException {
    if (chars > MAX_PEM_CHARS) {
      throw new PemKeyException("PEM input exceeds " + MAX_PEM_CHARS + " characters");
    }
  }

  private static String readAll(Reader reader) throws IOException, PemKeyException {
    StringBuilder sb = new StringBuilder();
    char[] buf = new char[8192];
    int n;
    while ((n = reader.read(buf)) >= 0) {
      sb.append(buf, 0, n);
      checkLength(sb.length());
    }
    return sb.toString();
  }

  private static String readFile(Path path) throws IOException, PemKeyException {
    checkLength(Files.size(path));
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return readAll(r);
    }
  }

  // ---- DER ------------------------------------------------------------------------------------

  private static ASN1Primitive der(String label, byte[] der, String structure)
      throws PemKeyException {
    try {
      return ASN1Primitive.fromByteArray(der);
    } catch (IOException | RuntimeException e) {
      throw new PemKeyException(
          "PEM block '" + label + "' is not valid DER (expected " + structure + ")");
    }
  }

  private static RSAPrivateKey privateKeyFromPkcs1(String label, byte[] der)
      throws PemKeyException {
    String structure = "PKCS#1 RSAPrivateKey";
    return rsaPrivate(label, structure, der(label, der, structure));
  }

  private static RSAPrivateKey privateKeyFromPkcs8(String label, byte[] der)
      throws PemKeyException {
    String structure = "PKCS#8 PrivateKeyInfo";
    PrivateKeyInfo info;
    ASN1Encodable inner;
    try {
      info = PrivateKeyInfo.getInstance(der(label, der, structure));
      checkRsaAlgorithm(label, info.getPrivateKeyAlgorithm().getAlgorithm());
      inner = info.parsePrivateKey();
    } catch (IOException | RuntimeException e) {
      throw new PemKeyException("PEM block '" + label + "' does not hold a valid " + structure);
    }
    return rsaPrivate(label, "PKCS#1 RSAPrivateKey inside PKCS#8", inner);
  }

  private static RSAPrivateKey rsaPrivate(String label, String structure, ASN1Encodable asn1)
      throws PemKeyException {
    org.bouncycastle.asn1.pkcs.RSAPrivateKey k;
    try {
      k = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(asn1);
    } catch (RuntimeException e) {
      throw new PemKeyException("PEM block '" + label + "' does not hold a valid " + structure);
    }
    BigInteger n = k.getModulus();
    BigInteger e = k.getPublicExponent();
    BigInteger d = k.getPrivateExponent();
    BigInteger p = k.getPrime1();
    BigInteger q = k.getPrime2();
    if (n.signum() <= 0
        || e.signum() <= 0
        || d.signum() <= 0
        || p.compareTo(BigInteger.ONE) <= 0
        || q.compareTo(BigInteger.ONE) <= 0
        || !p.multiply(q).equals(n)
        || !e.multiply(d).mod(p.subtract(BigInteger.ONE)).equals(BigInteger.ONE)
        || !e.multiply(d).mod(q.subtract(BigInteger.ONE)).equals(BigInteger.ONE)) {
      throw new PemKeyException("PEM block '" + label + "' holds an inconsistent RSA private key");
    }
    RSAPrivateCrtKeySpec spec =
        new RSAPrivateCrtKeySpec(
            n, e, d, p, q, k.getExponent1(), k.getExponent2(), k.getCoefficient());
    try {
      return (RSAPrivateKey) rsaKeyFactory().generatePrivate(spec);
    } catch (GeneralSecurityException | ClassCastException ex) {
      throw new PemKeyException(
          "PEM block '" + label + "' holds an RSA private key the JDK refuses");
    }
  }

  private static RSAPublicKey publicKeyFromSpki(String label, byte[] der) throws PemKeyException {
    String structure = "X.509 SubjectPublicKeyInfo";
    ASN1Primitive key;
    try {
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(der(label, der, structure));
      checkRsaAlgorithm(label, spki.getAlgorithm().getAlgorithm());
      key = spki.parsePublicKey();
    } catch (IOException | RuntimeException e) {
      throw new PemKeyException("PEM block '" + label + "' does not hold a valid " + structure);
    }
    return rsaPublic(label, "PKCS#1 RSAPublicKey inside X.509", key);
  }

  private static RSAPublicKey publicKeyFromPkcs1(String label, byte[] der) throws PemKeyException {
    String structure = "PKCS#1 RSAPublicKey";
    return rsaPublic(label, structure, der(label, der, structure));
  }

  private static RSAPublicKey rsaPublic(String label, String structure, ASN1Encodable asn1)
      throws PemKeyException {
    org.bouncycastle.asn1.pkcs.RSAPublicKey k;
    try {
      k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(asn1);
    } catch (RuntimeException e) {
      throw new PemKeyException("PEM block '" + label + "' does not hold a valid " + structure);
    }
    return rsaPublic(k.getModulus(), k.getPublicExponent(), "PEM block '" + label + "'");
  }

  private static RSAPublicKey rsaPublic(BigInteger n, BigInteger e, String where)
      throws PemKeyException {
    if (n.signum() <= 0 || !n.testBit(0) || e.compareTo(BigInteger.ONE) <= 0) {
      throw new PemKeyException(where + " holds an invalid RSA public key");
    }
    try {
      return (RSAPublicKey) rsaKeyFactory().generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException | ClassCastException ex) {
      throw new PemKeyException(where + " holds an RSA public key the JDK refuses");
    }
  }

  private static void checkRsaAlgorithm(String label, ASN1ObjectIdentifier oid)
      throws PemKeyException {
    if (!PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      throw new PemKeyException(
          "PEM block '"
              + label
              + "' holds a key with algorithm "
              + oid.getId()
              + ", not RSA (rsaEncryption, "
              + PKCSObjectIdentifiers.rsaEncryption.getId()
              + ")");
    }
  }

  private static KeyFactory rsaKeyFactory() {
    try {
      return KeyFactory.getInstance("RSA");
    } catch (NoSuchAlgorithmException e) {
      throw new ProviderException("the JDK has no RSA KeyFactory", e);
    }
  }
}
