package org.appctools.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Deleting trees that this project made (scratch directories, generations, rendered trees):
 * symlinks are removed, never followed, and directories an image made unwritable (a rootfs's
 * {@code 0555} directories) are opened up first.
 */
public final class FileTrees {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private FileTrees() {}

  /** Deletes {@code root} and everything below it, if it exists. */
  public static void delete(Path root) throws IOException {
    deleteBelow(root, true);
  }

  /** Deletes what {@code root} holds and, if {@code includingRoot}, {@code root} itself. */
  public static void deleteBelow(Path root, boolean includingRoot) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      if (includingRoot) {
        Files.deleteIfExists(root);
      }
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        try {
          Files.setPosixFilePermissions(dir, OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
          // a file system without unix modes, or not ours to change: deleting below may still work
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        // a directory this user cannot even list (overlayfs' work/work is d---------): open it up
        if (exc instanceof AccessDeniedException && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
          // chmod by path: the unix:mode view opens the file first, which a mode-000 directory refuses
          Files.setPosixFilePermissions(file, OWNER_ONLY);
          delete(file);
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        if (includingRoot || !dir.equals(root)) {
          Files.deleteIfExists(dir);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** {@link #delete} for clean-up paths that must not fail: what cannot be removed is left (for a gc). */
  public static void deleteQuietly(Path root) {
    try {
      delete(root);
    } catch (IOException e) {
      // left behind; the caller's gc or the next run removes it
    }
  }
}
