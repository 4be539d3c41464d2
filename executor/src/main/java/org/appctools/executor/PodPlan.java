package org.appctools.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.appctools.aci.EntryOwner;
import org.appctools.schema.types.AcName;

/**
 * Everything stage1 does for a pod, decided in advance: the files to prepare on the host before
 * it starts, the mounts it makes in the pod's private mount namespace (first the stage1 root and
 * the apps' root filesystems and {@code /dev} tmpfs, then, after the {@code /dev} skeleton is
 * copied into each, the rest), the hostname, and how each app is launched.
 *
 * @param stage1Root the host directory that becomes the pod's root (pivot_root), under {@code dir}
 * @param devSkeleton the host directory whose entries are copied into each app's {@code /dev}
 * @param hostname null keeps the host's
 * @param loopbackUp bring {@code lo} up in the pod's private network namespace
 * @param privateNetwork the pod has a network namespace of its own
 * @param netns the existing network namespace it joins (a bind-mounted nsfs file), or null: a
 *     private network is then a new namespace
 */
public record PodPlan(UUID uuid, Path dir, Path stage1Root, boolean isolated, boolean privateNetwork, Path netns,
    List<Prep> prep, List<MountEntry> mounts, Path devSkeleton, List<Path> devTargets, List<MountEntry> devMounts,
    String hostname, boolean loopbackUp, List<AppPlan> apps, List<String> warnings, SubordinateIds subordinateIds) {
  public PodPlan {
    prep = List.copyOf(prep);
    mounts = List.copyOf(mounts);
    devTargets = List.copyOf(devTargets);
    devMounts = List.copyOf(devMounts);
    apps = List.copyOf(apps);
    warnings = List.copyOf(warnings);
  }

  /** One line of an fstab(5): what is mounted where, as which type, with which options. */
  public record MountEntry(String source, Path target, String type, String options) {}

  /** A file system object to make on the host before stage1 starts. */
  public sealed interface Prep {
    Path path();
  }

  /** A directory (made if missing) with this mode, owner and, unless null, modification time (epoch ms). */
  public record Dir(Path path, int mode, long uid, long gid, Long mtimeMillis) implements Prep {}

  /** A regular file with this content, mode and owner. */
  public record File(Path path, byte[] content, int mode, long uid, long gid) implements Prep {
    public File {
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof File f && f.path.equals(path) && java.util.Arrays.equals(f.content, content) && f.mode == mode
          && f.uid == uid && f.gid == gid;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(path, java.util.Arrays.hashCode(content), mode, uid, gid);
    }

    @Override
    public String toString() {
      return "File[path=" + path + ", " + content.length + " bytes, mode=" + Integer.toOctalString(mode) + ", uid=" + uid
          + ", gid=" + gid + "]";
    }
  }

  /** A symbolic link. */
  public record Symlink(Path path, String target) implements Prep {}

  /**
   * How stage1 launches the processes of one app (pre-start handler, main, post-stop handler):
   * the environment, identity, capability bounding set, no-new-privileges, OOM score adjustment,
   * the working directory and root (paths in the pod's root after pivot_root), the cgroup
   * directories it joins (same), whether it gets the executor's standard input, and the stubs
   * made in its writable layer only to be mount targets (a build step removes them afterwards), and the
   * owners stage1 gives entries of its root filesystem before any app starts (paths relative to it).
   */
  public record AppPlan(AcName name, List<String> exec, List<String> preStart, List<String> postStop,
      List<String> env, long uid, long gid, List<Long> groups, List<String> capabilities,
      boolean noNewPrivileges, Integer oomScoreAdj, String workingDirectory, String root, List<String> cgroups,
      boolean stdin, List<Path> stubs, List<EntryOwner> owners) {
    public AppPlan {
      exec = List.copyOf(exec);
      preStart = preStart == null ? List.of() : List.copyOf(preStart);
      postStop = postStop == null ? List.of() : List.copyOf(postStop);
      env = List.copyOf(env);
      groups = List.copyOf(groups);
      capabilities = List.copyOf(capabilities);
      cgroups = List.copyOf(cgroups);
      stubs = List.copyOf(stubs);
      owners = List.copyOf(owners);
    }
  }
}
