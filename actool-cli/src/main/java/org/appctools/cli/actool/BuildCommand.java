package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.AciBuilder;
import org.appctools.aci.BuildOptions;
import org.appctools.aci.BuildResult;
import org.appctools.cli.common.CompressionLevels;
import org.appctools.cli.common.ProgressBar;
import org.appctools.compress.Compression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "build",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool build ./layout app-1.0-linux-amd64.aci",
      "  SOURCE_DATE_EPOCH=1700000000 actool build --overwrite --compression xz ./layout app.aci"},
    description = {
      "Build an ACI from an Image Layout",
      "",
      "DIRECTORY holds a manifest file and a rootfs/ directory. Entries are sorted and ownership and "
          + "modes are kept; with SOURCE_DATE_EPOCH set, mtimes are clamped to it, so the same tree always "
          + "gives the same bytes and Image ID. Prints the Image ID."
    })
final class BuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--overwrite", arity = "0..1", paramLabel = "true|false", description = "Overwrite target file if it already exists")
  boolean overwrite;

  @Option(names = "--no-compression", arity = "0..1", paramLabel = "true|false", description = "Do not compress the ACI (same as --compression=none)")
  boolean noCompression;

  @Option(names = "--owner-root", arity = "0..1", paramLabel = "true|false", description = "Force ownership to root:root on all files")
  boolean ownerRoot;

  @Option(names = "--compression", paramLabel = "ALGO",
      description = "gzip (default), bzip2, xz, zstd (not in the appc spec) or none")
  String compression;

  @Option(names = {"-q", "--quiet"},
    description = "No progress bar")
  boolean quiet;

  @Mixin CompressionLevels compressionLevel;

  @Parameters(index = "0", paramLabel = "DIRECTORY", description = "the image layout")
  Path layout;

  @Parameters(index = "1", paramLabel = "OUTPUT_ACI", description = "the ACI to write (must end in .aci)")
  Path output;

  @Override
  public Integer call() throws AppcException {
    Compression algo = Cli.compression(spec, noCompression, compression);
    Cli.requireAciExtension(output);
    int level = compressionLevel.checked(spec, algo);
    ProgressBar bar = ProgressBar.on(spec.commandLine().getErr(), "Building " + output.getFileName(), quiet);
    BuildResult result;
    try {
      result = AciBuilder.build(layout, output,
          new BuildOptions(algo, ownerRoot, overwrite, Cli.sourceDateEpoch()).withCompressionLevel(level), bar);
    } finally {
      bar.end();
    }
    Cli.warn(spec, result.warnings());
    spec.commandLine().getOut().println(result.imageId());
    return 0;
  }
}
