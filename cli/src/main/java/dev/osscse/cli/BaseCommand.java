package dev.osscse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** Common state of every command: the run's context and {@code --quiet}/{@code --verbose}. */
abstract class BaseCommand implements Callable<Integer> {
  final CliContext ctx;

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  BaseCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** True if {@code --quiet} was given here or on a parent command. */
  boolean quiet() {
    return flag("--quiet");
  }

  private boolean flag(String name) {
    for (CommandSpec s = spec; s != null; s = s.parent()) {
      OptionSpec o = s.findOption(name);
      if (o != null && Boolean.TRUE.equals(o.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** A note on standard error, unless quiet. */
  void note(String line) {
    if (!quiet()) {
      ctx.err().println(line);
    }
  }

  /** {@code oss://bucket/key}. */
  static String uri(String bucket, String key) {
    return "oss://" + bucket + "/" + key;
  }
}
