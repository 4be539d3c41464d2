package org.appctools.aci;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.appctools.AppcException;
import org.appctools.compress.Compression;
import org.appctools.schema.ImageManifest;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarMeta;

/**
 * Writes an ACI from entries handed in one by one, for producers that do not have a layout
 * directory (docker2aci streams layers straight into it). The canonical manifest is the first
 * entry and the {@code rootfs} directory (mode 0755) the second, both owned by 0:0 with the given
 * mtime;
 * the caller then writes {@code rootfs/...} entries through {@link #tar()}.
 *
 * <p>The ACI goes to a temporary file next to the target, is hashed (the Image ID is the SHA-512
 * of the uncompressed tar) and compressed on the way, and is renamed over the target by {@link
 * #commit()}. Closing an uncommitted writer deletes the temporary file, so a failure never
 * leaves a partial file under the target name.
 */
public final class AciWriter implements Closeable {
  private final String op;
  private final Path target;
  private final boolean overwrite;
  private final Path tmp;
  private final OutputStream file;
  private final AciStreams.HashingOutputStream hashing;
  private final ReproducibleTarWriter tar;
  private boolean committed;

  private AciWriter(String op, Path target, boolean overwrite, Path tmp, OutputStream file,
      AciStreams.HashingOutputStream hashing) {
    this.op = op;
    this.target = target;
    this.overwrite = overwrite;
    this.tmp = tmp;
    this.file = file;
    this.hashing = hashing;
    this.tar = new ReproducibleTarWriter(new BufferedOutputStream(hashing, 256 * 1024));
  }

  /**
   * Starts writing {@code target}: refuses an existing file unless {@code overwrite}, then writes
   * {@code manifest} and {@code rootfs}. {@code op} names the operation in error messages.
   */
  public static AciWriter create(String op, Path target, Compression compression,
      boolean overwrite, ImageManifest manifest, long mtime) throws AppcException {
    return create(op, target, compression, compression.defaultLevel(), overwrite, manifest, mtime);
  }

  /**
   * {@link #create(String, Path, Compression, boolean, ImageManifest, long)} at compression
   * {@code level} (checked by {@link Compression#checkLevel}; none ignores it).
   */
  public static AciWriter create(String op, Path target, Compression compression, int level,
      boolean overwrite, ImageManifest manifest, long mtime) throws AppcException {
    if (compression != Compression.NONE) {
      compression.checkLevel(level); // before any file exists
    }
    Path absolute = target.toAbsolutePath().normalize();
    if (!overwrite && Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException(op + ": target file exists: " + target + " (use --overwrite)");
    }
    Path tmp;
    try {
      tmp = AciStreams.outputTemp(absolute);
    } catch (IOException e) {
      throw new AppcException(op + ": cannot create a file next to " + target + ": "
          + e.getMessage(), e);
    }
    AciWriter w = null;
    try {
      OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      AciStreams.HashingOutputStream hashing =
          new AciStreams.HashingOutputStream(compression.compress(file, level));
      w = new AciWriter(op, absolute, overwrite, tmp, file, hashing);
      w.tar.file(EntryRules.MANIFEST, TarMeta.of(0644, 0, 0, mtime), manifest.toJson());
      w.tar.directory(EntryRules.ROOTFS, TarMeta.of(0755, 0, 0, mtime));
      return w;
    } catch (IOException e) {
      if (w != null) {
        w.close();
      } else {
        deleteQuietly(tmp);
      }
      throw new AppcException(op + ": writing " + target + ": " + e.getMessage(), e);
    }
  }

  /** The tar of the ACI; entry names start with {@code rootfs/}. */
  public ReproducibleTarWriter tar() {
    return tar;
  }

  /**
   * Ends the tar, flushes the compressed stream and renames the file over the target. Returns
   * the Image ID ({@code sha512-...}).
   */
  public String commit() throws AppcException {
    try {
      tar.finish();
      hashing.close();
      String id = AciStreams.imageId(hashing.finishedDigest());
      if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException(op + ": target file exists: " + target + " (use --overwrite)");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      committed = true;
      return id;
    } catch (IOException e) {
      throw new AppcException(op + ": writing " + target + ": " + e.getMessage(), e);
    } finally {
      if (!committed) {
        close();
      }
    }
  }

  /** Deletes the temporary file unless {@link #commit()} succeeded. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    try (OutputStream f = file) {
      hashing.close(); // ends the compressor's threads
    } catch (IOException ignored) {
      // the file is deleted next; what failed before matters
    }
    deleteQuietly(tmp);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
