package org.appctools.cli.acbuild;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BeginSource;
import org.appctools.build.BuildSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "begin", description = {"Start a new build",
    "Begins a new build. By default operations will be performed on top of an empty image, but a start image can be",
    "provided: a path beginning with ., / or ~ is a local directory (the rootfs), an ACI, or a tar of a rootfs.",
    "Example: acbuild begin ./rootfs"})
final class BeginCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--insecure", description = "Allows fetching dependencies over an unencrypted connection")
  boolean insecure;

  @Parameters(arity = "0..1", paramLabel = "START") String start;

  @Override
  public Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    root.refuseModify(spec);
    BeginSource source = source();
    Cli.debug(spec, start == null ? "Beginning build with an empty ACI" : "Beginning build with " + start);
    try (BuildSession s = BuildSession.begin(root.workPath(), source)) {
      Cli.warn(spec, s.warnings());
    }
    return 0;
  }

  private BeginSource source() throws AppcException {
    if (start == null) {
      return new BeginSource.Empty();
    }
    if (start.startsWith(".") || start.startsWith("/") || start.startsWith("~")) {
      Path p = Cli.hostPath(start);
      if (!Files.exists(p)) {
        throw new AppcException("start image " + start + " does not exist");
      }
      return Files.isDirectory(p) ? new BeginSource.Directory(p) : new BeginSource.Archive(p);
    }
    if (start.startsWith("docker://")) {
      throw new AppcException("can't begin from " + start + ": Docker images need docker2aci, which is not built yet"
          + " (convert the image to an ACI with the Go docker2aci and begin from the file)");
    }
    throw new AppcException("can't begin from " + start + ": fetching an image by name needs appc discovery and the"
        + " image store, which are not built yet (give a local path beginning with ., / or ~)");
  }
}
