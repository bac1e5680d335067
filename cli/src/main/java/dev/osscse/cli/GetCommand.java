package dev.osscse.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code get}: download and decrypt an object (or a range of it) to a file. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    header = "Download and decrypt an object (or a range) to a file.",
    description = {
      "Download an object and decrypt it on the client, whole or a byte range, to a file.",
      "The file is written to a temporary name and renamed into place only when complete and"
          + " verified. Note: the format has no integrity tag; whole objects are checked by"
          + " CRC-64 only."
    })
final class GetCommand extends ReadCommand {
  @Option(names = "--out", paramLabel = "F", required = true, description = "File to write.")
  Path out;

  GetCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  Path target() {
    return out;
  }
}
