package org.appctools.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.appctools.aci.EntryOwner;
import org.appctools.executor.PodPlan.AppPlan;
import org.appctools.executor.PodPlan.MountEntry;

/**
 * Writes a {@link PodPlan} down for stage1: two fstab(5) files that {@code mount --all --fstab}
 * reads (one process mounts everything of a phase), {@code plan.sh} with the values and the
 * per-app launch functions, and the fixed {@code stage1.sh}; and the command line that starts it
 * in new namespaces. Every value in {@code plan.sh} is single-quoted.
 */
public final class Stage1Script {
  private Stage1Script() {}

  /** Most paths one chown or chmod of {@code own_files} gets: far below ARG_MAX even for long paths. */
  static final int PATHS_PER_COMMAND = 500;

  /** The fixed part of stage1, shipped as a resource. */
  static final String STAGE1 = resource("stage1.sh");

  /** The files to write into the pod directory, by name. */
  public static Map<String, String> files(PodPlan plan, HostTools tools) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("fstab-1", fstab(plan.mounts()));
    files.put("fstab-2", fstab(plan.devMounts()));
    files.put("plan.sh", planScript(plan, tools));
    files.put("stage1.sh", STAGE1);
    return files;
  }

  /**
   * The command that runs the pod: unshare makes the namespaces (a user namespace mapping the
   * executor's user to root when it is not root; mount always, with private propagation; PID,
   * UTS and IPC when isolated; network when private, unless the pod joins a namespace made
   * beforehand, which nsenter enters first), tini is the pod's init
   * (reaps zombies, forwards signals to stage1's process group, exits with its status), and
   * unshare kills it, and so the pod, if unshare itself dies.
   */
  public static List<String> command(PodPlan plan, HostTools tools) {
    List<String> cmd = new ArrayList<>();
    if (plan.netns() != null) {
      cmd.addAll(List.of(tools.nsenter().toString(), "--net=" + plan.netns()));
    }
    cmd.add(tools.unshare().toString());
    if (tools.rootless()) {
      // first: the other namespaces then belong to it, and its root may mount in them
      cmd.addAll(List.of("--user", "--map-root-user"));
      if (plan.subordinateIds() != null) {
        cmd.addAll(plan.subordinateIds().unshareOptions());
      }
    }
    cmd.addAll(List.of("--mount", "--propagation", "private"));
    if (plan.isolated()) {
      cmd.addAll(List.of("--pid", "--uts", "--ipc"));
    }
    if (plan.privateNetwork() && plan.netns() == null) {
      cmd.add("--net");
    }
    cmd.addAll(List.of("--fork", "--kill-child=KILL", "--", tools.tini().toString(), "-s", "-g", "--",
        tools.sh().toString(), plan.dir().resolve("stage1.sh").toString(), plan.dir().toString()));
    return cmd;
  }

  static String fstab(List<MountEntry> entries) {
    StringBuilder sb = new StringBuilder();
    for (MountEntry e : entries) {
      sb.append(fstabField(e.source())).append(' ').append(fstabField(e.target().toString())).append(' ')
          .append(e.type()).append(' ').append(e.options()).append(" 0 0\n");
    }
    return sb.toString();
  }

  /** fstab(5)'s escapes for the characters that would split a field. */
  static String fstabField(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case ' ' -> sb.append("\\040");
        case '\t' -> sb.append("\\011");
        case '\n' -> sb.append("\\012");
        case '\\' -> sb.append("\\134");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String planScript(PodPlan plan, HostTools tools) {
    StringBuilder sb = new StringBuilder("# the plan of pod ").append(plan.uuid()).append(", written by the executor for stage1.sh\n");
    var(sb, "MOUNT", tools.mount().toString());
    var(sb, "CP", tools.cp().toString());
    var(sb, "CHOWN", tools.chown().toString());
    var(sb, "CHMOD", tools.chmod().toString());
    var(sb, "PIVOT_ROOT", tools.pivotRoot().toString());
    var(sb, "UMOUNT", tools.umount().toString());
    var(sb, "IP", tools.ip() == null ? "" : tools.ip().toString());
    var(sb, "HOSTNAME_TOOL", tools.hostname() == null ? "" : tools.hostname().toString());
    var(sb, "STAGE1", plan.stage1Root().toString());
    var(sb, "HOSTNAME_SET", plan.hostname() == null ? "" : plan.hostname());
    var(sb, "LOOPBACK", plan.loopbackUp() ? "1" : "");
    // the apps by the suffix of their functions (an AC name's dashes are underscores)
    var(sb, "APPS", plan.apps().stream().map(Stage1Script::function).collect(Collectors.joining(" ")));
    var(sb, "STDIN_APP", plan.apps().stream().filter(AppPlan::stdin).map(Stage1Script::function).findFirst().orElse(""));
    sb.append("copy_dev() {\n");
    for (var target : plan.devTargets()) {
      sb.append("  \"$CP\" -a ").append(q(plan.devSkeleton().toString() + "/.")).append(' ').append(q(target.toString()))
          .append(" || return 1\n");
    }
    sb.append("}\n");
    sb.append("own_files() {\n  :\n");
    for (AppPlan a : plan.apps()) {
      owners(sb, plan.stage1Root().resolve(a.root().substring(1)), a.owners());
    }
    sb.append("}\n");
    for (AppPlan a : plan.apps()) {
      app(sb, a, tools, !tools.rootless() || plan.subordinateIds() != null);
    }
    return sb.toString();
  }

  /**
   * The commands of {@code own_files} for one app's root filesystem (mounted at {@code root}): chown
   * of the entries by owner, then chmod of those whose setuid or setgid bit chown cleared, by mode;
   * at most {@link #PATHS_PER_COMMAND} paths a command.
   */
  private static void owners(StringBuilder sb, Path root, List<EntryOwner> owners) {
    Map<String, List<String>> byOwner = new LinkedHashMap<>();
    Map<String, List<String>> byMode = new LinkedHashMap<>();
    for (EntryOwner e : owners) {
      String path = root.resolve(e.path()).toString();
      byOwner.computeIfAbsent(e.uid() + ":" + e.gid(), k -> new ArrayList<>()).add(path);
      if (e.needsChmod()) {
        byMode.computeIfAbsent(Integer.toOctalString(e.mode()), k -> new ArrayList<>()).add(path);
      }
    }
    byOwner.forEach((owner, paths) -> batches(sb, "\"$CHOWN\" -h " + owner + " --", paths));
    byMode.forEach((mode, paths) -> batches(sb, "\"$CHMOD\" " + mode + " --", paths));
  }

  private static void batches(StringBuilder sb, String command, List<String> paths) {
    for (int i = 0; i < paths.size(); i += PATHS_PER_COMMAND) {
      sb.append("  ").append(command);
      for (String p : paths.subList(i, Math.min(paths.size(), i + PATHS_PER_COMMAND))) {
        sb.append(' ').append(q(p));
      }
      sb.append(" || return 1\n");
    }
  }

  private static void app(StringBuilder sb, AppPlan a, HostTools tools, boolean setsGroups) {
    String n = a.name().value();
    String fn = function(a);
    sb.append("launch_").append(fn).append("() {\n  (\n");
    if (!a.cgroups().isEmpty()) {
      sb.append("    for c in");
      for (String c : a.cgroups()) {
        sb.append(' ').append(q(c));
      }
      sb.append("; do echo 0 >\"$c/cgroup.procs\" || exit 254; done\n");
    }
    if (a.oomScoreAdj() != null) {
      sb.append("    echo ").append(a.oomScoreAdj()).append(" >/proc/self/oom_score_adj || exit 254\n");
    }
    sb.append("    exec ").append(q(tools.env().toString())).append(" -i");
    for (String e : a.env()) {
      sb.append(' ').append(q(e));
    }
    List<String> extra = chainCapabilities(a);
    if (!extra.isEmpty()) {
      // unshare needs these to chroot and setuid; raised in the inheritable set first, they
      // survive the bounding set below (see Capabilities and the README's isolator table)
      sb.append(' ').append(q(tools.setpriv().toString())).append(" --inh-caps ")
          .append(q(Capabilities.setprivList(extra).substring("-all,".length()))).append(" --");
    }
    sb.append(' ').append(q(tools.setpriv().toString()));
    if (setsGroups) {
      // in a user namespace whose maps an unprivileged user wrote itself setgroups(2) is denied:
      // the app keeps root's group (the planner refuses anything else there); newgidmap, which
      // maps subordinate groups, leaves it allowed
      sb.append(" --regid ").append(a.gid());
      if (a.groups().isEmpty()) {
        sb.append(" --clear-groups");
      } else {
        sb.append(" --groups ").append(a.groups().stream().map(String::valueOf).collect(Collectors.joining(",")));
      }
    }
    if (a.noNewPrivileges()) {
      sb.append(" --nnp");
    }
    sb.append(" --bounding-set ").append(q(Capabilities.setprivList(a.capabilities()))).append(" -- ")
        .append(q(tools.unshare().toString())).append(" --root=").append(q(a.root())).append(" --wd=")
        .append(q(a.workingDirectory()));
    if (a.uid() != 0) {
      sb.append(" --setuid ").append(a.uid());
    }
    sb.append(" -- \"$@\" 2>&5 5>&-\n  )\n}\n");

    sb.append("supervise_").append(fn).append("() {\n  trap : TERM INT HUP\n  rc=0\n");
    if (!a.preStart().isEmpty()) {
      sb.append("  launch_").append(fn).append(args(a.preStart())).append(" || rc=$?\n");
    }
    sb.append("  if [ $rc -eq 0 ]; then launch_").append(fn).append(args(a.exec())).append("; rc=$?; fi\n");
    sb.append("  echo $rc >").append(q("/status/" + n)).append('\n');
    if (!a.postStop().isEmpty()) {
      sb.append("  launch_").append(fn).append(args(a.postStop())).append(" || :\n");
    }
    sb.append("}\n");
  }

  private static String function(AppPlan a) {
    return a.name().value().replace('-', '_');
  }

  /** What unshare needs beyond the app's bounding set: CAP_SYS_CHROOT, and CAP_SETUID to leave root. */
  static List<String> chainCapabilities(AppPlan a) {
    List<String> extra = new ArrayList<>();
    if (!a.capabilities().contains("CAP_SETUID") && a.uid() != 0) {
      extra.add("CAP_SETUID");
    }
    if (!a.capabilities().contains("CAP_SYS_CHROOT")) {
      extra.add("CAP_SYS_CHROOT");
    }
    extra.sort((x, y) -> Integer.compare(Capabilities.ALL.indexOf(x), Capabilities.ALL.indexOf(y)));
    return extra;
  }

  private static String args(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    for (String a : argv) {
      sb.append(' ').append(q(a));
    }
    return sb.toString();
  }

  private static void var(StringBuilder sb, String name, String value) {
    sb.append(name).append('=').append(q(value)).append('\n');
  }

  /** Single-quoted for sh: every character literal, a quote as {@code '\''}. */
  static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String resource(String name) {
    try (InputStream in = Stage1Script.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the executor's jar lacks " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
