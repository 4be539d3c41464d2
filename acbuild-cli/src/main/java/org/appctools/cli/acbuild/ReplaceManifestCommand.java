package org.appctools.cli.acbuild;

import org.appctools.oci.OciImage;

import java.io.IOException;
import java.nio.file.Files;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "replace-manifest",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild replace-manifest manifest.json",
      "  acbuild cat-manifest | jq '.app.user = \"1000\"' > m.json && acbuild replace-manifest m.json"},
    description = {"Replace the manifest in the current build",
    "Replaces the manifest with the one in MANIFEST_PATH, which must be a valid image manifest."})
final class ReplaceManifestCommand extends BuildStep {
  @Parameters(index = "0", paramLabel = "MANIFEST_PATH") String file;

  @Override
  void apply(BuildSession session, String history) throws AppcException {
    byte[] json;
    try {
      json = Files.readAllBytes(Cli.hostPath(file));
    } catch (IOException e) {
      throw new AppcException("can't read " + file + ": " + e.getMessage(), e);
    }
    Cli.debug(spec, "Replacing manifest with " + file);
    session.replaceManifest(json, history);
  }

  /** In OCI mode the file is an image config, as the Go acbuild's oci.Image.Replace reads it. */
  @Override
  void applyOci(BuildSession session, String history) throws AppcException {
    byte[] json;
    try {
      json = Files.readAllBytes(Cli.hostPath(file));
    } catch (IOException e) {
      throw new AppcException("can't read " + file + ": " + e.getMessage(), e);
    }
    Cli.debug(spec, "Replacing config with " + file);
    session.editOci(history, OciImage.replaceConfig(json));
  }
}
