package org.appctools.aci;

import java.util.HashMap;
import java.util.Map;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarNames;

/**
 * The structural rules for the entries of an ACI, in one place so the validator (which lists
 * every violation) and the extractor (which stops at the first) say the same thing.
 *
 * <p>For a plain rootfs tarball ({@link #forRootfsTar()}) the same rules hold with the archive
 * root as the rootfs: every safe name is inside it, {@code manifest} and {@code rootfs} are
 * ordinary names, and hard links may name any earlier non-directory entry.
 */
final class EntryRules {
  static final String MANIFEST = "manifest";
  static final String ROOTFS = "rootfs";
  private static final String ROOTFS_PREFIX = "rootfs/";

  private final Map<String, TarEntryType> seen = new HashMap<>();
  /** True for a plain rootfs tarball: entry names are relative to the rootfs. */
  private final boolean rootfsTar;
  private boolean manifest;
  private boolean rootfs;

  /** Rules for an ACI. */
  EntryRules() {
    this(false);
  }

  private EntryRules(boolean rootfsTar) {
    this.rootfsTar = rootfsTar;
  }

  /** Rules for a plain tarball whose root is the rootfs. */
  static EntryRules forRootfsTar() {
    return new EntryRules(true);
  }

  /** What is wrong with the entry, or null when it is fine. Records the entry as seen. */
  String check(TarItem item) {
    if (item.nameProblem() != null) {
      return item.nameProblem().message();
    }
    String name = item.name();
    if (name.equals(".") && item.type() == TarEntryType.DIRECTORY) {
      return null; // the archive root ("./"), as written by "tar -C layout ."
    }
    if (seen.containsKey(name)) {
      return "duplicate entry";
    }
    if (rootfsTar) {
      if (name.equals(".")) {
        return "the archive root must be a directory";
      }
      return checkInRootfs(item, name);
    }
    if (name.equals(MANIFEST)) {
      seen.put(name, item.type());
      if (item.type() != TarEntryType.FILE) {
        return "manifest must be a regular file";
      }
      manifest = true;
      return null;
    }
    if (name.equals(ROOTFS)) {
      seen.put(name, item.type());
      if (item.type() != TarEntryType.DIRECTORY) {
        return "rootfs must be a directory";
      }
      rootfs = true;
      return null;
    }
    if (!name.startsWith(ROOTFS_PREFIX)) {
      return "outside manifest and rootfs/ (an ACI holds only those)";
    }
    return checkInRootfs(item, name);
  }

  /** The rules for an entry inside the rootfs. */
  private String checkInRootfs(TarItem item, String name) {
    for (String p = TarNames.parent(name); p != null; p = TarNames.parent(p)) {
      if (seen.get(p) == TarEntryType.SYMLINK) {
        return "refusing to write through symlink \"" + p + "\"";
      }
    }
    if (item.type() == TarEntryType.OTHER) {
      return "unsupported entry type";
    }
    if (item.type() == TarEntryType.HARDLINK) {
      String problem = hardlinkProblem(item.linkName());
      if (problem != null) {
        return problem;
      }
    }
    seen.put(name, item.type());
    return null;
  }

  /** The clean target of a hard link that passed {@link #check}. */
  static String hardlinkTarget(TarItem item) {
    return TarNames.clean(item.linkName());
  }

  /** The type of an earlier entry, or null. */
  TarEntryType typeOf(String cleanName) {
    return seen.get(cleanName);
  }

  boolean sawManifest() {
    return manifest;
  }

  boolean sawRootfs() {
    return rootfs;
  }

  private String hardlinkProblem(String link) {
    if (TarNames.problem(link) != null
        || (!rootfsTar && !TarNames.clean(link).startsWith(ROOTFS_PREFIX))) {
      return "hard link target \"" + link + "\" is outside the rootfs";
    }
    TarEntryType target = seen.get(TarNames.clean(link));
    if (target == null || target == TarEntryType.DIRECTORY) {
      return "hard link target \"" + link + "\" is not an earlier non-directory entry";
    }
    return null;
  }

  static String entryMessage(TarItem item, String problem) {
    return "entry \"" + item.rawName() + "\": " + problem;
  }
}
