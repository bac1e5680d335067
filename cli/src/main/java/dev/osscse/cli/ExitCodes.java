package dev.osscse.cli;

/**
 * The process exit codes of {@code oss-cse}; documented in docs/cli.md and stable (scripts test
 * them).
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Any failure not covered below. */
  public static final int GENERIC = 1;

  /** Bad command line: unknown or missing option, bad value, conflicting options, bad range. */
  public static final int USAGE = 2;

  /** No such bucket, object or local file. */
  public static final int NOT_FOUND = 3;

  /**
   * Key, unwrap or envelope problem: no matching master key, wrong key, unreadable PEM, missing or
   * malformed encryption headers, a plaintext object read without {@code --allow-plaintext}.
   */
  public static final int KEY = 4;

  /** Integrity or verification failure: CRC-64 mismatch, short transfer, a failed demo check. */
  public static final int INTEGRITY = 5;

  /** Network or service failure: endpoint unreachable, access denied, throttled, server error. */
  public static final int SERVICE = 6;

  private ExitCodes() {}
}
