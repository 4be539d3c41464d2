package org.appctools.aci;

import java.nio.file.Path;
import org.appctools.AppcException;

/**
 * Extracts an ACI into a directory (giving a layout: {@code manifest} and {@code rootfs/}), or
 * with {@link #extractRootfs} a plain tarball whose root is a root filesystem into a rootfs
 * directory, safely:
 *
 * <ul>
 *   <li>the target must be missing or empty, and on any failure everything the extractor made
 *       is removed again (the target too, if the extractor created it);
 *   <li>names that are absolute, hold {@code ..} or lie outside {@code manifest}/{@code rootfs/}
 *       (for a rootfs tarball: outside the archive root, which is the rootfs) are refused, as are
 *       duplicates;
 *   <li>nothing is written through a symlink: symlinks from the archive are created as they are
 *       (even pointing outside), and a later entry below one is refused;
 *   <li>hard links must name an earlier non-directory entry inside the rootfs;
 *   <li>device nodes are refused unless {@link ExtractOptions#allowDevices()}; devices and FIFOs
 *       are made by one {@code sh} running {@code mknod}/{@code mkfifo} at the end;
 *   <li>owners are set (without following links) as root or with {@link
 *       ExtractOptions#keepOwnership()}; modes include setuid/setgid/sticky; mtimes are set,
 *       directories' last; xattrs are restored by one {@code setfattr} run.
 * </ul>
 *
 * The target must not be changed by anyone else while extraction runs.
 */
public final class AciExtractor {
  private AciExtractor() {}

  /** Extracts with {@link ExtractOptions#defaults()}. */
  public static ExtractResult extract(Path aci, Path target) throws AppcException {
    return extract(aci, target, ExtractOptions.defaults());
  }

  /** Extracts {@code aci} into {@code target}, which must be missing or an empty directory. */
  public static ExtractResult extract(Path aci, Path target, ExtractOptions opts)
      throws AppcException {
    return extract(aci, target, opts, false);
  }

  /** Extracts a rootfs tarball with {@link ExtractOptions#defaults()}. */
  public static ExtractResult extractRootfs(Path tarball, Path rootfs) throws AppcException {
    return extractRootfs(tarball, rootfs, ExtractOptions.defaults());
  }

  /**
   * Extracts {@code tarball}, a tar (gzip, bzip2, xz, zstd or uncompressed) whose root is a root
   * filesystem, into {@code rootfs}, which must be missing or an empty directory. The rules are
   * those of {@link #extract} with names relative to the rootfs: {@code ./} prefixes are
   * accepted, a top-level {@code manifest} is an ordinary file, hard links must name an earlier
   * non-directory entry of the tarball, and the archive root entry ({@code ./}) gives the
   * rootfs directory its mode, owner and mtime.
   */
  public static ExtractResult extractRootfs(Path tarball, Path rootfs, ExtractOptions opts)
      throws AppcException {
    return extract(tarball, rootfs, opts, true);
  }

  private static ExtractResult extract(Path aci, Path target, ExtractOptions opts,
      boolean rootfsTar) throws AppcException {
    try (LayeredExtractor x = LayeredExtractor.create("extract", target, opts, rootfsTar)) {
      x.add(aci, LayeredExtractor.ALL, false);
      return x.finish();
    }
  }
}
