package org.appctools.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The host programs stage1 runs (util-linux, coreutils, tini, a POSIX shell; iproute2's {@code ip}
 * when present) and what of the host its root filesystem shows: the directories bound read-only
 * so that those programs run after {@code pivot_root} ({@code /usr}, and {@code /bin}, {@code
 * /lib}... where they are directories), the symlinks standing for the others on merged-/usr
 * hosts ({@code bin -> usr/bin}), and the loader cache.
 *
 * @param ip null when the host has no {@code ip}: loopback then stays down
 * @param nsenter util-linux's {@code nsenter}, which starts a pod in a network namespace made
 *     beforehand (CNI networks); null when the host has none
 * @param hostname the {@code hostname} program, or null: the hostname is then written to
 *     {@code /proc/sys/kernel/hostname} (which only a root pod may)
 * @param ldSoCache null when the host has none
 * @param overlayOptions the options every overlay mount gets, e.g. {@code redirect_dir=off,metacopy=off}
 * @param rootless the executor is not root: pods get a user namespace that maps its user to root,
 *     overlayfs keeps its xattrs in {@code user.*}, there are no cgroups
 * @param subordinateIds when rootless: the user's subordinate IDs that its pods' namespaces map too,
 *     or null when {@code /etc/subuid} and {@code /etc/subgid} grant it none or the host has no
 *     {@code newuidmap} and {@code newgidmap} (the namespace then maps the user to root alone)
 */
public record HostTools(Path sh, Path mount, Path pivotRoot, Path umount, Path cp, Path chown, Path chmod, Path env, Path setpriv,
    Path unshare, Path tini, Path ip, Path nsenter, Path hostname, List<Path> rootDirs, Map<String, String> rootLinks, Path ldSoCache,
    String overlayOptions, boolean rootless, SubordinateIds subordinateIds) {
  public HostTools {
    rootDirs = List.copyOf(rootDirs);
    rootLinks = Map.copyOf(rootLinks);
  }
}
