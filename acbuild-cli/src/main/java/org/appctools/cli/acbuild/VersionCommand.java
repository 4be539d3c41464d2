package org.appctools.cli.acbuild;

import java.util.concurrent.Callable;
import org.appctools.AppcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild version"},
    description = "Get the version of acbuild")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws AppcException {
    Acbuild.of(spec).refuseModify(spec);
    for (String line : new Versions().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return 0;
  }
}
