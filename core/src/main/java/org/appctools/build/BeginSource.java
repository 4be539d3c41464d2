package org.appctools.build;

import java.nio.file.Path;
import java.util.Objects;

/** What {@link BuildSession#begin} starts from. */
public sealed interface BeginSource {
  /** An empty rootfs and a manifest named {@code acbuild-unnamed} with the host's os and arch. */
  record Empty() implements BeginSource {}

  /** A copy of a local directory tree as the rootfs (never the work path's own context). */
  record Directory(Path dir) implements BeginSource {
    public Directory {
      Objects.requireNonNull(dir, "dir");
    }
  }

  /**
   * An ACI (its manifest is kept), or a plain or compressed tar that lacks {@code manifest} and
   * {@code rootfs/} and becomes the rootfs.
   */
  record Archive(Path file) implements BeginSource {
    public Archive {
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * A generation saved by {@link BuildSession#saveGeneration} (the build cache's states): its
   * manifest, its rootfs hard-linked (never written: the session changes only new inodes), its
   * recorded owners.
   */
  record Generation(Path dir) implements BeginSource {
    public Generation {
      Objects.requireNonNull(dir, "dir");
    }
  }
}
