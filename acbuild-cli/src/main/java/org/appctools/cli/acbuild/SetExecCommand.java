package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import java.util.List;
import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-exec",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild set-exec -- /path/to/nginx -c /path/to/conf"},
    description = {"Set the exec command",
    "Sets the command the app runs (creating the app, user and group 0, if there is none)."})
final class SetExecCommand extends ManifestEditStep {
  @Parameters(arity = "1..*", paramLabel = "CMD [ARGS]") List<String> argv;

  @Override
  BuildSession.StateEdit ociEdit() {
    return OciImage.setExec(argv);
  }

  @Override
  ManifestEdit edit() {
    Cli.debug(spec, "Setting exec command " + argv);
    return ManifestEdits.setExec(argv);
  }
}
