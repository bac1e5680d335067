package dev.osscse.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code cat}: {@code get} to standard output. */
@Command(
    name = "cat",
    mixinStandardHelpOptions = true,
    header = "Download and decrypt an object (or a range) to standard output.",
    description = "Download and decrypt an object (or a --range of it) to standard output.")
final class CatCommand extends ReadCommand {
  CatCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  Path target() {
    return null;
  }
}
