package org.appctools.cli.acbuild;

import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.WriteOptions;
import org.appctools.build.WriteResult;
import org.appctools.compress.Compression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "write", description = {"Write the ACI to a file",
    "Writes the ACI resulting from the current build context to a file and prints its Image ID.",
    "With SOURCE_DATE_EPOCH set, mtimes are clamped to it, so the same build always gives the same bytes."})
final class WriteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--overwrite", description = "overwrite the resulting ACI")
  boolean overwrite;

  @Option(names = "--compression", paramLabel = "ALGO", defaultValue = "gzip",
      description = "gzip (default), bzip2, xz, zstd (not in the appc spec) or none")
  String compression;

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
    Cli.debug(spec, "Writing ACI to " + output);
    try (BuildSession s = BuildSession.open(root.workPath())) {
      WriteResult r = s.write(Cli.hostPath(output), new WriteOptions(overwrite, algo, Cli.sourceDateEpoch()));
      Cli.warn(spec, s.warnings());
      Cli.warn(spec, r.warnings());
      spec.commandLine().getOut().println(r.imageId());
    }
    return 0;
  }
}
