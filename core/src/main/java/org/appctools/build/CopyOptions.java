package org.appctools.build;

/**
 * How {@code copy} and {@code copy-to-dir} set the metadata of what they copy. Like buildah's
 * {@code --chown}/{@code --chmod}, a value applies to every copied entry (the top one and all
 * below it); {@code mode} is not applied to symlinks, whose mode means nothing.
 *
 * @param uid the owner of every copied entry, or null to keep the source's
 * @param gid the group of every copied entry, or null to keep the source's
 * @param mode the permission bits (07777) of every copied entry, or null to keep the source's
 */
public record CopyOptions(Long uid, Long gid, Integer mode) {
  public CopyOptions {
    if (uid != null && (uid < 0 || uid > 0xFFFFFFFFL)) {
      throw new IllegalArgumentException("copy: uid " + uid + " must be in 0..4294967295");
    }
    if (gid != null && (gid < 0 || gid > 0xFFFFFFFFL)) {
      throw new IllegalArgumentException("copy: gid " + gid + " must be in 0..4294967295");
    }
    if (mode != null && (mode < 0 || mode > 07777)) {
      throw new IllegalArgumentException("copy: mode " + Integer.toOctalString(mode)
          + " must be in 0..7777 (octal)");
    }
  }

  /** Owners and modes as in the source. */
  public static CopyOptions keep() {
    return new CopyOptions(null, null, null);
  }
}
