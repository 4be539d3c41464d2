package org.appctools.cli.actool;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool version"},
    description = "Print the version and exit")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new Versions().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return 0;
  }
}
