package dev.osscse.cli;

import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.Envelope;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.WrapAlgorithm;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code inspect}: the envelope of an object, readable, without any secret. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    header = "Show an object's encryption envelope (no key needed, no secret shown).",
    description = {
      "Show an object's client-side encryption envelope: algorithms, material description,"
          + " sizes and key ids. Needs no key; prints no secret (wrapped values only by length)."
    })
final class InspectCommand extends BaseCommand {
  private static final Pattern UUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  @Mixin ConnectionOptions connection;

  @Option(names = "--bucket", paramLabel = "B", required = true, description = "Bucket.")
  String bucket;

  @Option(names = "--key", paramLabel = "K", required = true, description = "Object key.")
  String key;

  InspectCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    String subject = uri(bucket, key);
    try (Connections c = new Connections(ctx, connection)) {
      ObjectMetadata md;
      Optional<Envelope> envelope;
      try {
        md = c.oss().getObjectMetadata(bucket, key);
        envelope = EnvelopeCodec.fromUserMetadata(md.getUserMetadata());
      } catch (Exception e) {
        throw Errors.classify(e, subject);
      }
      PrintStream o = ctx.out();
      row(o, "object", subject);
      row(o, "size", md.getContentLength() + " bytes (stored)");
      if (md.getETag() != null) {
        row(o, "etag", md.getETag());
      }
      if (md.getLastModified() != null) {
        row(o, "last-modified", md.getLastModified().toInstant().toString());
      }
      if (md.getServerCRC() != null) {
        row(o, "crc64", Long.toUnsignedString(md.getServerCRC()));
      }
      if (envelope.isEmpty()) {
        row(o, "encrypted", "no (no client-side encryption headers: plaintext object)");
        return ExitCodes.OK;
      }
      Envelope e = envelope.get();
      row(
          o,
          "encrypted",
          "yes, client-side"
              + (e.format() == Envelope.Format.OSS2_DEPRECATED
                  ? " (deprecated oss2 oss-crypto-* headers)"
                  : ""));
      row(o, "cek-alg", e.cekAlgorithm() + " (AES-256, no integrity tag)");
      row(o, "wrap-alg", e.wrapAlgorithm().headerValue());
      row(o, "matdesc", e.matDesc().isEmpty() ? "(none)" : Keys.matDescJson(e.matDesc()));
      byte[] wk = e.wrappedKey();
      byte[] wi = e.wrappedIv();
      if (e.wrapAlgorithm().kind() == WrapAlgorithm.Kind.RSA) {
        row(o, "wrapped-key", wk.length + " bytes (RSA modulus " + wk.length * 8 + " bits)");
        row(o, "wrapped-iv", wi.length + " bytes");
      } else {
        row(o, "wrapped-key", wk.length + " bytes (KMS CiphertextBlob)");
        row(o, "wrapped-iv", wi.length + " bytes (KMS CiphertextBlob)");
        String id = kmsKeyId(wk);
        row(o, "kms-key-id", id == null ? "(not readable from the blob)" : id + " (from the blob)");
      }
      e.unencryptedLength().ifPresent(v -> row(o, "plaintext-length", v + " bytes"));
      e.dataSize().ifPresent(v -> row(o, "data-size", v + " bytes (multipart)"));
      e.partSize().ifPresent(v -> row(o, "part-size", v + " bytes (multipart)"));
      e.unencryptedMd5().ifPresent(v -> row(o, "plaintext-md5", "present (not verified)"));
      row(o, "authenticated", authentication(c, md));
      o.flush();
    }
    return ExitCodes.OK;
  }

  /** Whether the object is tagged (docs/format.md FMT-26); the tags are verified by reads only. */
  private String authentication(Connections c, ObjectMetadata md) {
    if (!EnvelopeCodec.isAuthenticationMarked(md.getUserMetadata())) {
      return "no (not tagged; CTR content has no integrity tag)";
    }
    String companion = EnvelopeCodec.authenticationCompanionKey(key);
    boolean present;
    try {
      present = c.oss().doesObjectExist(bucket, companion);
    } catch (Exception ex) {
      throw Errors.classify(ex, uri(bucket, companion));
    }
    return present
        ? "tagged (record in "
            + companion
            + "; not verified here: get/cat --require-authentication verify it)"
        : "marked, but its record " + companion + " is missing (reads that require it refuse)";
  }

  private static void row(PrintStream o, String name, String value) {
    o.printf("%-17s %s%n", name + ":", value);
  }

  /** The key UUID a KMS blob starts with (base64 of ASCII {@code <uuid><base64>}), or null. */
  static String kmsKeyId(byte[] wrappedKeyAscii) {
    try {
      String blob = new String(wrappedKeyAscii, StandardCharsets.US_ASCII).trim();
      String text = new String(Base64.getDecoder().decode(blob), StandardCharsets.US_ASCII);
      var m = UUID.matcher(text);
      if (m.find()) {
        return m.group();
      }
      // oss2 double base64: the header is base64 of the blob text
      String inner = new String(Base64.getDecoder().decode(text), StandardCharsets.US_ASCII);
      var m2 = UUID.matcher(inner);
      return m2.find() ? m2.group() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
