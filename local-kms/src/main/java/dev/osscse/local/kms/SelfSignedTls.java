package dev.osscse.local.kms;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed P-256 server certificate for 127.0.0.1 and localhost (subject alternative names),
 * valid one day, made with bcpkix (no Bouncy Castle provider registered: the JDK signs).
 */
final class SelfSignedTls {
  final KeyStore keyStore;
  final String keyStorePassword;
  final X509Certificate certificate;

  private SelfSignedTls(KeyStore keyStore, String password, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.keyStorePassword = password;
    this.certificate = certificate;
  }

  static SelfSignedTls generate(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
    kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
    KeyPair kp = kpg.generateKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=oss-cse local KMS");
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, random).setBit(63),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(1))),
            name,
            kp.getPublic());
    try {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
      String password = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try {
        ks.load(null, null);
      } catch (IOException e) {
        throw new GeneralSecurityException("empty key store", e);
      }
      ks.setKeyEntry(
          "server", kp.getPrivate(), password.toCharArray(), new X509Certificate[] {cert});
      return new SelfSignedTls(ks, password, cert);
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build certificate", e);
    }
  }

  /** Writes a PKCS12 trust store holding only the certificate. */
  void writeTrustStore(Path path, String password) throws IOException, GeneralSecurityException {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("oss-cse-local-kms", certificate);
    Files.createDirectories(path.getParent());
    Path tmp = Files.createTempFile(path.getParent(), "trust", ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      ts.store(out, password.toCharArray());
    }
    Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
