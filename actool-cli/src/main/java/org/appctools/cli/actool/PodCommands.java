package org.appctools.cli.actool;

import java.io.PrintWriter;
import org.appctools.AppcException;
import org.appctools.cli.common.ErrorLine;
import picocli.CommandLine.Model.CommandSpec;

/** What the pod commands (run, status, list, stop, gc) share: rkt's exit status 254 for their own failures. */
final class PodCommands {
  /** rkt's exit status when the executor itself fails (usage errors stay 2). */
  static final int EXIT_EXECUTOR = 254;

  private PodCommands() {}

  /** Prints "COMMAND: message" (and the stack trace with --debug) and returns 254. */
  static int failed(CommandSpec spec, AppcException e) {
    PrintWriter err = spec.commandLine().getErr();
    String own = spec.name() + ": ";
    String m = e.getMessage();
    ErrorLine.print(err, own + (m.startsWith(own) ? m.substring(own.length()) : m));
    if (((Actool) spec.root().userObject()).debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return EXIT_EXECUTOR;
  }
}
