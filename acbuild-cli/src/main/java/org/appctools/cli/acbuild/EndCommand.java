package org.appctools.cli.acbuild;

import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "end",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild end"},
    description = {"End the current build", "Deletes the build context (DIR/.acbuild)."})
final class EndCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    root.refuseModify(spec);
    Cli.debug(spec, "Ending the build");
    try (BuildSession s = BuildSession.open(root.workPath())) {
      s.end();
    }
    return 0;
  }
}
