package org.appctools.cli.acbuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BeginSource;
import org.appctools.build.BuildSession;
import org.appctools.build.WriteOptions;
import org.appctools.build.WriteResult;
import org.appctools.compress.Compression;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that changes the build in progress: it opens the session in the work path, applies
 * itself with the history line (none with --no-history) and prints the session's warnings. With
 * --modify ACI it does the same on a temporary build begun from the ACI, which is then written
 * back in place of the ACI (renamed over it, so readers see the old or the new file).
 */
abstract class BuildStep implements Callable<Integer> {
  @Spec CommandSpec spec;

  abstract void apply(BuildSession session, String history) throws AppcException;

  @Override
  public final Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    String history = root.noHistory ? null : Cli.history(spec);
    if (root.modify != null) {
      modify(root.modify, history);
      return 0;
    }
    try (BuildSession s = BuildSession.open(root.workPath())) {
      apply(s, history);
      Cli.warn(spec, s.warnings());
    }
    return 0;
  }

  private void modify(Path aci, String history) throws AppcException {
    if (!Files.exists(aci)) {
      throw new AppcException("ACI doesn't appear to exist: " + aci + ".");
    }
    if (Files.isDirectory(aci)) {
      throw new AppcException("ACI to modify is a directory: " + aci + ".");
    }
    Path target = aci.toAbsolutePath();
    Path tmpAci = target.resolveSibling("." + target.getFileName() + ".tmp");
    Path context;
    try {
      context = Files.createTempDirectory("acbuild-modify");
    } catch (IOException e) {
      throw new AppcException("can't create a temporary build context: " + e.getMessage(), e);
    }
    try {
      BuildSession s = BuildSession.begin(context, new BeginSource.Archive(target));
      try {
        apply(s, history);
        WriteResult r = s.write(tmpAci, new WriteOptions(true, Compression.GZIP, Cli.sourceDateEpoch()));
        Cli.warn(spec, s.warnings());
        Cli.warn(spec, r.warnings());
        Files.move(tmpAci, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new AppcException("can't replace " + aci + ": " + e.getMessage(), e);
      } finally {
        try {
          s.end();
        } finally {
          s.close();
        }
      }
    } finally {
      try {
        Files.deleteIfExists(tmpAci);
        Cli.deleteTree(context);
      } catch (IOException e) {
        spec.commandLine().getErr().println(Acbuild.commandPath(spec) + ": warning: can't remove " + context + ": " + e.getMessage());
      }
    }
  }
}
