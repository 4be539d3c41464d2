package org.appctools.executor.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.appctools.AppcException;
import org.appctools.executor.HostTools;
import org.appctools.executor.SubordinateIds;
import org.appctools.fs.ProcessUser;

/**
 * What this machine offers the executor: the programs stage1 runs (found in /usr/bin, /bin,
 * /usr/sbin, /sbin), whether overlayfs works and which of its options to turn off, and whether
 * the executor runs as root.
 */
public final class Host {
  private static final List<String> BIN_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");
  private static final List<String> ROOT_DIRS = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");
  /**
   * Overlay features that would leave changes in forms a build step cannot read back (renamed
   * directories as redirects, metadata-only copies) or that tie the upper directory to its lowers.
   */
  private static final List<String> OVERLAY_OFF = List.of("redirect_dir", "index", "metacopy", "xino");

  private static volatile HostTools tools;

  private Host() {}

  /** The programs and root directories stage1 needs; fails naming what to install when one is missing. */
  public static HostTools tools() throws AppcException {
    HostTools t = tools;
    if (t == null) {
      List<String> missing = new ArrayList<>();
      Path sh = find("sh", missing, "a POSIX shell");
      Path mount = find("mount", missing, "util-linux");
      Path pivotRoot = find("pivot_root", missing, "util-linux");
      Path umount = find("umount", missing, "util-linux");
      Path cp = find("cp", missing, "coreutils");
      Path chown = find("chown", missing, "coreutils");
      Path chmod = find("chmod", missing, "coreutils");
      Path env = find("env", missing, "coreutils");
      Path setpriv = find("setpriv", missing, "util-linux");
      Path unshare = find("unshare", missing, "util-linux");
      Path tini = find("tini", missing, "tini");
      if (!missing.isEmpty()) {
        throw new AppcException("the executor needs " + String.join(", ", missing)
            + " on this machine (Debian: apt-get install util-linux coreutils tini)");
      }
      Path ip = find("ip", new ArrayList<>(), "iproute2");
      Path nsenter = find("nsenter", new ArrayList<>(), "util-linux");
      Path hostname = find("hostname", new ArrayList<>(), "hostname");
      List<Path> rootDirs = new ArrayList<>(List.of(Path.of("/usr")));
      Map<String, String> links = new LinkedHashMap<>();
      for (String d : ROOT_DIRS) {
        Path p = Path.of("/", d);
        try {
          if (Files.isSymbolicLink(p)) {
            links.put(d, Files.readSymbolicLink(p).toString());
          } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            rootDirs.add(p);
          }
        } catch (IOException e) {
          throw new AppcException("cannot read " + p + ": " + e.getMessage(), e);
        }
      }
      Path cache = Path.of("/etc/ld.so.cache");
      boolean rootless = !isRoot();
      t = new HostTools(sh, mount, pivotRoot, umount, cp, chown, chmod, env, setpriv, unshare, tini, ip, nsenter, hostname, rootDirs, links,
          Files.isRegularFile(cache) ? cache : null, rootless ? "userxattr" : overlayOptions(), rootless,
          rootless ? subordinateIds() : null);
      tools = t;
    }
    return t;
  }

  /**
   * The subordinate IDs {@code /etc/subuid} and {@code /etc/subgid} grant this process's user,
   * when the host has shadow's {@code newuidmap} and {@code newgidmap} (Debian: uidmap) to map
   * them; null otherwise (also when the files cannot be read).
   */
  private static SubordinateIds subordinateIds() {
    List<String> absent = new ArrayList<>();
    if (find("newuidmap", absent, "uidmap") == null || find("newgidmap", absent, "uidmap") == null) {
      return null;
    }
    OptionalLong uid = ProcessUser.uid();
    if (uid.isEmpty()) {
      return null;
    }
    try {
      return SubordinateIds.find(System.getProperty("user.name"), uid.getAsLong(),
          Files.readAllLines(Path.of("/etc/subuid"), StandardCharsets.UTF_8),
          Files.readAllLines(Path.of("/etc/subgid"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      // no such files (or unreadable): no subordinate IDs, the user alone is mapped
      return null;
    }
  }

  /** Whether overlayfs is available (after {@code modprobe overlay} when it is not loaded yet). */
  public static boolean overlaySupported() {
    if (overlayListed()) {
      return true;
    }
    try {
      Process p = new ProcessBuilder("modprobe", "overlay").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor();
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return overlayListed();
  }

  private static boolean overlayListed() {
    try {
      return Files.readAllLines(Path.of("/proc/filesystems"), StandardCharsets.US_ASCII).stream()
          .anyMatch(l -> l.equals("nodev\toverlay"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@code redirect_dir=off,index=off,...} for the features this kernel's overlayfs has. (In a
   * user namespace overlayfs takes {@code userxattr}, which turns those features off itself.)
   */
  private static String overlayOptions() {
    Path params = Path.of("/sys/module/overlay/parameters");
    List<String> off = new ArrayList<>();
    for (String f : OVERLAY_OFF) {
      String param = f.equals("xino") ? "xino_auto" : f;
      if (Files.exists(params.resolve(param))) {
        off.add(f + "=off");
      }
    }
    return String.join(",", off);
  }

  /**
   * Removes {@code dir} as root of a user namespace that maps this user to root and {@code ids}
   * as a rootless pod's does ({@code unshare --user --map-root-user --map-users --map-groups -- rm
   * -rf}): what a pod's root gave a subordinate owner (its upper directory) this user may not remove.
   */
  static void removeAsMappedRoot(Path dir, SubordinateIds ids) throws AppcException {
    List<String> missing = new ArrayList<>();
    Path unshare = find("unshare", missing, "util-linux");
    Path rm = find("rm", missing, "coreutils");
    if (!missing.isEmpty()) {
      throw new AppcException("cannot remove " + dir + ": it needs " + String.join(", ", missing));
    }
    List<String> cmd = new ArrayList<>(List.of(unshare.toString(), "--user", "--map-root-user"));
    cmd.addAll(ids.unshareOptions());
    // --one-file-system: never into something still mounted below the pod's directory
    cmd.addAll(List.of("--", rm.toString(), "-rf", "--one-file-system", "--", dir.toString()));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new AppcException("cannot remove " + dir + " in a user namespace mapping the subordinate IDs (" + String.join(" ", cmd)
            + " exited with " + rc + "): " + output);
      }
    } catch (IOException e) {
      throw new AppcException("cannot remove " + dir + ": cannot run " + unshare + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException("cannot remove " + dir + ": interrupted", e);
    }
  }

  /** Whether this process runs as root (UID 0). */
  public static boolean isRoot() {
    return ProcessUser.isRoot();
  }

  private static Path find(String name, List<String> missing, String from) {
    for (String d : BIN_DIRS) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    missing.add(name + " (" + from + ")");
    return null;
  }
}
