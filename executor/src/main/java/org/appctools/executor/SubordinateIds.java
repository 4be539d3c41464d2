package org.appctools.executor;

import java.util.List;

/**
 * The subordinate user and group IDs an unprivileged user may map into its user namespaces, as
 * {@code /etc/subuid} and {@code /etc/subgid} grant them (shadow's {@code newuidmap} and {@code
 * newgidmap} write the maps). A rootless pod's namespace maps the user to root, as without them,
 * and IDs 1 to {@code uidCount} (groups 1 to {@code gidCount}) to the ranges that start at
 * {@code uidStart} and {@code gidStart}: the pod's apps may then run as those users and groups.
 */
public record SubordinateIds(long uidStart, long uidCount, long gidStart, long gidCount) {
  public SubordinateIds {
    if (uidStart < 1 || uidCount < 1 || gidStart < 1 || gidCount < 1) {
      throw new IllegalArgumentException("subordinate ID ranges must start above 0 and hold at least one ID");
    }
  }

  /** Whether user ID {@code uid} exists inside a pod with this mapping (0 is the user itself). */
  public boolean mapsUser(long uid) {
    return uid >= 0 && uid <= uidCount;
  }

  /** Whether group ID {@code gid} exists inside a pod with this mapping (0 is the user's group). */
  public boolean mapsGroup(long gid) {
    return gid >= 0 && gid <= gidCount;
  }

  /** unshare's options that add these ranges to its {@code --map-root-user}. */
  public List<String> unshareOptions() {
    return List.of("--map-users=" + uidStart + ",1," + uidCount, "--map-groups=" + gidStart + ",1," + gidCount);
  }

  /**
   * The first range of {@code subuid} and of {@code subgid} (lines of those files) granted to
   * the user named {@code user} or with ID {@code uid}, as newuidmap reads them; null when
   * either file grants none. Comments, blank and malformed lines are skipped.
   */
  public static SubordinateIds find(String user, long uid, List<String> subuid, List<String> subgid) {
    long[] u = firstRange(user, uid, subuid);
    long[] g = firstRange(user, uid, subgid);
    return u == null || g == null ? null : new SubordinateIds(u[0], u[1], g[0], g[1]);
  }

  private static long[] firstRange(String user, long uid, List<String> lines) {
    for (String line : lines) {
      String[] f = line.trim().split(":");
      if (f.length != 3 || line.trim().startsWith("#") || !(f[0].equals(user) || f[0].equals(Long.toString(uid)))) {
        continue;
      }
      try {
        long start = Long.parseLong(f[1]);
        long count = Long.parseLong(f[2]);
        if (start >= 1 && count >= 1) {
          return new long[] {start, count};
        }
      } catch (NumberFormatException e) {
        // a malformed line grants nothing, as for newuidmap
      }
    }
    return null;
  }
}
