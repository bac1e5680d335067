package dev.osscse.oss;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The key-wrap algorithms of the OSS envelope ({@code client-side-encryption-wrap-alg}).
 *
 * <p>Each constant's {@link #headerValue()} is what is written to metadata; {@link
 * #transformation()} is the JCA transformation looked up in the project's provider.
 */
public enum WrapAlgorithm {
  /** RSAES-PKCS1-v1_5; what every official SDK writes for RSA (FMT-6). */
  RSA_PKCS1("RSA/NONE/PKCS1Padding", "RSA/NONE/PKCS1Padding"),
  /** RSA-OAEP with SHA-1 and MGF1-SHA-1; written only by oss2 LocalRsaProvider. Read only. */
  RSA_OAEP_SHA1("RSA/NONE/OAEPWithSHA-1AndMGF1Padding", "RSA/NONE/OAEPWithSHA-1AndMGF1Padding"),
  /** Alibaba Cloud KMS Encrypt/Decrypt; the header value is the CiphertextBlob. */
  KMS_ALICLOUD("KMS/ALICLOUD", "KMS/ALICLOUD/NoPadding");

  /** The kind of master key an algorithm needs. */
  public enum Kind {
    /** An RSA key pair. */
    RSA,
    /** A KMS key reference. */
    KMS
  }

  private final String headerValue;
  private final String transformation;

  WrapAlgorithm(String headerValue, String transformation) {
    this.headerValue = headerValue;
    this.transformation = transformation;
  }

  /** The exact string written to metadata. */
  public String headerValue() {
    return headerValue;
  }

  /**
   * The JCA transformation in the project's provider (the JCA needs three parts, so KMS is {@code
   * KMS/ALICLOUD/NoPadding}).
   */
  public String transformation() {
    return transformation;
  }

  /** The kind of master key this algorithm uses. */
  public Kind kind() {
    return this == KMS_ALICLOUD ? Kind.KMS : Kind.RSA;
  }

  /** Looks up a metadata value case-insensitively (FMT-11); empty if unknown. */
  public static Optional<WrapAlgorithm> fromHeaderValue(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(a -> a.headerValue.toUpperCase(Locale.ROOT).equals(v))
        .findFirst();
  }
}
