package org.appctools.cli.acbuild;

import org.appctools.build.CopyOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** --chown and --chmod of copy and copy-to-dir (containers/build#95). */
final class CopyOwnerOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--chown", paramLabel = "UID:GID", description = "Own the copied files by UID:GID (numeric) instead of their owners on the host")
  String chown;

  @Option(names = "--chmod", paramLabel = "MODE", description = "Give the copied files the octal permission MODE (e.g. 0755) instead of their own")
  String chmod;

  CopyOptions options() {
    if (chown == null && chmod == null) {
      return CopyOptions.keep();
    }
    Long uid = null;
    Long gid = null;
    if (chown != null) {
      int colon = chown.indexOf(':');
      if (colon < 0) {
        throw new ParameterException(spec.commandLine(), "invalid argument \"" + chown + "\" for --chown: expected UID:GID");
      }
      uid = id(chown.substring(0, colon), "UID");
      gid = id(chown.substring(colon + 1), "GID");
    }
    Integer mode = null;
    if (chmod != null) {
      try {
        mode = Integer.parseInt(chmod, 8);
      } catch (NumberFormatException e) {
        mode = -1;
      }
      if (mode < 0 || mode > 07777) {
        throw new ParameterException(spec.commandLine(), "invalid argument \"" + chmod + "\" for --chmod: expected an octal mode 0..7777");
      }
    }
    return new CopyOptions(uid, gid, mode);
  }

  private long id(String s, String what) {
    try {
      long v = Long.parseLong(s);
      if (v >= 0 && v <= 0xFFFFFFFFL) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(spec.commandLine(), "invalid argument \"" + chown + "\" for --chown: " + what + " must be a number in 0..4294967295");
  }
}
