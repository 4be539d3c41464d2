package org.appctools.cli.acbuild;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.WriteResult;
import org.appctools.oci.OciBuild;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that changes the build in progress: it opens the session in the work path, applies
 * itself with the history line (none with --no-history) and prints the session's warnings. With
 * --modify ACI it is applied through {@link BuildSession#modify} to that ACI instead, with
 * --modify-oci IMAGE through {@link OciBuild#modify} to that OCI image. A build begun with
 * --build-mode oci gets {@link #applyOci}.
 */
abstract class BuildStep implements Callable<Integer> {
  @Spec CommandSpec spec;

  abstract void apply(BuildSession session, String history) throws AppcException;

  /**
   * Applies the command to a build in OCI mode ({@code begin --build-mode oci}); by default the
   * same as {@link #apply} (copies and runs change the top layer either way).
   */
  void applyOci(BuildSession session, String history) throws AppcException {
    apply(session, history);
  }

  @Override
  public final Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    String history = root.noHistory ? null : Cli.history(spec);
    root.checkModifyFlags();
    if (root.modify != null) {
      modify(root.modify, history);
      return 0;
    }
    if (root.modifyOci != null) {
      OciBuild.modify(Cli.hostPath(root.modifyOci.toString()), s -> applyOci(s, history),
          Cli.sourceDateEpoch());
      return 0;
    }
    try (BuildSession s = BuildSession.open(root.workPath())) {
      if (s.mode() == BuildSession.Mode.OCI) {
        applyOci(s, history);
      } else {
        apply(s, history);
      }
      Cli.warn(spec, s.warnings());
    }
    return 0;
  }

  private void modify(Path aci, String history) throws AppcException {
    WriteResult r = BuildSession.modify(aci, session -> apply(session, history), Cli.sourceDateEpoch());
    Cli.warn(spec, r.warnings());
  }
}
