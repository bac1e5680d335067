package dev.osscse.oss.internal;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.Checksum;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * A whole-object download that retries and resumes (docs/reliability.md).
 *
 * <p>The first GET fetches the whole object and fixes its size, ETag and the server's CRC-64 of the
 * ciphertext. When the body breaks off (reset, truncation, timeout) or a request fails with a
 * retryable error (5xx, throttling, network), the next GET asks for {@code bytes=pos-} with {@code
 * If-Match: etag}, and a new cipher is positioned at object byte {@code pos} (CTR counter {@code IV
 * + pos/16}, keystream skip {@code pos mod 16}). Every ciphertext byte feeds one running CRC-64; at
 * the end it must equal the server's value, otherwise the download starts over from byte 0 (a
 * corrupted byte in transit or a wrong checksum header). Nothing written to {@code out} is trusted
 * by the caller until {@link #run} returns normally: callers write to a temporary file and rename
 * it into place only then.
 *
 * <p>Not thread-safe; one instance per download.
 */
public final class ResumingDownload {
  /** Opens the content of an object from its first response's metadata. */
  public interface KeyOpener {
    /**
     * Checks the metadata (envelope present, lengths) and returns the content cipher source, or
     * null for a plaintext object the caller allowed.
     */
    CipherSource open(ObjectMetadata metadata) throws IOException, GeneralSecurityException;
  }

  /** Makes decrypting ciphers positioned at an object byte; closed when the download ends. */
  public interface CipherSource extends AutoCloseable {
    /** A DECRYPT_MODE cipher whose first processed byte is object byte {@code offset}. */
    Cipher at(long offset) throws GeneralSecurityException;

    @Override
    void close();
  }

  /** Truncates the output back to zero bytes before a restart from byte 0. */
  public interface Restartable {
    /** Discards everything written so far. */
    void truncate() throws IOException;
  }

  /** What happened during one download, for logs and tests. */
  public record Outcome(
      ObjectMetadata metadata, long bytes, int retries, int resumes, int restarts) {}

  private static final int BUFFER = 64 * 1024;

  private final OSS oss;
  private final int maxRetries;
  private final int maxRestarts;
  private final long backoffMillis;
  private final List<String> events = new ArrayList<>();

  /**
   * Creates a download.
   *
   * @param maxRetries failed requests or broken bodies tolerated in total
   * @param maxRestarts CRC-64 mismatches tolerated (each restarts from byte 0)
   * @param backoffMillis base pause before a retry, multiplied by the attempt number (capped 20x)
   */
  public ResumingDownload(OSS oss, int maxRetries, int maxRestarts, long backoffMillis) {
    this.oss = Objects.requireNonNull(oss, "oss");
    if (maxRetries < 0 || maxRestarts < 0 || backoffMillis < 0) {
      throw new IllegalArgumentException("retry limits and backoff must be >= 0");
    }
    this.maxRetries = maxRetries;
    this.maxRestarts = maxRestarts;
    this.backoffMillis = backoffMillis;
  }

  /** Non-secret notes of what was retried (fault kind, byte position), in order. */
  public List<String> events() {
    return List.copyOf(events);
  }

  /**
   * Downloads and decrypts the whole object named by {@code template} into {@code out}.
   *
   * @throws IOException if the retries or restarts are used up; the message names the last cause
   */
  public Outcome run(
      GetObjectRequest template, KeyOpener opener, OutputStream out, Restartable restart)
      throws IOException, GeneralSecurityException {
    int retries = 0;
    int resumes = 0;
    for (int restarts = 0; ; restarts++) {
      if (restarts > 0) {
        restart.truncate();
      }
      long[] crc = {0}; // CRC-64 of ciphertext bytes 0..pos, joined body by body
      long pos = 0;
      long[] reached = {0}; // advanced per chunk, so a broken body still counts what it delivered
      long size = -1;
      String etag = null;
      Long expectedCrc = null;
      ObjectMetadata first = null;
      CipherSource source = null;
      try {
        while (size < 0 || pos < size) {
          OSSObject object;
          try {
            object = oss.getObject(request(template, first != null, pos, etag));
          } catch (OSSException | ClientException e) {
            if (!retryable(e) || retries >= maxRetries) {
              throw e;
            }
            retries++;
            note("request failed (" + code(e) + ") at byte " + pos);
            pause(retries);
            continue;
          }
          try {
            if (first == null) {
              first = object.getObjectMetadata();
              size = first.getContentLength();
              etag = first.getETag();
              expectedCrc = first.getServerCRC();
              source = opener.open(first);
            } else {
              checkResumed(object.getObjectMetadata(), pos, size);
              resumes++;
            }
            Cipher cipher = source == null ? null : source.at(pos);
            reached[0] = pos;
            copy(object.getObjectContent(), cipher, crc, out, reached, size);
            pos = reached[0];
            object.close();
          } catch (IOException e) {
            pos = reached[0];
            object.forcedClose();
            if (e instanceof VerificationFailure || retries >= maxRetries) {
              throw e;
            }
            retries++;
            note("body broke off (" + e.getClass().getSimpleName() + ") at byte " + pos);
            pause(retries);
          } catch (RuntimeException | GeneralSecurityException e) {
            pos = reached[0];
            object.forcedClose();
            throw e;
          }
        }
      } finally {
        if (source != null) {
          source.close();
        }
      }
      if (expectedCrc == null || crc[0] == expectedCrc) {
        return new Outcome(first, pos, retries, resumes, restarts);
      }
      if (restarts >= maxRestarts) {
        throw new VerificationFailure(
            "CRC-64 of the received ciphertext does not match the server's x-oss-hash-crc64ecma"
                + " after "
                + (restarts + 1)
                + " attempts");
      }
      note("CRC-64 mismatch after " + pos + " bytes; starting over");
    }
  }

  /**
   * One GET that is retried, before any body byte is read, on a retryable failure (5xx, throttling,
   * network, a stale pooled connection).
   */
  public static OSSObject getWithRetry(
      OSS oss, GetObjectRequest request, int maxRetries, long backoffMillis) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return oss.getObject(request);
      } catch (OSSException | ClientException e) {
        if (!retryable(e) || attempt >= maxRetries) {
          throw e;
        }
        backoff(backoffMillis, attempt + 1);
      }
    }
  }

  /**
   * A copy of {@code template} (bucket, key, version, headers, conditions) with no range: the base
   * for later resumed requests, taken when a read starts.
   */
  public static GetObjectRequest snapshot(GetObjectRequest template) {
    return request(template, false, 0, null);
  }

  /**
   * A copy of {@code template} asking for ciphertext bytes {@code first..last} ({@code last} -1 for
   * open-ended) with {@code If-Match: etag}: how a broken body is resumed.
   */
  public static GetObjectRequest resumeRequest(
      GetObjectRequest template, long first, long last, String etag) {
    GetObjectRequest r = request(template, true, first, Objects.requireNonNull(etag, "etag"));
    r.setRange(first, last);
    return r;
  }

  private static GetObjectRequest request(
      GetObjectRequest template, boolean resumed, long pos, String etag) {
    GetObjectRequest r = new GetObjectRequest(template.getBucketName(), template.getKey());
    if (template.getVersionId() != null) {
      r.setVersionId(template.getVersionId());
    }
    for (Map.Entry<String, String> h : template.getHeaders().entrySet()) {
      r.addHeader(h.getKey(), h.getValue());
    }
    r.setMatchingETagConstraints(template.getMatchingETagConstraints());
    r.setNonmatchingETagConstraints(template.getNonmatchingETagConstraints());
    r.setModifiedSinceConstraint(template.getModifiedSinceConstraint());
    r.setUnmodifiedSinceConstraint(template.getUnmodifiedSinceConstraint());
    r.setProgressListener(template.getProgressListener());
    if (resumed) {
      r.setRange(pos, -1);
      r.addHeader("x-oss-range-behavior", "standard");
      if (etag != null) {
        r.setMatchingETagConstraints(List.of(etag));
      }
    }
    return r;
  }

  /**
   * Checks that a resumed response starts at object byte {@code pos} of an object of {@code size}
   * bytes.
   *
   * @throws VerificationFailure if it does not
   */
  public static void checkResumed(ObjectMetadata md, long pos, long size) throws IOException {
    Object raw = null;
    for (Map.Entry<String, Object> e : md.getRawMetadata().entrySet()) {
      if (e.getKey().equalsIgnoreCase("Content-Range")) {
        raw = e.getValue();
      }
    }
    if (raw == null) {
      throw new VerificationFailure("a resumed response has no Content-Range");
    }
    ContentRange cr = ContentRange.parse(raw.toString());
    if (cr.first() != pos || cr.total() != size) {
      throw new VerificationFailure(
          "a resumed response starts at byte "
              + cr.first()
              + " of "
              + cr.total()
              + ", expected "
              + pos
              + " of "
              + size);
    }
  }

  /**
   * Copies from {@code at[0]} to {@code size}, advancing {@code at[0]} after every chunk, and joins
   * the CRC-64 of the bytes this body delivered to {@code crc[0]}, also when it breaks off. The
   * SDK's own CRC-64 of the body is used where there is one ({@link SdkBodyCrc}).
   */
  private static void copy(
      InputStream body, Cipher cipher, long[] crc, OutputStream out, long[] at, long size)
      throws IOException, GeneralSecurityException {
    long start = at[0];
    Checksum sdk = SdkBodyCrc.of(body);
    Checksum bodyCrc = sdk != null ? sdk : new CRC64();
    try {
      copyBody(body, sdk == null ? bodyCrc : null, cipher, out, at, size);
    } finally {
      crc[0] = CRC64.combine(crc[0], bodyCrc.getValue(), at[0] - start);
    }
  }

  private static void copyBody(
      InputStream body, Checksum crc, Cipher cipher, OutputStream out, long[] at, long size)
      throws IOException, GeneralSecurityException {
    byte[] in = new byte[BUFFER];
    byte[] plain = new byte[BUFFER];
    long pos = at[0];
    while (pos < size) {
      int n = body.read(in, 0, (int) Math.min(in.length, size - pos));
      if (n < 0) {
        throw new IOException("response body ended " + (size - pos) + " bytes early");
      }
      if (crc != null) {
        crc.update(in, 0, n);
      }
      if (cipher == null) {
        out.write(in, 0, n);
      } else {
        try {
          if (cipher.update(in, 0, n, plain, 0) != n) {
            throw new VerificationFailure("CTR cipher output length differs from its input");
          }
        } catch (ShortBufferException e) {
          throw new VerificationFailure("CTR cipher output buffer too small");
        }
        out.write(plain, 0, n);
      }
      pos += n;
      at[0] = pos;
    }
    if (body.read() != -1) {
      throw new VerificationFailure("response body is longer than the object");
    }
  }

  private static boolean retryable(RuntimeException e) {
    if (e instanceof OSSException o) {
      String code = o.getErrorCode();
      return "InternalError".equals(code)
          || "ServiceUnavailable".equals(code)
          || "RequestTimeout".equals(code)
          || (code != null && code.startsWith("Throttling"));
    }
    return true; // ClientException: network, reset, timeout
  }

  private static String code(RuntimeException e) {
    if (e instanceof OSSException o) {
      return o.getErrorCode();
    }
    if (e instanceof ClientException c && c.getErrorCode() != null) {
      return c.getErrorCode();
    }
    return e.getClass().getSimpleName();
  }

  private void note(String event) {
    if (events.size() < 1000) {
      events.add(event);
    }
  }

  private void pause(int attempt) throws IOException {
    backoff(backoffMillis, attempt);
  }

  /**
   * The pause before retry number {@code attempt} (1-based): {@code backoffMillis} times the
   * attempt number, capped at 20 times.
   */
  public static void backoff(long backoffMillis, int attempt) throws IOException {
    long ms = backoffMillis * Math.min(attempt, 20);
    if (ms == 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** A check failed that a retry of the same request cannot fix. */
  public static final class VerificationFailure extends IOException {
    private static final long serialVersionUID = 1L;

    VerificationFailure(String message) {
      super(message);
    }
  }
}
