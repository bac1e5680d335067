package dev.osscse.oss.aliyun;

import com.aliyun.oss.common.utils.CRC64;
import java.io.InputStream;
import java.util.zip.CheckedInputStream;
import java.util.zip.Checksum;

/**
 * The CRC-64 the OSS SDK already computes over a GetObject response body.
 *
 * <p>{@code OSSClient.getObject} hands out every body as a {@link CheckedInputStream} over a {@link
 * CRC64} that counts each byte the reader receives (it never compares it; callers do). A reader
 * that verifies the whole-object CRC takes that running value instead of feeding every byte to a
 * second CRC-64, which on a GET cost more CPU than the decryption and the copy together.
 */
final class SdkBodyCrc {
  private SdkBodyCrc() {}

  /**
   * The SDK's CRC-64 of the bytes read so far from {@code body}, or null when {@code body} is not
   * an SDK-checked stream (another {@code OSS} implementation): the caller then computes its own.
   */
  static Checksum of(InputStream body) {
    if (body instanceof CheckedInputStream checked && checked.getChecksum() instanceof CRC64 crc) {
      return crc;
    }
    return null;
  }
}
