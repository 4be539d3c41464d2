package org.appctools.cli.common;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;

/** The commands of a tool's model, walked from its root: what the generators and the help tests cover. */
public final class CommandTree {
  private CommandTree() {}

  /**
   * {@code root} and every command below it, parents before children, each once (aliases are
   * the same command), without picocli's {@code help} command, which only shows the others' help.
   */
  public static List<CommandLine> commands(CommandLine root) {
    Set<CommandLine> seen = new LinkedHashSet<>();
    collect(root, seen);
    return new ArrayList<>(seen);
  }

  private static void collect(CommandLine c, Set<CommandLine> into) {
    if (c.getCommand() instanceof HelpCommand || !into.add(c)) {
      return;
    }
    for (CommandLine sub : c.getSubcommands().values()) {
      collect(sub, into);
    }
  }

  /** "actool image list": the command's name with those of its parents. */
  public static String qualifiedName(CommandLine c) {
    return c.getCommandSpec().qualifiedName(" ");
  }
}
