package org.appctools.aci;

import java.io.BufferedOutputStream;
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
import org.appctools.schema.SchemaException;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarMeta;

/** Re-streams an ACI with another manifest, for {@code actool patch-manifest}. */
public final class AciRewriter {
  private AciRewriter() {}

  /** {@link #replaceManifest(Path, Path, byte[], Compression, boolean, ReadLimits)}, defaults. */
  public static String replaceManifest(Path in, Path out, byte[] manifestJson,
      Compression compression, boolean overwrite) throws AppcException {
    return replaceManifest(in, out, manifestJson, compression, overwrite, ReadLimits.defaults());
  }

  /**
   * Writes {@code out}: the canonical form of {@code manifestJson} as the first entry (mode
   * 0644, owner 0:0, the old manifest entry's mtime), then every other entry of {@code in}
   * unchanged in order, through {@link ReproducibleTarWriter}. {@code in} may equal {@code out}:
   * the new file is written next to it and renamed over it only when complete. Returns the new
   * Image ID.
   */
  public static String replaceManifest(Path in, Path out, byte[] manifestJson,
      Compression compression, boolean overwrite, ReadLimits limits) throws AppcException {
    return replaceManifest(in, out, manifestJson, compression, compression.defaultLevel(), overwrite, limits);
  }

  /**
   * {@link #replaceManifest(Path, Path, byte[], Compression, boolean, ReadLimits)} at compression
   * {@code level} (checked by {@link Compression#checkLevel}; none ignores it).
   */
  public static String replaceManifest(Path in, Path out, byte[] manifestJson,
      Compression compression, int level, boolean overwrite, ReadLimits limits) throws AppcException {
    String op = "patch-manifest";
    if (compression != Compression.NONE) {
      compression.checkLevel(level); // before any file exists
    }
    byte[] canonical;
    try {
      canonical = ImageManifest.parse(manifestJson).toJson();
    } catch (SchemaException e) {
      throw new AppcException(op + ": new manifest: " + e.getMessage(), e);
    }
    Path target = out.toAbsolutePath().normalize();
    boolean same = Files.exists(target) && Files.exists(in)
        && target.equals(in.toAbsolutePath().normalize());
    if (!same && Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
      throw new AppcException(op + ": target file exists: " + out + " (use --overwrite)");
    }
    long[] manifestMtime = {0};
    AciArchive.visit(op, in, limits, true, (item, content) -> {
      if (item.name().equals(EntryRules.MANIFEST)) {
        manifestMtime[0] = item.mtime();
        return false;
      }
      return true;
    });
    Path tmp;
    try {
      tmp = AciStreams.outputTemp(target);
    } catch (IOException e) {
      throw new AppcException(op + ": cannot create a file next to " + out + ": "
          + e.getMessage(), e);
    }
    boolean done = false;
    try {
      AciStreams.HashingOutputStream hashing;
      try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream compressed = compression.compress(file, level)) {
        hashing = new AciStreams.HashingOutputStream(compressed);
        ReproducibleTarWriter tar =
            new ReproducibleTarWriter(new BufferedOutputStream(hashing, 256 * 1024));
        tar.file(EntryRules.MANIFEST, TarMeta.of(0644, 0, 0, manifestMtime[0]), canonical);
        EntryRules rules = new EntryRules();
        AciArchive.visit(op, in, limits, true, (item, content) -> {
          String problem = rules.check(item);
          if (problem != null) {
            throw new AppcException(op + ": " + in + ": " + EntryRules.entryMessage(item,
                problem));
          }
          if (!item.name().equals(EntryRules.MANIFEST) && !item.name().equals(".")) {
            try {
              copy(tar, item, content);
            } catch (IllegalArgumentException e) {
              throw new AppcException(op + ": " + in + ": " + e.getMessage(), e);
            }
          }
          return true;
        });
        tar.finish();
      }
      String id = AciStreams.imageId(hashing.finishedDigest());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      done = true;
      return id;
    } catch (IOException e) {
      throw new AppcException(op + ": writing " + out + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure is what matters
        }
      }
    }
  }

  private static void copy(ReproducibleTarWriter tar, TarItem item, java.io.InputStream content)
      throws IOException {
    TarMeta meta = new TarMeta(item.mode(), item.uid(), item.gid(), item.mtime(),
        new java.util.TreeMap<>(item.xattrs()));
    String name = item.name();
    TarEntryType type = item.type();
    switch (type) {
      case DIRECTORY -> tar.directory(name, meta);
      case FILE -> tar.file(name, meta, item.size(), content);
      case SYMLINK -> tar.symlink(name, meta, item.linkName());
      case HARDLINK -> tar.hardlink(name, meta, EntryRules.hardlinkTarget(item));
      case CHAR_DEVICE -> tar.charDevice(name, meta, item.devMajor(), item.devMinor());
      case BLOCK_DEVICE -> tar.blockDevice(name, meta, item.devMajor(), item.devMinor());
      case FIFO -> tar.fifo(name, meta);
      default -> throw new IOException("entry \"" + item.rawName() + "\": unsupported type");
    }
  }
}
