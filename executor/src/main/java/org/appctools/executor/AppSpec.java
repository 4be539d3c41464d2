package org.appctools.executor;

import java.nio.file.Path;
import java.util.List;
import org.appctools.aci.EntryOwner;
import org.appctools.schema.Mount;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.App;

/**
 * One app of a pod, ready to plan: its name, its app section (the image's, or the pod manifest's
 * that replaces it, with the command line's changes), its root filesystem and its mounts of pod
 * volumes ({@code --mount}, the pod manifest's {@code mounts}), which win over mount points of
 * the same name.
 *
 * @param owners the owners its image gives entries of the root filesystem that the tree does not
 *     have, because the store rendered it as an unprivileged user ({@link
 *     org.appctools.store.ImageStore#treeOwners}); a rootless pod with subordinate IDs gives them
 *     inside its user namespace
 */
public record AppSpec(AcName name, App app, Rootfs rootfs, boolean readOnlyRootfs, List<Mount> mounts,
    List<EntryOwner> owners) {
  public AppSpec {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    owners = owners == null ? List.of() : List.copyOf(owners);
  }

  /** An app whose root filesystem has the owners its image gives (no {@code owners} to give). */
  public AppSpec(AcName name, App app, Rootfs rootfs, boolean readOnlyRootfs, List<Mount> mounts) {
    this(name, app, rootfs, readOnlyRootfs, mounts, List.of());
  }

  /** Where an app's root filesystem comes from. */
  public sealed interface Rootfs {
    /** The layers an app's changes are made against: the writable one first. */
    List<Path> layers();

    /** The writable layer: overlay's upper directory, or the directory itself. */
    default Path writable() {
      return layers().get(0);
    }
  }

  /**
   * An overlay: read-only {@code lowers} (the top one first: the store's rendered tree, or a
   * build's rootfs over its dependencies' trees), the app's changes in {@code upper}, and
   * overlay's {@code work} directory on the same filesystem as {@code upper}.
   */
  public record Overlay(List<Path> lowers, Path upper, Path work) implements Rootfs {
    public Overlay {
      lowers = List.copyOf(lowers);
      if (lowers.isEmpty()) {
        throw new IllegalArgumentException("an overlay needs a lower directory");
      }
    }

    @Override
    public List<Path> layers() {
      List<Path> all = new java.util.ArrayList<>();
      all.add(upper);
      all.addAll(lowers);
      return all;
    }
  }

  /** A directory that is the root filesystem itself (a private copy: overlayfs is unavailable). */
  public record Directory(Path dir) implements Rootfs {
    @Override
    public List<Path> layers() {
      return List.of(dir);
    }
  }
}
