package org.appctools.tar;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The metadata of an entry to write: permission bits (including setuid, setgid and sticky),
 * numeric owner, mtime in whole seconds since the epoch and extended attributes (raw bytes).
 */
public record TarMeta(int mode, long uid, long gid, long mtime, SortedMap<String, byte[]> xattrs) {
  public TarMeta {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative uid/gid: " + uid + ":" + gid);
    }
    mode &= 07777;
    xattrs = xattrs == null || xattrs.isEmpty()
        ? Collections.emptySortedMap()
        : Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
  }

  /** Metadata without extended attributes. */
  public static TarMeta of(int mode, long uid, long gid, long mtime) {
    return new TarMeta(mode, uid, gid, mtime, null);
  }

  /** This metadata with other extended attributes. */
  public TarMeta withXattrs(Map<String, byte[]> newXattrs) {
    return new TarMeta(mode, uid, gid, mtime, newXattrs == null ? null : new TreeMap<>(newXattrs));
  }
}
