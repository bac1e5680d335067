package dev.osscse.cli;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSSException;
import dev.osscse.keys.PemKeyException;
import dev.osscse.oss.EnvelopeException;
import dev.osscse.oss.InvalidByteRangeException;
import dev.osscse.oss.MultipartUploadException;
import dev.osscse.oss.NoMatchingMasterKeyException;
import dev.osscse.oss.ObjectAuthenticationException;
import dev.osscse.oss.ResumeTokenException;
import dev.osscse.oss.TransferVerificationException;
import dev.osscse.oss.UnencryptedObjectException;
import dev.osscse.provider.KeyServiceException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.BadPaddingException;

/**
 * Turns any failure into a {@link CliException}: one line naming the object and what to do, and an
 * exit code from {@link ExitCodes}. Messages are built from exception types, error codes and the
 * library's secret-free messages only.
 */
final class Errors {
  private Errors() {}

  /** Prints the failure (and, verbose, its cause chain) and returns its exit code. */
  static int report(CliContext ctx, Throwable t, boolean verbose) {
    CliException c = classify(t, null);
    ctx.err().println("oss-cse: error: " + Main.oneLine(c.getMessage()));
    if (verbose) {
      Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      for (Throwable x = c.getCause() != null ? c.getCause() : t;
          x != null && seen.add(x);
          x = x.getCause()) {
        ctx.err()
            .println(
                "  caused by: " + x.getClass().getName() + ": " + Main.oneLine(x.getMessage()));
      }
    } else if (c.getCause() != null && c.exitCode() != ExitCodes.USAGE) {
      ctx.err().println("(run with --verbose for the cause chain)");
    }
    return c.exitCode();
  }

  /**
   * Classifies a failure.
   *
   * @param subject what was being worked on, e.g. {@code oss://bkt/key}, or null
   */
  static CliException classify(Throwable t, String subject) {
    if (t instanceof CliException c) {
      return c;
    }
    String on = subject == null ? "" : subject + ": ";
    if (t instanceof picocli.CommandLine.ParameterException) {
      return new CliException(ExitCodes.USAGE, t.getMessage(), t);
    }
    if (t instanceof InvalidByteRangeException) {
      return new CliException(
          ExitCodes.USAGE,
          "--range: " + t.getMessage() + "; use a-b, a- or -n (bytes, as in HTTP)",
          t);
    }
    if (t instanceof PemKeyException) {
      return new CliException(ExitCodes.KEY, on + "unusable PEM key: " + t.getMessage(), t);
    }
    if (t instanceof UnencryptedObjectException) {
      return new CliException(
          ExitCodes.KEY,
          on
              + "the object has no client-side encryption headers"
              + " (x-oss-meta-client-side-encryption-key/-start): it is stored in plaintext;"
              + " pass --allow-plaintext to read it as it is",
          t);
    }
    if (t instanceof ResumeTokenException r) {
      return new CliException(
          ExitCodes.KEY,
          on
              + "multipart upload not resumed: it does not match its resume token ("
              + r.field()
              + "), so it is not proven to be the upload put started; nothing was sent. Abort it"
              + " (oss-cse uploads abort) and put the file again",
          t);
    }
    if (t instanceof NoMatchingMasterKeyException) {
      return new CliException(
          ExitCodes.KEY,
          on + t.getMessage() + "; pass the master key the object was written with",
          t);
    }
    if (t instanceof EnvelopeException e) {
      return new CliException(
          ExitCodes.KEY,
          on + "bad encryption envelope (header x-oss-meta-" + e.field() + "): " + e.getMessage(),
          t);
    }
    KeyServiceException kse = find(t, KeyServiceException.class);
    UnknownHostException unknownHost = find(t, UnknownHostException.class);
    if (unknownHost != null) {
      boolean viaKms = kse != null;
      return new CliException(
          ExitCodes.SERVICE,
          on
              + (viaKms ? "KMS" : "OSS")
              + ": unknown host "
              + hostOf(unknownHost)
              + " (the name does not resolve in DNS); check "
              + (viaKms ? "--kms-endpoint / KMS_ENDPOINT" : "--endpoint / OSS_ENDPOINT")
              + ", --region and the network",
          t);
    }
    BindException bind = find(t, BindException.class);
    if (bind != null) {
      String port = portOf(t);
      return new CliException(
          ExitCodes.GENERIC,
          (port == null ? "a port" : "port " + port)
              + " is in use (another program, or another serve-local, listens on it); pick"
              + " another --port / --kms-port / --kms-tls-port, or 0 for any free port",
          t);
    }
    // A wrong key (or a ciphertext KMS refused) reads the same whatever the cause (no oracle); a
    // failure of KMS itself (unreachable, TLS, throttled, 5xx, key not found or disabled, access
    // denied) arrives as the KeyServiceException cause and is reported as a KMS failure, exit 6.
    if ((t instanceof InvalidKeyException || t instanceof BadPaddingException)
        && (kse == null || kse.isCiphertextRefused())) {
      return new CliException(
          ExitCodes.KEY,
          on
              + t.getMessage()
              + " (x-oss-meta-client-side-encryption-key): the given master key cannot unwrap"
              + " this object; pass the key it was written with",
          t);
    }
    if (kse != null) {
      String m = kse.getMessage() == null ? "" : kse.getMessage();
      return new CliException(
          ExitCodes.SERVICE, on + (m.startsWith("KMS ") ? "" : "KMS: ") + m + hint(kse), t);
    }
    if (t instanceof MultipartUploadException m && m.getCause() != null) {
      CliException inner = classify(m.getCause(), subject);
      return new CliException(
          inner.exitCode(),
          inner.getMessage()
              + (m.aborted()
                  ? " (multipart upload aborted)"
                  : " (multipart upload " + m.uploadId().orElse("?") + " kept)"),
          t);
    }
    if (t instanceof ObjectAuthenticationException) {
      return new CliException(
          ExitCodes.INTEGRITY,
          (t.getMessage().startsWith("oss://") ? "" : on)
              + "authentication failed: "
              + t.getMessage(),
          t);
    }
    if (t instanceof TransferVerificationException) {
      return new CliException(
          ExitCodes.INTEGRITY, on + "verification failed: " + t.getMessage(), t);
    }
    if (t instanceof InconsistentException) {
      return new CliException(
          ExitCodes.INTEGRITY,
          on + "CRC-64 of the transferred data does not match the server's; retry",
          t);
    }
    if (t instanceof OSSException o) {
      return oss(o, on);
    }
    if (t instanceof ClientException ce) {
      if (ce.getCause() != null
          && (ce.getCause() instanceof GeneralSecurityException
              || ce.getCause() instanceof IOException)) {
        return classify(ce.getCause(), subject);
      }
      return new CliException(
          ExitCodes.SERVICE,
          on
              + "OSS request failed ("
              + (ce.getErrorCode() == null ? "client error" : ce.getErrorCode())
              + "): "
              + firstLine(ce.getMessage())
              + "; check --endpoint / OSS_ENDPOINT and the network",
          t);
    }
    if (t instanceof NoSuchFileException) {
      return new CliException(ExitCodes.NOT_FOUND, on + "no such file: " + t.getMessage(), t);
    }
    if (t instanceof AccessDeniedException) {
      return new CliException(ExitCodes.GENERIC, on + "permission denied: " + t.getMessage(), t);
    }
    if (t instanceof ConnectException
        || t instanceof UnknownHostException
        || t instanceof SocketTimeoutException) {
      return new CliException(
          ExitCodes.SERVICE, on + "network: " + t.getMessage() + "; check the endpoint", t);
    }
    if (t instanceof IOException) {
      return new CliException(ExitCodes.GENERIC, on + "I/O error: " + t.getMessage(), t);
    }
    if (t instanceof GeneralSecurityException) {
      return new CliException(
          ExitCodes.KEY, on + "crypto failure: " + t.getClass().getSimpleName(), t);
    }
    return new CliException(
        ExitCodes.GENERIC,
        on + "unexpected " + t.getClass().getName() + ": " + firstLine(t.getMessage()),
        t);
  }

  private static final Map<String, String> CREDENTIAL_CODES =
      Map.of(
          "AccessDenied", "the credentials may not do this",
          "InvalidAccessKeyId", "OSS_ACCESS_KEY_ID is not known to the endpoint",
          "SignatureDoesNotMatch", "OSS_ACCESS_KEY_SECRET does not match OSS_ACCESS_KEY_ID",
          "SecurityTokenExpired", "OSS_SESSION_TOKEN has expired",
          "InvalidSecurityToken", "OSS_SESSION_TOKEN is not valid");

  private static CliException oss(OSSException o, String on) {
    String code = o.getErrorCode() == null ? "unknown" : o.getErrorCode();
    String rid = o.getRequestId() == null ? "" : ", request id " + o.getRequestId();
    return switch (code) {
      case "NoSuchKey" ->
          new CliException(
              ExitCodes.NOT_FOUND, on + "no such object (NoSuchKey" + rid + "); check --key", o);
      case "NoSuchBucket" ->
          new CliException(
              ExitCodes.NOT_FOUND,
              on + "no such bucket (NoSuchBucket" + rid + "); check --bucket",
              o);
      case "NoSuchUpload" ->
          new CliException(
              ExitCodes.NOT_FOUND, on + "the multipart upload no longer exists (NoSuchUpload)", o);
      case "InvalidRange" ->
          new CliException(
              ExitCodes.USAGE,
              on
                  + "--range starts at or past the end of the object (InvalidRange); "
                  + firstLine(o.getErrorMessage()),
              o);
      default -> {
        String hint = CREDENTIAL_CODES.get(code);
        yield new CliException(
            ExitCodes.SERVICE,
            on
                + "OSS refused the request ("
                + code
                + rid
                + ")"
                + (hint == null ? ": " + firstLine(o.getErrorMessage()) : ": " + hint),
            o);
      }
    };
  }

  private static String hint(KeyServiceException e) {
    return switch (e.kind()) {
      case IO ->
          "; check --kms-endpoint / KMS_ENDPOINT (and KMS_TRUSTSTORE for a local https one) and"
              + " the network";
      case THROTTLED -> "; KMS throttled the requests, retry later";
      case UNAVAILABLE -> "; KMS failed, retry later";
      case REJECTED ->
          "; check the KMS key id (--kms-key-id, or the one the object names), its state and the"
              + " credentials' KMS permissions";
      case BAD_RESPONSE -> "; check that --kms-endpoint / KMS_ENDPOINT is a KMS endpoint";
    };
  }

  /** The host name an {@link UnknownHostException} names ({@code host} or {@code host: reason}). */
  private static String hostOf(UnknownHostException e) {
    String m = e.getMessage() == null ? "" : e.getMessage().trim();
    int colon = m.indexOf(": ");
    return colon > 0 ? m.substring(0, colon) : m.isEmpty() ? "(unnamed)" : m;
  }

  private static final Pattern PORT = Pattern.compile("(?:port |:)(\\d{1,5})\\b");

  /** The port a bind failure names in its chain ("on port N", "127.0.0.1:N"), or null. */
  private static String portOf(Throwable t) {
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable x = t; x != null && seen.add(x); x = x.getCause()) {
      Matcher m = PORT.matcher(x.getMessage() == null ? "" : x.getMessage());
      String last = null;
      while (m.find()) {
        last = m.group(1);
      }
      if (last != null && !last.equals("0")) {
        return last;
      }
    }
    return null;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable x = t; x != null && seen.add(x); x = x.getCause()) {
      if (type.isInstance(x)) {
        return type.cast(x);
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
