package dev.osscse.local.oss;

/** The kinds of fault {@link FaultInjector} can inject. */
public enum FaultType {
  /** An error reply (500, 503 or another status) with an OSS error XML body. */
  ERROR_STATUS,
  /** A pause before the request is handled. */
  DELAY,
  /** The connection is reset (TCP RST) in the middle of a GET body. */
  RESET,
  /** Fewer body bytes than {@code Content-Length} are sent, then the connection is closed. */
  TRUNCATE,
  /** A wrong {@code x-oss-hash-crc64ecma} header value. */
  WRONG_CRC,
  /** One GET body byte flipped in transit (headers, length and CRC header stay correct). */
  CORRUPT_BODY
}
