package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-working-directory",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild set-working-directory /srv/app"},
    aliases = "set-wd", description = "Set the working directory")
final class SetWorkingDirectoryCommand extends ManifestEditStep {
  @Parameters(index = "0", paramLabel = "DIR") String value;

  @Override
  BuildSession.StateEdit ociEdit() {
    return OciImage.setWorkingDirectory(value);
  }

  @Override
  ManifestEdit edit() {
    Cli.debug(spec, "Setting working directory to " + value);
    return ManifestEdits.setWorkingDirectory(value);
  }
}
