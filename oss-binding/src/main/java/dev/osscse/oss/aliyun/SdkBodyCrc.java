package dev.osscse.oss.aliyun;

import com.aliyun.oss.common.comm.ResponseMessage;
import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.event.ProgressListener;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.oss.internal.Crc64;
import java.io.InputStream;
import java.util.zip.CheckedInputStream;
import java.util.zip.Checksum;

/**
 * The body of a GetObject reply and the one CRC-64 that counts its bytes.
 *
 * <p>{@code OSSClient.getObject} hands out every body as a {@link CheckedInputStream} over the
 * SDK's {@link CRC64} (it never compares it; callers do). With the client's CRC check on, the
 * response stream under it is a second such stream, so a plain read computes the slow CRC-64 twice.
 * Without a progress listener (whose events the outer layers publish) the binding reads the
 * response stream itself, {@link OSSObject#getResponse()}: with the check on it takes the CRC-64
 * that stream already computes; with it off it feeds the binding's own {@link Crc64} instead.
 * Either way one CRC-64 covers every byte the reader receives, and the reader compares it with
 * {@code x-oss-hash-crc64ecma}.
 */
final class SdkBodyCrc {
  private SdkBodyCrc() {}

  /** A body to read and the CRC-64 of the bytes read from it so far. */
  record Body(InputStream in, Checksum crc) {}

  /**
   * The body of {@code object} and its running CRC-64.
   *
   * @param listener the progress listener of the request (its events need the SDK's own layers)
   */
  static Body of(OSSObject object, ProgressListener listener) {
    InputStream in = object.getObjectContent();
    ResponseMessage response = object.getResponse();
    if ((listener == null || listener == ProgressListener.NOOP)
        && response != null
        && response.getContent() != null) {
      in = response.getContent();
    }
    Checksum sdk = of(in);
    if (sdk != null) {
      return new Body(in, sdk);
    }
    CheckedInputStream checked = new CheckedInputStream(in, new Crc64());
    return new Body(checked, checked.getChecksum());
  }

  /**
   * The SDK's CRC-64 of the bytes read so far from {@code body}, or null when {@code body} is not
   * an SDK-checked stream.
   */
  static Checksum of(InputStream body) {
    if (body instanceof CheckedInputStream checked && checked.getChecksum() instanceof CRC64 crc) {
      return crc;
    }
    return null;
  }
}
