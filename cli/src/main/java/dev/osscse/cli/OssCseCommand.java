package dev.osscse.cli;

import picocli.CommandLine.Command;

/** The {@code oss-cse} command: only dispatches to its subcommands. */
@Command(
    name = "oss-cse",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Client-side encryption for Alibaba Cloud OSS, in the official SDKs' format.",
      "Endpoints and credentials come from options or the environment (OSS_ENDPOINT,"
          + " KMS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN).",
      "Exit codes: 0 ok, 1 generic, 2 usage, 3 not found, 4 key/unwrap/envelope,"
          + " 5 integrity, 6 network/service. See docs/cli.md."
    },
    subcommands = {
      ServeLocalCommand.class,
      PutCommand.class,
      GetCommand.class,
      CatCommand.class,
      InspectCommand.class,
      RewrapCommand.class,
      UploadsCommand.class,
      KeygenCommand.class,
      DemoCommand.class
    })
final class OssCseCommand extends BaseCommand {
  OssCseCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(ctx.err());
    return ExitCodes.USAGE;
  }
}
