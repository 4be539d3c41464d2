package org.appctools.cli.actool;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code actool image ...}: rkt's image commands over the local image store. */
@Command(name = "image",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image list",
      "  actool image import app.aci",
      "  actool image rm example.com/app:1.0"},
    description = "Manage the local image store (rkt's image commands)",
    subcommands = {
      ImageImportCommand.class,
      ImageListCommand.class,
      ImageCatManifestCommand.class,
      ImageExportCommand.class,
      ImageExtractCommand.class,
      ImageRenderCommand.class,
      ImageVerifyCommand.class,
      ImageRmCommand.class,
      ImageGcCommand.class,
      HelpCommand.class
    })
final class ImageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: one of "
        + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
  }

  /** Prints warnings on stderr as {@code image COMMAND: warning: ...}. */
  static void warn(CommandSpec spec, List<String> warnings) {
    for (String w : warnings) {
      spec.commandLine().getErr().println("image " + spec.name() + ": warning: " + w);
    }
  }
}
