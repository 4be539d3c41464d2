package org.appctools.cli.acbuild;

import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import picocli.CommandLine.Command;

@Command(name = "layer",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild layer   (in a build begun with --build-mode oci: what copy and run changed so far is sealed)"},
    description = {"Start a new layer",
    "Seals the current top layer of an OCI build; later copies and runs go into a new layer. OCI builds only."})
final class LayerCommand extends BuildStep {
  @Override
  void apply(BuildSession session, String history) throws AppcException {
    throw new AppcException("adding layers is currently only supported in OCI builds");
  }

  @Override
  void applyOci(BuildSession session, String history) throws AppcException {
    Cli.debug(spec, "Starting a new layer");
    session.seal(history);
  }
}
