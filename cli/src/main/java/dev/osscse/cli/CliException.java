package dev.osscse.cli;

/**
 * A failure already phrased for the user: one line, with the exit code to end with.
 *
 * <p>Messages name the object, header or file concerned and what to do; they never contain key
 * material.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** A failure with its exit code (see {@link ExitCodes}). */
  public CliException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  /** A failure with its exit code and the cause shown by {@code --verbose}. */
  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The exit code. */
  public int exitCode() {
    return exitCode;
  }
}
