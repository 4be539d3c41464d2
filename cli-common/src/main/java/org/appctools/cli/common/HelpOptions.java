package org.appctools.cli.common;

import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.OptionSpec;

/** {@code -h}/{@code --help} on every subcommand, as cobra and Go's flag package give every command of the Go tools. */
public final class HelpOptions {
  private HelpOptions() {}

  /** Adds {@code -h, --help} to every subcommand of {@code cl}, at any depth, that has no {@code --help} yet. */
  public static void addEverywhere(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().optionsMap().get("--help") == null && !(sub.getCommand() instanceof HelpCommand)) {
        sub.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
            .description("Show this help message and exit.").build());
      }
      addEverywhere(sub);
    }
  }
}
