package org.appctools.aci;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.SchemaException;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarMeta;

/**
 * Builds an ACI from a layout directory, like {@code actool build DIR OUT}, in one pass: walk,
 * tar, hash, compress, write.
 *
 * <p>The {@code manifest} entry comes first (canonical JSON, mode 0644, owner 0:0) so readers
 * can stop after it; then {@code rootfs} and the tree depth-first with each directory's children
 * sorted by the bytes of their names. Hard links (same device and inode) are stored once; later
 * names become hard-link entries. Symlinks are stored, never followed; device nodes and FIFOs
 * are stored from their metadata and never opened; sockets are skipped with a warning. Owners
 * (numeric) and modes including setuid, setgid and sticky are kept unless {@link
 * BuildOptions#ownerRoot()}. Xattrs, including {@code security.capability}, come from one
 * {@code getfattr} run.
 *
 * <p>The output is written to a temporary file next to it and renamed into place only on
 * success; any failure deletes the temporary file.
 *
 * <p>The rootfs must not change during the build: a regular file replaced by a FIFO between
 * its {@code lstat} and its {@code open} would block the build (Java cannot open with {@code
 * O_NONBLOCK}); a file that shrinks fails the build.
 */
public final class AciBuilder {
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;

  private final Path rootfs;
  private final BuildOptions opts;
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, String> inodes = new HashMap<>();
  private Map<String, SortedMap<String, byte[]>> xattrs = Map.of();
  private boolean unixView = true;
  private final ProgressListener progress;
  private long bytesDone;
  private long bytesTotal = -1;

  private AciBuilder(Path rootfs, BuildOptions opts, ProgressListener progress) {
    this.rootfs = rootfs;
    this.opts = opts;
    this.progress = progress;
  }

  /** Builds {@code out} from the layout {@code layoutDir}. */
  public static BuildResult build(Path layoutDir, Path out, BuildOptions opts)
      throws AppcException {
    return build(layoutDir, out, opts, ProgressListener.NONE);
  }

  /**
   * Builds {@code out} from the layout {@code layoutDir}, telling {@code progress} the bytes of
   * the rootfs's files archived so far against their sum.
   */
  public static BuildResult build(Path layoutDir, Path out, BuildOptions opts,
      ProgressListener progress) throws AppcException {
    AciValidator.Report report = AciValidator.validateLayout(layoutDir);
    if (!report.valid()) {
      throw new AppcException("build: invalid layout " + layoutDir + ": "
          + String.join("; ", report.errors()));
    }
    Path manifestFile = layoutDir.resolve(EntryRules.MANIFEST);
    Path rootfs = layoutDir.resolve(EntryRules.ROOTFS);
    ImageManifest manifest;
    long manifestMtime;
    try {
      manifest = ImageManifest.parse(Files.readAllBytes(manifestFile));
      manifestMtime = seconds(Files.getLastModifiedTime(manifestFile));
    } catch (SchemaException e) {
      throw new AppcException("build: manifest " + manifestFile + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new AppcException("build: reading " + manifestFile + ": " + e.getMessage(), e);
    }
    Path target = out.toAbsolutePath().normalize();
    Path dir = target.getParent();
    try {
      if (dir != null && Files.isDirectory(dir)
          && dir.toRealPath().startsWith(rootfs.toRealPath())) {
        throw new AppcException("build: target file " + out + " is inside the rootfs being "
            + "built (" + rootfs + "); write it elsewhere");
      }
    } catch (IOException e) {
      throw new AppcException("build: resolving " + out + ": " + e.getMessage(), e);
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !opts.overwrite()) {
      throw new AppcException("build: target file exists: " + out + " (use --overwrite)");
    }
    AciBuilder builder = new AciBuilder(rootfs, opts, progress);
    Path tmp;
    try {
      tmp = AciStreams.outputTemp(target);
    } catch (IOException e) {
      throw new AppcException("build: cannot create a file next to " + out + ": "
          + e.getMessage(), e);
    }
    boolean done = false;
    try {
      long mtime = opts.sourceDateEpoch().isPresent()
          ? opts.sourceDateEpoch().getAsLong() : manifestMtime;
      BuildResult result = builder.write(tmp, manifest.toJson(), mtime);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !opts.overwrite()) {
        throw new AppcException("build: target file exists: " + out + " (use --overwrite)");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      done = true;
      return result;
    } catch (IOException e) {
      throw new AppcException("build: writing " + out + ": " + e.getMessage(), e);
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

  /**
   * Deletes {@code .NAME.PID.*.tmp} next to the target left by a build of {@code name} whose
   * process is gone (killed before it could delete its temp file itself).
   */
  private BuildResult write(Path tmp, byte[] manifestJson, long manifestMtime)
      throws IOException, AppcException {
    Xattrs.Dump dump = Xattrs.read(rootfs);
    xattrs = dump.byPath();
    warnings.addAll(dump.warnings());
    if (progress != ProgressListener.NONE) {
      bytesTotal = fileBytes(rootfs);
      progress.progress(0, bytesTotal);
    }
    AciStreams.HashingOutputStream hashing;
    long entries;
    try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream compressed = opts.compression().compress(file, opts.compressionLevel())) {
      hashing = new AciStreams.HashingOutputStream(compressed);
      ReproducibleTarWriter tar =
          new ReproducibleTarWriter(new BufferedOutputStream(hashing, 256 * 1024));
      tar.file(EntryRules.MANIFEST, TarMeta.of(0644, 0, 0, manifestMtime), manifestJson);
      walk(tar, rootfs, EntryRules.ROOTFS, "");
      tar.finish();
      if (bytesTotal >= 0) {
        progress.progress(bytesTotal, bytesTotal); // hard links were counted in the sum only
      }
      entries = tar.entries();
    }
    return new BuildResult(AciStreams.imageId(hashing.finishedDigest()), entries, hashing.count, warnings);
  }

  /** The sum of the sizes of the regular files under {@code dir}, links not followed. */
  private static long fileBytes(Path dir) throws IOException {
    long[] sum = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          sum[0] += attrs.size();
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return sum[0];
  }

  private void walk(ReproducibleTarWriter tar, Path path, String name, String rel)
      throws IOException {
    Map<String, Object> a = attributes(path);
    int mode = ((Number) a.get("mode")).intValue();
    long uid = opts.ownerRoot() ? 0 : ((Number) a.get("uid")).longValue();
    long gid = opts.ownerRoot() ? 0 : ((Number) a.get("gid")).longValue();
    BuildOptions.Owner override = opts.ownerRoot() ? null : opts.owners().get(rel);
    if (override != null) {
      uid = override.uid();
      gid = override.gid();
    }
    long mtime = seconds((FileTime) a.get("lastModifiedTime"));
    if (opts.sourceDateEpoch().isPresent()) {
      mtime = Math.min(mtime, opts.sourceDateEpoch().getAsLong());
    }
    TarMeta meta = new TarMeta(mode, uid, gid, mtime, xattrs.get(rel));
    int type = mode & S_IFMT;
    if (type != S_IFDIR && unixView && ((Number) a.get("nlink")).intValue() > 1) {
      String key = a.get("dev") + ":" + a.get("ino");
      String first = inodes.putIfAbsent(key, name);
      if (first != null) {
        tar.hardlink(name, meta, first);
        return;
      }
    }
    switch (type) {
      case S_IFDIR -> {
        tar.directory(name, meta);
        for (String child : sortedChildren(path)) {
          walk(tar, path.resolve(child), name + "/" + child,
              rel.isEmpty() ? child : rel + "/" + child);
        }
      }
      case S_IFREG -> {
        long size = ((Number) a.get("size")).longValue();
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
          tar.file(name, meta, size, in);
        }
        bytesDone += size;
        progress.progress(bytesDone, bytesTotal);
      }
      case S_IFLNK -> tar.symlink(name, meta, Files.readSymbolicLink(path).toString());
      case S_IFCHR, S_IFBLK -> {
        long rdev = ((Number) a.get("rdev")).longValue();
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        if (type == S_IFCHR) {
          tar.charDevice(name, meta, major, minor);
        } else {
          tar.blockDevice(name, meta, major, minor);
        }
      }
      case S_IFIFO -> tar.fifo(name, meta);
      case S_IFSOCK -> warnings.add("skipped socket " + name + " (sockets cannot be archived)");
      default -> warnings.add("skipped " + name + ": unknown file type " + Integer.toOctalString(
          type));
    }
  }

  /** unix:* attributes, or the POSIX ones dressed up alike on file systems without them. */
  private Map<String, Object> attributes(Path path) throws IOException {
    if (unixView) {
      try {
        return Files.readAttributes(path, "unix:mode,uid,gid,ino,dev,rdev,nlink,size,"
            + "lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        unixView = false;
        warnings.add("the file system of " + rootfs + " has no unix attributes: hard links and "
            + "device nodes are not detected");
      }
    }
    PosixFileAttributes p =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    int mode = 0;
    for (PosixFilePermission perm : p.permissions()) {
      mode |= 1 << (8 - perm.ordinal());
    }
    mode |= p.isDirectory() ? S_IFDIR : p.isSymbolicLink() ? S_IFLNK
        : p.isRegularFile() ? S_IFREG : S_IFSOCK;
    Map<String, Object> m = new HashMap<>();
    m.put("mode", mode);
    m.put("uid", 0);
    m.put("gid", 0);
    m.put("nlink", 1);
    m.put("size", p.size());
    m.put("lastModifiedTime", p.lastModifiedTime());
    return m;
  }

  private static List<String> sortedChildren(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    }
    names.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
        y.getBytes(StandardCharsets.UTF_8)));
    return names;
  }

  private static long seconds(FileTime t) {
    return Math.floorDiv(t.toMillis(), 1000L);
  }
}
