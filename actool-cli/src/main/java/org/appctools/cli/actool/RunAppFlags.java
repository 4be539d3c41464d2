package org.appctools.cli.actool;

import java.util.ArrayList;
import java.util.List;
import org.appctools.executor.AppOverrides;
import org.appctools.schema.Mount;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.Isolators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options that follow one image of {@code actool run IMAGE [OPTIONS] [-- ARGS] [--- IMAGE ...]},
 * as rkt's per-app flags. Parsed by a command line of their own for each image; what follows the
 * options (the next image and its options) is left in {@link #rest}.
 */
@Command(name = "app")
final class RunAppFlags {
  @Option(names = "--name", paramLabel = "NAME", description = "The app's name in the pod (default: from the image name)")
  String name;

  @Option(names = "--exec", paramLabel = "PATH", description = "The command to run instead of the image's (its arguments too)")
  String exec;

  @Option(names = "--user", paramLabel = "USER", description = "The user to run as: a name of the image's /etc/passwd, a UID, or a file whose owner")
  String user;

  @Option(names = "--group", paramLabel = "GROUP", description = "The group to run as: a name of the image's /etc/group, a GID, or a file whose group")
  String group;

  @Option(names = "--supplementary-gids", paramLabel = "GID,...", split = ",", description = "Supplementary group IDs")
  List<Long> supplementaryGids;

  @Option(names = "--working-dir", paramLabel = "DIR", description = "The working directory")
  String workingDir;

  @Option(names = "--environment", paramLabel = "NAME=VALUE", description = "Set an environment variable of this app (repeatable)")
  List<String> environment = new ArrayList<>();

  @Option(names = "--mount", paramLabel = "volume=NAME,target=PATH", description = "Mount the pod volume NAME at PATH (repeatable)")
  List<String> mounts = new ArrayList<>();

  @Option(names = "--memory", paramLabel = "QUANTITY", description = "Memory limit: resource/memory (e.g. 64Mi, 500M)")
  String memory;

  @Option(names = "--cpu", paramLabel = "QUANTITY", description = "CPU limit in cores: resource/cpu (e.g. 500m, 2)")
  String cpu;

  @Option(names = "--cpu-shares", paramLabel = "N", description = "CPU weight: os/linux/cpu-shares (2..262144)")
  Integer cpuShares;

  @Option(names = "--caps-retain", paramLabel = "CAP,...", split = ",", description = "Capability bounding set: exactly these")
  List<String> capsRetain;

  @Option(names = "--caps-remove", paramLabel = "CAP,...", split = ",", description = "Capabilities removed from the default set")
  List<String> capsRemove;

  @Option(names = {"--oom-score-adj", "--oom-score-adjust"}, paramLabel = "N", description = "OOM score adjustment: os/linux/oom-score-adj (-1000..1000)")
  Integer oomScoreAdj;

  @Option(names = "--no-new-privileges", arity = "0..1", paramLabel = "true|false",
      description = "Set no_new_privs: setuid programs do not gain privileges (os/linux/no-new-privileges)")
  Boolean noNewPrivileges;

  @Option(names = "--seccomp", paramLabel = "mode=retain|remove[,errno=E],SYSCALL...",
      description = "A seccomp isolator (recorded in the pod manifest; not enforced: see the README)")
  String seccomp;

  @Option(names = "--readonly-rootfs", arity = "0..1", paramLabel = "true|false", description = "Mount the app's root filesystem read-only")
  boolean readonlyRootfs;

  @Parameters(arity = "0..*") List<String> rest = new ArrayList<>();

  /** The overrides these options give, with {@code args} (what followed {@code --}). */
  AppOverrides overrides(List<String> args) {
    List<EnvironmentVariable> env = new ArrayList<>();
    for (String e : environment) {
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--environment: \"" + e + "\" is not NAME=VALUE");
      }
      env.add(new EnvironmentVariable(e.substring(0, eq), e.substring(eq + 1)));
    }
    List<Mount> ms = new ArrayList<>();
    for (String m : mounts) {
      ms.add(mount(m));
    }
    List<Isolator> isolators = new ArrayList<>();
    if (memory != null) {
      isolators.add(Isolators.resourceMemory(memory, memory));
    }
    if (cpu != null) {
      isolators.add(Isolators.resourceCpu(cpu, cpu));
    }
    if (cpuShares != null) {
      isolators.add(Isolators.cpuShares(cpuShares));
    }
    if (capsRetain != null) {
      isolators.add(Isolators.capabilitiesRetainSet(capsRetain));
    }
    if (capsRemove != null) {
      isolators.add(Isolators.capabilitiesRemoveSet(capsRemove));
    }
    if (oomScoreAdj != null) {
      isolators.add(Isolators.oomScoreAdj(oomScoreAdj));
    }
    if (noNewPrivileges != null) {
      isolators.add(Isolators.noNewPrivileges(noNewPrivileges));
    }
    if (seccomp != null) {
      isolators.add(seccomp(seccomp));
    }
    return new AppOverrides(name, exec, args, user, group, supplementaryGids, workingDir, env, ms, isolators,
        readonlyRootfs);
  }

  /** rkt's {@code --mount volume=NAME,target=PATH}. */
  static Mount mount(String s) {
    String volume = null;
    String target = null;
    for (String part : s.split(",")) {
      int eq = part.indexOf('=');
      String k = eq < 0 ? part : part.substring(0, eq);
      String v = eq < 0 ? "" : part.substring(eq + 1);
      switch (k) {
        case "volume" -> volume = v;
        case "target" -> target = v;
        default -> throw new IllegalArgumentException("--mount: unknown field \"" + k + "\" in \"" + s
            + "\" (write volume=NAME,target=PATH)");
      }
    }
    if (volume == null || target == null || !target.startsWith("/")) {
      throw new IllegalArgumentException("--mount: \"" + s + "\" needs volume=NAME and an absolute target=PATH");
    }
    try {
      return new Mount(AcName.parse(volume), target, null);
    } catch (InvalidValueException e) {
      throw new IllegalArgumentException("--mount: " + e.getMessage());
    }
  }

  /** rkt's {@code --seccomp mode=retain,errno=EPERM,chmod,chown}. */
  static Isolator seccomp(String s) {
    String mode = null;
    String errno = null;
    List<String> syscalls = new ArrayList<>();
    for (String part : s.split(",")) {
      if (part.startsWith("mode=")) {
        mode = part.substring(5);
      } else if (part.startsWith("errno=")) {
        errno = part.substring(6);
      } else if (!part.isEmpty()) {
        syscalls.add(part);
      }
    }
    if ("retain".equals(mode)) {
      return Isolators.seccompRetainSet(syscalls, errno);
    }
    if ("remove".equals(mode)) {
      return Isolators.seccompRemoveSet(syscalls, errno);
    }
    throw new IllegalArgumentException("--seccomp: \"" + s + "\" needs mode=retain or mode=remove");
  }
}
