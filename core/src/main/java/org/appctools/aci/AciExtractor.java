package org.appctools.aci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarNames;

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
  private record Pending(Path path, TarItem item) {}

  private final Path aci;
  private final ExtractOptions opts;
  private final Path root;
  private final boolean rootfsTar;
  private final EntryRules rules;
  private final Map<String, TarEntryType> made = new HashMap<>();
  private final Set<String> deferred = new java.util.HashSet<>();
  private final List<Pending> dirs = new ArrayList<>();
  private final List<Pending> specials = new ArrayList<>();
  private final StringBuilder script = new StringBuilder();
  private final Map<Path, Map<String, byte[]>> xattrs = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private final byte[] buffer = new byte[256 * 1024];
  private boolean chown;
  private long entries;

  private AciExtractor(Path aci, Path root, ExtractOptions opts, boolean rootfsTar) {
    this.aci = aci;
    this.root = root;
    this.opts = opts;
    this.rootfsTar = rootfsTar;
    this.rules = rootfsTar ? EntryRules.forRootfsTar() : new EntryRules();
  }

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
    boolean created = prepareTarget(target);
    boolean done = false;
    try {
      AciExtractor x = new AciExtractor(aci, target.toRealPath(), opts, rootfsTar);
      ExtractResult result = x.run();
      done = true;
      return result;
    } catch (IOException e) {
      throw new AppcException("extract: " + target + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        removeQuietly(target, created);
      }
    }
  }

  private static boolean prepareTarget(Path target) throws AppcException {
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
        if (ds.iterator().hasNext()) {
          throw new AppcException("extract: target directory " + target
              + " is not empty (extract into a new or empty directory)");
        }
      } catch (IOException e) {
        throw new AppcException("extract: cannot list " + target + ": " + e.getMessage(), e);
      }
      return false;
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException("extract: target " + target + " exists and is not a directory");
    }
    try {
      Files.createDirectory(target);
      return true;
    } catch (NoSuchFileException e) {
      throw new AppcException("extract: the parent of " + target + " does not exist", e);
    } catch (IOException e) {
      throw new AppcException("extract: cannot create " + target + ": " + e.getMessage(), e);
    }
  }

  private ExtractResult run() throws IOException, AppcException {
    chown = opts.keepOwnership() || runningAsRoot();
    AciArchive.visit("extract", aci, opts.limits(), false, (item, content) -> {
      entry(item, content);
      return true;
    });
    if (!rootfsTar && !rules.sawManifest()) {
      throw new AppcException("extract: " + aci + ": the ACI has no manifest entry");
    }
    if (script.length() > 0) {
      // FIFOs and device nodes get their metadata from the script too: the JDK's attribute
      // setters open the file, which blocks on a FIFO and may act on a device
      for (Pending p : specials) {
        TarItem item = p.item();
        if (chown) {
          script.append("chown -h -- ").append(item.uid()).append(':').append(item.gid())
              .append(' ').append(quote(p.path())).append('\n');
        }
        script.append("chmod -- ").append(Integer.toOctalString(item.mode() & 07777))
            .append(' ').append(quote(p.path())).append('\n');
        script.append("touch -h -c -d @").append(item.mtime()).append(" -- ")
            .append(quote(p.path())).append('\n');
      }
      runScript();
    }
    if (opts.restoreXattrs() && !xattrs.isEmpty()) {
      String failure = Xattrs.restore(xattrs);
      if (failure != null) {
        warnings.add("xattrs not restored: " + failure);
      }
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      applyMeta(dirs.get(i).path(), dirs.get(i).item());
    }
    return new ExtractResult(entries, warnings);
  }

  private AppcException fail(TarItem item, String problem) {
    return new AppcException("extract: " + EntryRules.entryMessage(item, problem));
  }

  private void entry(TarItem item, InputStream content) throws IOException, AppcException {
    String problem = rules.check(item);
    if (problem != null) {
      throw fail(item, problem);
    }
    String name = item.name();
    if (name.equals(".")) {
      if (rootfsTar) {
        dirs.add(new Pending(root, item)); // the rootfs itself: its metadata is set last
      }
      return;
    }
    entries++;
    for (String x : item.xattrProblems()) {
      warnings.add(EntryRules.entryMessage(item, "xattr " + x + " may not be restored exactly"));
    }
    ensureParents(item, name);
    Path path = root.resolve(name);
    try {
      switch (item.type()) {
        case FILE -> {
          if (!rootfsTar && name.equals(EntryRules.MANIFEST)
              && item.size() > opts.limits().maxManifestBytes()) {
            throw fail(item, "manifest is " + item.size() + " bytes, more than the limit of "
                + opts.limits().maxManifestBytes() + " (a manifest is small JSON: this is not a genuine image)");
          }
          try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
              out.write(buffer, 0, n);
            }
          }
          applyMeta(path, item);
        }
        case DIRECTORY -> {
          if (made.get(name) != TarEntryType.DIRECTORY) {
            Files.createDirectory(path);
          }
          dirs.add(new Pending(path, item));
        }
        case SYMLINK -> {
          Files.createSymbolicLink(path, path.getFileSystem().getPath(item.linkName()));
          applyMeta(path, item);
        }
        case HARDLINK -> {
          String target = EntryRules.hardlinkTarget(item);
          if (deferred.contains(target)) {
            script.append("ln -- ").append(quote(root.resolve(target))).append(' ')
                .append(quote(path)).append('\n');
            deferred.add(name);
          } else {
            Files.createLink(path, root.resolve(target));
          }
        }
        case CHAR_DEVICE, BLOCK_DEVICE -> {
          if (!opts.allowDevices()) {
            throw fail(item, "device nodes are refused (allow them with "
                + "ExtractOptions.allowDevices, which needs root)");
          }
          script.append("mknod -m 0600 -- ").append(quote(path))
              .append(item.type() == TarEntryType.CHAR_DEVICE ? " c " : " b ")
              .append(item.devMajor()).append(' ').append(item.devMinor()).append('\n');
          specials.add(new Pending(path, item));
          deferred.add(name);
        }
        case FIFO -> {
          script.append("mkfifo -m 0600 -- ").append(quote(path)).append('\n');
          specials.add(new Pending(path, item));
          deferred.add(name);
        }
        default -> throw fail(item, "unsupported entry type");
      }
    } catch (FileAlreadyExistsException e) {
      throw fail(item, "conflicts with an earlier entry at the same path");
    }
    made.put(name, item.type());
    if (!item.xattrs().isEmpty() && item.type() != TarEntryType.HARDLINK) {
      xattrs.put(path, item.xattrs());
    }
  }

  /** Creates missing parents; refuses a parent that is a symlink or not a directory. */
  private void ensureParents(TarItem item, String name) throws IOException, AppcException {
    String parent = TarNames.parent(name);
    if (parent == null) {
      return;
    }
    TarEntryType kind = made.get(parent);
    if (kind == TarEntryType.DIRECTORY) {
      return;
    }
    if (kind == TarEntryType.SYMLINK) {
      throw fail(item, "refusing to write through symlink \"" + parent + "\"");
    }
    if (kind != null) {
      throw fail(item, "parent \"" + parent + "\" is not a directory");
    }
    ensureParents(item, parent);
    Path p = root.resolve(parent);
    if (Files.isSymbolicLink(p)) {
      throw fail(item, "refusing to write through symlink \"" + parent + "\"");
    }
    Files.createDirectory(p);
    made.put(parent, TarEntryType.DIRECTORY);
  }

  private void applyMeta(Path path, TarItem item) throws IOException {
    boolean link = item.type() == TarEntryType.SYMLINK;
    if (chown) {
      Files.setAttribute(path, "unix:uid", (int) item.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", (int) item.gid(), LinkOption.NOFOLLOW_LINKS);
    }
    if (!link) {
      setMode(path, item.mode());
    }
    FileTime mtime = FileTime.fromMillis(item.mtime() * 1000);
    try {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(mtime, null, null);
    } catch (IOException | UnsupportedOperationException e) {
      if (!link) {
        throw e instanceof IOException io ? io : new IOException(e);
      }
    }
  }

  private static void setMode(Path path, int mode) throws IOException {
    try {
      Files.setAttribute(path, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
      for (PosixFilePermission p : PosixFilePermission.values()) {
        if ((mode & (1 << (8 - p.ordinal()))) != 0) {
          perms.add(p);
        }
      }
      Files.setPosixFilePermissions(path, perms);
    }
  }

  private boolean runningAsRoot() throws IOException {
    Path probe = Files.createTempFile(root, ".uid", ".probe");
    try {
      return ((Number) Files.getAttribute(probe, "unix:uid")).intValue() == 0;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    } finally {
      Files.delete(probe);
    }
  }

  private void runScript() throws IOException, AppcException {
    ProcessBuilder pb = new ProcessBuilder("sh", "-e", "-s");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(script.toString().getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      int rc = p.waitFor();
      if (rc != 0) {
        throw new AppcException("extract: creating device nodes and FIFOs with mknod/mkfifo "
            + "failed (status " + rc + "): " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new AppcException("extract: interrupted while creating device nodes and FIFOs", e);
    }
  }

  private static String quote(Path p) {
    return "'" + p.toString().replace("'", "'\\''") + "'";
  }

  /** Removes the target (if created) or everything in it, without following symlinks. */
  private static void removeQuietly(Path target, boolean created) {
    try {
      Files.walkFileTree(target, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          try {
            Files.setAttribute(dir, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
          } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // best effort: deletion below reports nothing either
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          if (created || !dir.equals(target)) {
            Files.deleteIfExists(dir);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // nothing more can be done; the original failure is reported
    }
  }
}
