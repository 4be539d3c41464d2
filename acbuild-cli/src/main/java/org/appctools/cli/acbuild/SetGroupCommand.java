package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-group",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild set-group 1000",
      "  acbuild set-group www-data"},
    description = "Set the group")
final class SetGroupCommand extends ManifestEditStep {
  @Parameters(index = "0", paramLabel = "GROUP") String value;

  @Override
  BuildSession.StateEdit ociEdit() {
    return OciImage.setGroup(value);
  }

  @Override
  ManifestEdit edit() {
    Cli.debug(spec, "Setting group to " + value);
    return ManifestEdits.setGroup(value);
  }
}
