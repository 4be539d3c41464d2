package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-user",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild set-user 1000",
      "  acbuild set-user www-data"},
    description = "Set the user")
final class SetUserCommand extends ManifestEditStep {
  @Parameters(index = "0", paramLabel = "USER") String value;

  @Override
  BuildSession.StateEdit ociEdit() {
    return OciImage.setUser(value);
  }

  @Override
  ManifestEdit edit() {
    Cli.debug(spec, "Setting user to " + value);
    return ManifestEdits.setUser(value);
  }
}
