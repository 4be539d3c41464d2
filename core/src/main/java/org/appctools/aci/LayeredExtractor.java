package org.appctools.aci;

import org.appctools.fs.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarNames;

/**
 * Extracts one or more archives into one directory, the top layer first: the first layer to
 * write a path wins, so each file is written once. This is how the appc renderer layers an image
 * over its dependencies ({@code pkg/acirenderer}: top-down, first writer wins) and, with one
 * layer, how {@link AciExtractor} extracts.
 *
 * <p>Every layer is checked by the same rules as {@link AciExtractor} (nothing unsafe, nothing
 * outside {@code manifest} and {@code rootfs/}, no duplicates, nothing through a symlink of the
 * same layer); a problem fails the whole extraction and {@link #close()} removes what was made.
 * Across layers an entry is skipped, not refused, when an earlier layer wrote its path (only a
 * directory an earlier layer created implicitly takes a later layer's explicit metadata) or a
 * non-directory (a symlink, a file) at one of its parents: a symlink of an upper layer is never
 * followed into, and a directory of a lower layer never merges into an upper layer's file.
 *
 * <p>A hard link whose target this layer did not write (an earlier layer has that path, or the
 * filter skipped it) becomes a copy of the target's content from this layer, read in a second
 * pass over the archive; the Go reference instead links to whatever is at the path.
 *
 * <p>Owners are set as root or with {@link ExtractOptions#keepOwnership()}; otherwise the result
 * lists the entries whose archive owner is not 0:0 ({@link ExtractResult#owners()}), so that
 * they can be given later (a rootless pod does in its user namespace). Devices and FIFOs
 * are made by one {@code sh} at {@link #finish()}, which also restores xattrs and sets the
 * directories' metadata last.
 */
public final class LayeredExtractor implements AutoCloseable {
  /** Chooses the entries of a layer to extract (after they passed the rules). */
  @FunctionalInterface
  public interface EntryFilter {
    boolean accept(TarItem item);
  }

  /** Accepts every entry. */
  public static final EntryFilter ALL = item -> true;

  private record Pending(Path path, TarItem item) {}

  /** A path made: its type, the layer that made it, and whether it was an implied parent. */
  private static final class Made {
    final TarEntryType type;
    final int layer;
    boolean implicit;
    boolean materialize;

    Made(TarEntryType type, int layer, boolean implicit) {
      this.type = type;
      this.layer = layer;
      this.implicit = implicit;
    }
  }

  /** The state of the layer being read. */
  private static final class Layer {
    final Path aci;
    final EntryFilter filter;
    final EntryRules rules;
    /** Hard link name → the name of the entry holding the data (chains followed). */
    final Map<String, String> linkRoots = new HashMap<>();
    /** Data entry name → the link names to fill with its content, in order. */
    final Map<String, List<Pending>> toMaterialize = new LinkedHashMap<>();

    Layer(Path aci, EntryFilter filter, EntryRules rules) {
      this.aci = aci;
      this.filter = filter;
      this.rules = rules;
    }

    String root(String name) {
      return linkRoots.getOrDefault(name, name);
    }
  }

  private final String op;
  private final Path target;
  private final boolean created;
  private final Path root;
  private final ExtractOptions opts;
  private final boolean rootfsTar;
  private final boolean chown;
  private final Map<String, Made> made = new HashMap<>();
  private final Set<String> deferred = new HashSet<>();
  private final List<Pending> dirs = new ArrayList<>();
  private final List<Pending> specials = new ArrayList<>();
  private final StringBuilder script = new StringBuilder();
  private final Map<Path, Map<String, byte[]>> xattrs = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  /** Entry name → the owner its archive gives it, when {@link #chown} is off and it is not 0:0. */
  private final Map<String, EntryOwner> owners = new LinkedHashMap<>();
  private final byte[] buffer = new byte[256 * 1024];
  private int layerIndex = -1;
  private long entries;
  private boolean finished;

  private LayeredExtractor(String op, Path target, boolean created, ExtractOptions opts,
      boolean rootfsTar) throws IOException {
    this.op = op;
    this.target = target;
    this.created = created;
    this.root = target.toRealPath();
    this.opts = opts;
    this.rootfsTar = rootfsTar;
    this.chown = opts.keepOwnership() || (!opts.deferOwners() && runningAsRoot(root));
  }

  /**
   * Starts extracting into {@code target}, which must be missing (it is created) or an empty
   * directory. Errors name the operation {@code extract}.
   */
  public static LayeredExtractor create(Path target, ExtractOptions opts) throws AppcException {
    return create("extract", target, opts, false);
  }

  static LayeredExtractor create(String op, Path target, ExtractOptions opts, boolean rootfsTar)
      throws AppcException {
    boolean created = prepareTarget(op, target);
    try {
      return new LayeredExtractor(op, target, created, opts, rootfsTar);
    } catch (IOException e) {
      removeQuietly(target, created);
      throw new AppcException(op + ": " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds the next layer: streams {@code aci} once, writes the entries {@code filter} accepts
   * that no earlier layer wrote, and returns the archive's Image ID, computed on the way over the
   * whole decompressed stream.
   */
  public String add(Path aci, EntryFilter filter) throws AppcException {
    return add(aci, filter, true, ProgressListener.NONE);
  }

  /**
   * {@link #add(Path, EntryFilter)}, telling {@code progress} the bytes of the archive file read
   * so far against its size.
   */
  public String add(Path aci, EntryFilter filter, ProgressListener progress) throws AppcException {
    return add(aci, filter, true, progress);
  }

  /** {@link #add(Path, EntryFilter)}, hashing only when asked (null is returned otherwise). */
  String add(Path aci, EntryFilter filter, boolean hash) throws AppcException {
    return add(aci, filter, hash, ProgressListener.NONE);
  }

  private String add(Path aci, EntryFilter filter, boolean hash, ProgressListener progress)
      throws AppcException {
    if (finished) {
      throw new IllegalStateException("extraction already finished");
    }
    layerIndex++;
    Layer layer = new Layer(aci, filter,
        rootfsTar ? EntryRules.forRootfsTar() : new EntryRules());
    AciArchive.EntryVisitor visitor = (item, content) -> {
      entry(layer, item, content);
      return true;
    };
    String id = null;
    if (hash) {
      id = AciArchive.visitHashed(op, aci, opts.limits(), progress == ProgressListener.NONE
          ? null : new AciStreams.ProgressOutputStream(progress, size(aci)), visitor);
    } else {
      AciArchive.visit(op, aci, opts.limits(), false, visitor);
    }
    if (!rootfsTar && !layer.rules.sawManifest()) {
      throw new AppcException(op + ": " + aci + ": the ACI has no manifest entry");
    }
    if (!layer.toMaterialize.isEmpty()) {
      materialize(layer);
    }
    return id;
  }

  /** The size of {@code aci}, or -1 when it cannot be read (the extraction then reports why). */
  private static long size(Path aci) {
    try {
      return Files.size(aci);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Makes the devices and FIFOs, restores xattrs and sets the directories' metadata; the
   * extraction is complete and {@link #close()} keeps it.
   */
  public ExtractResult finish() throws AppcException {
    try {
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
    } catch (IOException e) {
      throw new AppcException(op + ": " + target + ": " + e.getMessage(), e);
    }
    finished = true;
    return new ExtractResult(entries, warnings, List.copyOf(owners.values()));
  }

  /** Adds a warning to the result (for callers that skip entries with a filter). */
  public void warn(String warning) {
    warnings.add(warning);
  }

  /** Unless {@link #finish()} succeeded, removes everything made (the target too if created). */
  @Override
  public void close() {
    if (!finished) {
      removeQuietly(target, created);
      finished = true;
    }
  }

  private static boolean prepareTarget(String op, Path target) throws AppcException {
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
        if (ds.iterator().hasNext()) {
          throw new AppcException(op + ": target directory " + target
              + " is not empty (extract into a new or empty directory)");
        }
      } catch (IOException e) {
        throw new AppcException(op + ": cannot list " + target + ": " + e.getMessage(), e);
      }
      return false;
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException(op + ": target " + target + " exists and is not a directory");
    }
    try {
      Files.createDirectory(target);
      return true;
    } catch (NoSuchFileException e) {
      throw new AppcException(op + ": the parent of " + target + " does not exist", e);
    } catch (IOException e) {
      throw new AppcException(op + ": cannot create " + target + ": " + e.getMessage(), e);
    }
  }

  private AppcException fail(TarItem item, String problem) {
    return new AppcException(op + ": " + EntryRules.entryMessage(item, problem));
  }

  private void entry(Layer layer, TarItem item, InputStream content)
      throws IOException, AppcException {
    String problem = layer.rules.check(item);
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
    if (item.type() == TarEntryType.HARDLINK) {
      layer.linkRoots.put(name, layer.root(EntryRules.hardlinkTarget(item)));
    }
    if (!layer.filter.accept(item)) {
      return;
    }
    Made existing = made.get(name);
    Path path = root.resolve(name);
    if (existing != null) {
      if (existing.implicit && item.type() == TarEntryType.DIRECTORY) {
        existing.implicit = false; // an implied directory takes the first explicit metadata
        entries++;
        dirs.add(new Pending(path, item));
        recordOwner(item);
        keepXattrs(path, item);
        return;
      }
      if (existing.layer != layerIndex) {
        return; // an earlier layer has this path
      }
      throw fail(item, "conflicts with an earlier entry at the same path");
    }
    if (shadowedByEarlierLayer(name)) {
      return;
    }
    entries++;
    ensureParents(item, name);
    try {
      switch (item.type()) {
        case FILE -> {
          if (!rootfsTar && name.equals(EntryRules.MANIFEST)
              && item.size() > opts.limits().maxManifestBytes()) {
            throw fail(item, "manifest is " + item.size() + " bytes, more than the limit of "
                + opts.limits().maxManifestBytes()
                + " (a manifest is small JSON: this is not a genuine image)");
          }
          writeFile(path, item, content);
        }
        case DIRECTORY -> {
          Files.createDirectory(path);
          dirs.add(new Pending(path, item));
        }
        case SYMLINK -> {
          Files.createSymbolicLink(path, path.getFileSystem().getPath(item.linkName()));
          applyMeta(path, item);
        }
        case HARDLINK -> {
          String dataName = layer.root(name);
          Made data = made.get(dataName);
          if (data == null || data.layer != layerIndex || data.materialize) {
            // the data of this layer is not at the target path: copy it in a second pass
            layer.toMaterialize.computeIfAbsent(dataName, k -> new ArrayList<>())
                .add(new Pending(path, item));
            Made m = new Made(TarEntryType.FILE, layerIndex, false);
            m.materialize = true;
            made.put(name, m);
            recordOwner(item);
            return;
          }
          if (deferred.contains(dataName)) {
            script.append("ln -- ").append(quote(root.resolve(dataName))).append(' ')
                .append(quote(path)).append('\n');
            deferred.add(name);
          } else {
            Files.createLink(path, root.resolve(dataName));
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
    made.put(name, new Made(item.type(), layerIndex, false));
    if (item.type() != TarEntryType.HARDLINK) {
      keepXattrs(path, item);
    }
    recordOwner(item);
  }

  /**
   * Remembers the owner of an entry just written when the extraction does not set owners and
   * the archive's is not 0:0 (entries outside the root filesystem are not recorded).
   */
  private void recordOwner(TarItem item) {
    if (chown || (item.uid() == 0 && item.gid() == 0)) {
      return;
    }
    String name = item.name();
    if (!rootfsTar) {
      if (!name.startsWith("rootfs/")) {
        return;
      }
      name = name.substring("rootfs/".length());
    }
    owners.put(item.name(), new EntryOwner(name, item.type(), item.uid(), item.gid(), item.mode() & 07777));
  }

  /** Remembers the entry's xattrs for {@link #finish()}. */
  private void keepXattrs(Path path, TarItem item) {
    if (!item.xattrs().isEmpty()) {
      xattrs.put(path, item.xattrs());
    }
  }

  private void writeFile(Path path, TarItem item, InputStream content) throws IOException {
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
        out.write(buffer, 0, n);
      }
    }
    applyMeta(path, item);
  }

  /**
   * Whether an earlier layer made a non-directory at a parent of {@code name}: the entry is
   * then skipped (a symlink of an upper layer is replaced by nothing below, never followed).
   */
  private boolean shadowedByEarlierLayer(String name) {
    for (String p = TarNames.parent(name); p != null; p = TarNames.parent(p)) {
      Made m = made.get(p);
      if (m == null) {
        continue;
      }
      return m.type != TarEntryType.DIRECTORY && m.layer != layerIndex;
    }
    return false;
  }

  /** Second pass over a layer: the content of data entries copied to the links that need it. */
  private void materialize(Layer layer) throws AppcException {
    Map<String, List<Pending>> left = new HashMap<>(layer.toMaterialize);
    AciArchive.visit(op, layer.aci, opts.limits(), false, (item, content) -> {
      List<Pending> links = item.nameProblem() == null ? left.remove(item.name()) : null;
      if (links != null) {
        if (item.type() == TarEntryType.FILE) {
          Path first = links.get(0).path();
          writeFile(first, item, content);
          keepXattrs(first, item);
          for (Pending other : links.subList(1, links.size())) {
            Files.createLink(other.path(), first);
          }
          entries += links.size();
        } else {
          for (Pending p : links) {
            owners.remove(p.item().name());
            warnings.add(EntryRules.entryMessage(p.item(), "hard link to a " + item.type()
                .toString().toLowerCase().replace('_', ' ') + " that this layer did not "
                + "write: not created"));
          }
        }
      }
      return !left.isEmpty();
    });
    for (List<Pending> links : left.values()) {
      for (Pending p : links) {
        owners.remove(p.item().name());
        warnings.add(EntryRules.entryMessage(p.item(), "hard link target not found: not created"));
      }
    }
  }

  /** Creates missing parents; refuses a parent that is a symlink or not a directory. */
  private void ensureParents(TarItem item, String name) throws IOException, AppcException {
    String parent = TarNames.parent(name);
    if (parent == null) {
      return;
    }
    Made kind = made.get(parent);
    if (kind != null && kind.type == TarEntryType.DIRECTORY) {
      return;
    }
    if (kind != null && kind.type == TarEntryType.SYMLINK) {
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
    made.put(parent, new Made(TarEntryType.DIRECTORY, layerIndex, true));
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

  private static boolean runningAsRoot(Path dir) throws IOException {
    Path probe = Files.createTempFile(dir, ".uid", ".probe");
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
        throw new AppcException(op + ": creating device nodes and FIFOs with mknod/mkfifo "
            + "failed (status " + rc + "): " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new AppcException(op + ": interrupted while creating device nodes and FIFOs", e);
    }
  }

  private static String quote(Path p) {
    return "'" + p.toString().replace("'", "'\\''") + "'";
  }

  /** Removes the target (if created) or everything in it, without following symlinks. */
  private static void removeQuietly(Path target, boolean created) {
    try {
      FileTrees.deleteBelow(target, created);
    } catch (IOException e) {
      // best effort: the caller reports the failure that brought us here
    }
  }
}
