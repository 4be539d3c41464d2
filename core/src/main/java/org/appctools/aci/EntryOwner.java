package org.appctools.aci;

import org.appctools.tar.TarEntryType;

/**
 * The owner an archive gives an extracted entry that an extraction as an unprivileged user could
 * not give it (see {@link ExtractResult#owners()}): whoever later gives the tree its owners (as
 * root, or as root of a user namespace) chowns {@code path} and, since chown clears setuid and
 * setgid, sets {@code mode} again.
 *
 * @param path the entry's name relative to the root filesystem ({@code rootfs/} stripped)
 * @param type the entry kind
 * @param uid the archive's numeric owner
 * @param gid the archive's numeric group
 * @param mode the archive's permission bits including setuid, setgid and sticky
 */
public record EntryOwner(String path, TarEntryType type, long uid, long gid, int mode) {
  /** Whether chown clears bits of {@code mode} that must be set again (setuid or setgid, not on a symlink). */
  public boolean needsChmod() {
    return type != TarEntryType.SYMLINK && (mode & 06000) != 0;
  }
}
