package dev.osscse.cli;

import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.keys.PemKeys;
import dev.osscse.provider.KeyServiceException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keygen}: make master keys. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    header = "Make a master key: RSA key pair files or a KMS key.",
    description = "Make a master key: an RSA key pair (PEM files) or a key on the KMS endpoint.",
    subcommands = {KeygenCommand.Rsa.class, KeygenCommand.Kms.class})
final class KeygenCommand extends BaseCommand {
  KeygenCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(ctx.err());
    return ExitCodes.USAGE;
  }

  /** {@code keygen rsa}. */
  @Command(
      name = "rsa",
      mixinStandardHelpOptions = true,
      header = "Generate an RSA key pair as PEM files.",
      description = {
        "Generate an RSA key pair: PREFIX-private.pem (PKCS#8, file mode 0600) and"
            + " PREFIX-public.pem (X.509). Existing files are never overwritten.",
        "Prints the two paths on standard output."
      })
  static final class Rsa extends BaseCommand {
    @Option(
        names = "--bits",
        paramLabel = "N",
        defaultValue = "3072",
        description = "Modulus size, 2048 to 8192 (default ${DEFAULT-VALUE}).")
    int bits;

    @Option(
        names = "--out",
        paramLabel = "PREFIX",
        required = true,
        description = "Path prefix of the two files, e.g. keys/backup.")
    String prefix;

    Rsa(CliContext ctx) {
      super(ctx);
    }

    @Override
    public Integer call() throws Exception {
      if (bits < 2048 || bits > 8192 || bits % 8 != 0) {
        throw new CliException(
            ExitCodes.USAGE, "--bits must be a multiple of 8 from 2048 to 8192, got " + bits);
      }
      Path priv = Path.of(prefix + "-private.pem");
      Path pub = Path.of(prefix + "-public.pem");
      for (Path p : new Path[] {priv, pub}) {
        if (Files.exists(p)) {
          throw new CliException(
              ExitCodes.GENERIC, p + " already exists; choose another --out prefix");
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
          throw new CliException(ExitCodes.NOT_FOUND, "--out " + prefix + ": no such directory");
        }
      }
      long t0 = System.nanoTime();
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      KeyPair pair = g.generateKeyPair();
      try {
        PemKeys.writePrivateKey(pair.getPrivate(), priv);
        PemKeys.writePublicKey(pair.getPublic(), pub);
      } catch (FileAlreadyExistsException e) {
        throw new CliException(
            ExitCodes.GENERIC, e.getFile() + " already exists; choose another --out prefix", e);
      }
      ctx.out().println(priv);
      ctx.out().println(pub);
      note(
          "keygen rsa: "
              + bits
              + "-bit pair in "
              + Format.seconds(System.nanoTime() - t0)
              + "; keep "
              + priv
              + " secret");
      return ExitCodes.OK;
    }
  }

  /** {@code keygen kms}. */
  @Command(
      name = "kms",
      mixinStandardHelpOptions = true,
      header = "Create a master key on the KMS endpoint and print its id.",
      description =
          "Create a master key on the configured KMS endpoint and print its id on standard"
              + " output.")
  static final class Kms extends BaseCommand {
    @Mixin ConnectionOptions connection;

    @Option(
        names = "--description",
        paramLabel = "TEXT",
        defaultValue = "oss-cse master key",
        description = "Description stored with the key (default: ${DEFAULT-VALUE}).")
    String description;

    Kms(CliContext ctx) {
      super(ctx);
    }

    @Override
    public Integer call() {
      try (Connections c = new Connections(ctx, connection)) {
        AliyunKmsKeyService kms = c.kms();
        String id;
        try {
          id = kms.createKey(description);
        } catch (KeyServiceException e) {
          throw Errors.classify(e, "KMS CreateKey at " + kms.endpoint());
        }
        ctx.out().println(id);
      }
      return ExitCodes.OK;
    }
  }
}
