package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-name",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild set-name example.com/app"},
    description = "Set the image name")
final class SetNameCommand extends ManifestEditStep {
  @Parameters(index = "0", paramLabel = "ACI_NAME") String value;

  @Override
  BuildSession.StateEdit ociEdit() {
    return OciImage.setName(value);
  }

  @Override
  ManifestEdit edit() {
    Cli.debug(spec, "Setting name of ACI to " + value);
    return ManifestEdits.setName(value);
  }
}
