package org.appctools.cli.acbuild;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.WriteOptions;
import org.appctools.build.WriteResult;
import org.appctools.cli.common.CompressionLevels;
import org.appctools.cli.common.ProgressBar;
import org.appctools.compress.Compression;
import org.appctools.oci.OciBuild;
import org.appctools.sign.Signer;
import org.appctools.sign.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "write",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild write app-1.0-linux-amd64.aci",
      "  acbuild write --overwrite --sign --key release-secret.asc app.aci"},
    description = {"Write the ACI to a file",
    "Writes the ACI resulting from the current build context to a file and prints its Image ID.",
    "With SOURCE_DATE_EPOCH set, mtimes are clamped to it, so the same build always gives the same bytes.",
    "With --sign, also writes a detached, ASCII-armored OpenPGP signature ACI_PATH.asc (as actool sign does).",
    "An OCI build (begin --build-mode oci) writes an OCI image layout: a tar of one (skopeo's oci-archive:), or",
    "a directory when the path ends in /; it prints the manifest's digest."})
final class WriteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--overwrite", description = "overwrite the resulting ACI")
  boolean overwrite;

  @Option(names = "--compression", paramLabel = "ALGO", defaultValue = "gzip",
      description = "gzip (default), bzip2, xz, zstd (not in the appc spec) or none")
  String compression;

  @Mixin CompressionLevels compressionLevel;

  @Option(names = "--sign", description = "Sign the ACI: write ACI_PATH.asc next to it")
  boolean sign;



  @Mixin SigningKeyOptions signingKeyOptions;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "ACI_PATH") String output;

  @Override
  public Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    root.refuseModify(spec);
    Compression algo;
    try {
      algo = Compression.fromName(compression);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    int level = compressionLevel.checked(spec, algo);
    signingKeyOptions.requireSign(spec, sign);
    Path aci = Cli.hostPath(output);
    Path signature = Path.of(aci + ".asc");
    SigningKey signingKey = null;
    if (sign) {
      // before writing anything: a missing key or a signature in the way fails the whole command
      if (!overwrite && Files.exists(signature, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException("signature file already exists: " + signature + " (pass --overwrite to replace it)");
      }
      signingKey = signingKeyOptions.load();
    }
    try (BuildSession s = BuildSession.open(root.workPath())) {
      if (s.mode() == BuildSession.Mode.OCI) {
        if (sign || !compression.equals("gzip") || compressionLevel.given()) {
          throw new ParameterException(spec.commandLine(), "--sign, --compression and --compression-level are for ACIs;"
              + " an OCI build writes gzip layers (sign the image with skopeo or cosign)");
        }
        boolean directory = output.endsWith("/");
        Cli.debug(spec, "Writing OCI image " + (directory ? "layout directory " : "archive ") + output);
        OciBuild.WriteResult r = OciBuild.write(s, Cli.hostPath(output), directory, overwrite, Cli.sourceDateEpoch());
        Cli.warn(spec, s.warnings());
        spec.commandLine().getOut().println(r.manifestDigest());
        return 0;
      }
      Cli.debug(spec, "Writing ACI to " + output);
      ProgressBar bar = ProgressBar.on(spec.commandLine().getErr(), "Writing " + aci.getFileName(), quiet);
      WriteResult r;
      try {
        r = s.write(aci, new WriteOptions(overwrite, algo, Cli.sourceDateEpoch(), level), bar);
      } finally {
        bar.end();
      }
      Cli.warn(spec, s.warnings());
      Cli.warn(spec, r.warnings());
      if (signingKey != null) {
        Cli.debug(spec, "Signing " + aci + " with " + signingKey.fingerprint() + " into " + signature);
        Signer.signDetached(aci, signature, signingKey);
      }
      spec.commandLine().getOut().println(r.imageId());
    }
    return 0;
  }
}
