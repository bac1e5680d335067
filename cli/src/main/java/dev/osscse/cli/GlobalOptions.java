package dev.osscse.cli;

import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --verbose}, accepted by every command. */
public final class GlobalOptions {
  @Option(
      names = {"-q", "--quiet"},
      description = "Print no progress and no notes on standard error (errors still are).")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "On failure, also print the chain of causes.")
  boolean verbose;
}
