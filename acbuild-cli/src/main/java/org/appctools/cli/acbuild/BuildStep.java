package org.appctools.cli.acbuild;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.WriteResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that changes the build in progress: it opens the session in the work path, applies
 * itself with the history line (none with --no-history) and prints the session's warnings. With
 * --modify ACI it is applied through {@link BuildSession#modify} to that ACI instead.
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
    WriteResult r = BuildSession.modify(aci, session -> apply(session, history), Cli.sourceDateEpoch());
    Cli.warn(spec, r.warnings());
  }
}
