package org.appctools.cli.acbuild;

import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.ManifestEdit;
import org.appctools.oci.OciImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-tag",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild set-tag 1.0",
      "  acbuild --modify-oci app.oci.tar set-tag stable"},
    description = {"Set the tag of an OCI image",
    "Sets the tag the written OCI image layout names the image by (default latest). OCI builds only."})
final class SetTagCommand extends ManifestEditStep {
  @Parameters(index = "0", paramLabel = "TAG") String tag;

  @Override
  ManifestEdit edit() throws AppcException {
    throw new AppcException("tags only supported in OCI builds (begin --build-mode oci); an appc image is versioned by its version label");
  }

  @Override
  BuildSession.StateEdit ociEdit() {
    Cli.debug(spec, "Setting tag to " + tag);
    return OciImage.setTag(tag);
  }
}
