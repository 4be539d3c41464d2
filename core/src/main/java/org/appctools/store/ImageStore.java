package org.appctools.store;

import org.appctools.fs.ProcessUser;
import org.appctools.fs.FileTrees;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.aci.AciArchive;
import org.appctools.aci.EntryOwner;
import org.appctools.aci.ExtractOptions;
import org.appctools.aci.ExtractResult;
import org.appctools.aci.ReadLimits;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.SchemaException;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.NameAndLabels;

/**
 * A content-addressed store of ACIs, indexed by name and labels. Safe across processes and
 * threads: readers take a shared lock and writers an exclusive one on {@code DIR/lock}; every
 * file is written under {@code DIR/tmp} and renamed into place, an image's record last, so a
 * process killed at any moment leaves the store as it was before or after (plus garbage that
 * {@link #gc} removes). See the package documentation for the layout.
 *
 * <p>Images are named by an Image ID ({@code sha512-} and 128 hex digits), an ID prefix of at
 * least {@value #MIN_PREFIX_DIGITS} hex digits (as rkt accepts), or {@code
 * name[:version][,label=value...]}. Labels match as in appc: each requested label must be
 * present with the same value; labels not requested match anything.
 */
public final class ImageStore {
  /** The fewest hex digits an Image ID prefix may have (rkt's minimum). */
  public static final int MIN_PREFIX_DIGITS = 2;

  private static final String ID_PREFIX = "sha512-";
  private static final Pattern TEMP_NAME = Pattern.compile("[a-z]+-([0-9]{1,18})-.*");
  private static final String RECORD = ".json";
  private static final String MANIFEST = ".manifest";
  private static final String SIGNATURE = ".asc";
  private static final String TREE_MARKER = "tree.json";
  /** Beside a tree's marker: the owners an unprivileged render could not give (see {@link #treeOwners}). */
  private static final String TREE_OWNERS = "owners.json";

  private final Path dir;
  private final Path blobs;
  private final Path images;
  private final Path remotes;
  private final Path trees;
  private final Path tmp;
  private final StoreLock lock;
  private final Clock clock;
  private final ReadLimits limits = ReadLimits.defaults();

  private ImageStore(Path dir, Clock clock) {
    this.dir = dir;
    this.blobs = dir.resolve("blobs").resolve("sha512");
    this.images = dir.resolve("images");
    this.remotes = dir.resolve("remotes");
    this.trees = dir.resolve("trees");
    this.tmp = dir.resolve("tmp");
    this.lock = new StoreLock(dir.resolve("lock"));
    this.clock = clock;
  }

  /** The environment variable that moves the store of every tool. */
  public static final String DIR_ENV = "APPCTOOLS_STORE_DIR";

  /**
   * Where the store lives by default: {@code $APPCTOOLS_STORE_DIR} if set, else {@code
   * /var/lib/appctools/store} for root, else {@code $XDG_DATA_HOME/appctools/store} ({@code
   * ~/.local/share/appctools/store} when unset). actool and acbuild share it.
   */
  public static Path defaultDir() {
    String env = System.getenv(DIR_ENV);
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    if (ProcessUser.isRoot()) {
      return Path.of("/var/lib/appctools/store");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("appctools").resolve("store");
  }

  /** Opens the store in {@code dir}, creating its layout if missing. */
  public static ImageStore open(Path dir) throws AppcException {
    return open(dir, Clock.systemUTC());
  }

  /** {@link #open(Path)} with the clock that stamps imports and uses (for tests). */
  static ImageStore open(Path dir, Clock clock) throws AppcException {
    Path d = dir.toAbsolutePath().normalize();
    if (Files.exists(d) && !Files.isDirectory(d)) {
      throw new AppcException("image store: " + d + " is not a directory (give the store "
          + "directory with --store-dir)");
    }
    ImageStore s = new ImageStore(d, clock);
    try {
      for (Path p : List.of(s.blobs, s.images, s.remotes, s.trees, s.tmp)) {
        Files.createDirectories(p);
      }
      try {
        Files.createFile(d.resolve("lock"));
      } catch (FileAlreadyExistsException e) {
        // opened before
      }
    } catch (IOException e) {
      throw new AppcException("image store: cannot create " + d + ": " + describe(e)
          + " (give a writable directory with --store-dir)", e);
    }
    return s;
  }

  /** The lock of the store, for {@link BuildCache}. */
  StoreLock lock() {
    return lock;
  }

  /** A new directory under {@code tmp/} named {@code OP-PID-...}, removed by {@link #gc} once this process is gone. */
  Path newTempDirectory(String op) throws IOException {
    return Files.createTempDirectory(tmp, op + "-" + ProcessHandle.current().pid() + "-");
  }

  /** The store's directory. */
  public Path dir() {
    return dir;
  }

  // ---------------------------------------------------------------- import

  /**
   * Copies the ACI (and, if not null, its detached signature) into the store. The ACI is read
   * once: while its bytes are copied its entries are checked (nothing unsafe, only {@code
   * manifest} and {@code rootfs/}), its manifest read and its Image ID computed; the manifest
   * must be valid. Idempotent: an image already stored is kept (its bytes, and its signature
   * unless a new one is given, in which case the new bytes and signature replace both) and its
   * record gets the new source and import time.
   *
   * @param sourceOrNull where the ACI came from (a URL), or null for the file's own {@code file:}
   *     URI
   */
  public StoredImage importAci(Path aci, Path signatureOrNull, String sourceOrNull)
      throws AppcException {
    String op = "import";
    if (!Files.isRegularFile(aci)) {
      throw new AppcException(op + ": " + aci + ": " + (Files.exists(aci)
          ? "not a regular file" : "no such file"));
    }
    if (signatureOrNull != null && !Files.isRegularFile(signatureOrNull)) {
      throw new AppcException(op + ": signature " + signatureOrNull + ": no such file");
    }
    String source = sourceOrNull != null ? sourceOrNull
        : aci.toAbsolutePath().normalize().toUri().toString();
    List<Path> temps = new ArrayList<>();
    try {
      Path blobTemp = newTemp(op, ".aci", temps);
      AciArchive.Inspection inspection;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(blobTemp),
          256 * 1024)) {
        inspection = AciArchive.inspect(op, aci, limits, out);
      }
      ImageManifest manifest;
      try {
        manifest = ImageManifest.parse(inspection.manifest());
      } catch (SchemaException e) {
        throw new AppcException(op + ": " + aci + ": invalid manifest: " + e.getMessage(), e);
      }
      ImageId id = ImageId.parse(inspection.imageId());
      Path signatureTemp = null;
      if (signatureOrNull != null) {
        signatureTemp = newTemp(op, SIGNATURE, temps);
        Files.copy(signatureOrNull, signatureTemp, StandardCopyOption.REPLACE_EXISTING);
      }
      Path manifestTemp = newTemp(op, MANIFEST, temps);
      Files.write(manifestTemp, inspection.manifest());
      try (StoreLock.Held held = lock.exclusive()) {
        Optional<StoredImage> old = record(id);
        Path blob = blobFile(id);
        Path signature = signatureFile(id);
        if (old.isEmpty() || !Files.exists(blob) || signatureTemp != null) {
          move(blobTemp, blob);
          if (signatureTemp != null) {
            move(signatureTemp, signature);
          } else {
            Files.deleteIfExists(signature); // left by an import killed before its record
          }
        }
        move(manifestTemp, images.resolve(id.hex() + MANIFEST));
        StoredImage image = new StoredImage(id, manifest.name(), manifest.labels(),
            clock.instant(), old.map(StoredImage::lastUsed).orElse(null), Files.size(blob),
            source, Files.exists(signature));
        writeRecord(image);
        return image;
      }
    } catch (IOException e) {
      throw new AppcException(op + ": " + aci + ": " + describe(e), e);
    } finally {
      for (Path t : temps) {
        deleteQuietly(t);
      }
    }
  }

  // ---------------------------------------------------------------- look-up

  /**
   * The image with this ID, or the only one whose ID starts with this prefix ({@code sha512-}
   * and at least {@value #MIN_PREFIX_DIGITS} hex digits). Empty if none; an ambiguous prefix
   * fails naming the candidates.
   */
  public Optional<StoredImage> get(String idOrPrefix) throws AppcException {
    ImageId id = parseId(idOrPrefix);
    try (StoreLock.Held held = lock.shared()) {
      return getLocked(id);
    }
  }

  /**
   * The images named {@code name} whose labels contain every {@code requested} label with the
   * same value, newest import first.
   */
  public List<StoredImage> find(AcIdentifier name, Labels requested) throws AppcException {
    try (StoreLock.Held held = lock.shared()) {
      return findLocked(name, requested);
    }
  }

  /**
   * The image {@code ref} names: an Image ID or ID prefix (see {@link #get}), or {@code
   * name[:version][,label=value...]} (the newest match). Fails when there is none, saying how to
   * get it.
   */
  public StoredImage resolve(String ref) throws AppcException {
    try (StoreLock.Held held = lock.shared()) {
      List<StoredImage> found = matchesLocked(ref, false);
      if (found.isEmpty()) {
        throw notFound(ref);
      }
      return found.get(0);
    }
  }

  /** Every image, oldest import first. */
  public List<StoredImage> list() throws AppcException {
    try (StoreLock.Held held = lock.shared()) {
      return recordsLocked();
    }
  }

  /** The stored archive, byte for byte as imported (so its signature still verifies). */
  public Path aciFile(StoredImage image) {
    return blobFile(image.id());
  }

  /** The stored detached signature, if the image has one. */
  public Optional<Path> signatureFile(StoredImage image) {
    Path p = signatureFile(image.id());
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** The image's manifest. */
  public ImageManifest manifest(StoredImage image) throws AppcException {
    byte[] bytes = manifestBytes(image);
    try {
      return ImageManifest.parse(bytes);
    } catch (SchemaException e) {
      throw new AppcException("image store: the manifest of " + image.id() + " is invalid: "
          + e.getMessage() + "; remove the image with actool image rm " + image.id(), e);
    }
  }

  /** The image's manifest, as stored in its archive. */
  public byte[] manifestBytes(StoredImage image) throws AppcException {
    try (StoreLock.Held held = lock.shared()) {
      return Files.readAllBytes(images.resolve(image.id().hex() + MANIFEST));
    } catch (NoSuchFileException e) {
      throw new AppcException("image store: no image " + image.id() + " in the store (removed "
          + "meanwhile?)", e);
    } catch (IOException e) {
      throw new AppcException("image store: reading the manifest of " + image.id() + ": "
          + describe(e), e);
    }
  }

  // ---------------------------------------------------------------- changes

  /** Records that the image was used now ({@link #gc} keeps recently used images). */
  public void markUsed(ImageId id) throws AppcException {
    try (StoreLock.Held held = lock.exclusive()) {
      StoredImage old = getLocked(id).orElseThrow(() -> notFound(id.value()));
      writeRecord(new StoredImage(old.id(), old.name(), old.labels(), old.importTime(),
          clock.instant(), old.size(), old.source(), old.signed()));
    } catch (IOException e) {
      throw new AppcException("image store: recording the use of " + id + ": " + describe(e), e);
    }
  }

  /**
   * Removes the images {@code refs} name: an ID or ID prefix names one image, a name every
   * image that matches it (as rkt's {@code image rm}). If any ref matches nothing, nothing is
   * removed. Returns the removed images.
   */
  public List<StoredImage> remove(List<String> refs) throws AppcException {
    try (StoreLock.Held held = lock.exclusive()) {
      Map<ImageId, StoredImage> targets = new LinkedHashMap<>();
      for (String ref : refs) {
        List<StoredImage> found = matchesLocked(ref, true);
        if (found.isEmpty()) {
          throw new AppcException("rm: no image " + ref + " in the store (nothing was removed; "
              + "actool image list shows the images it holds)");
        }
        found.forEach(i -> targets.putIfAbsent(i.id(), i));
      }
      for (StoredImage image : targets.values()) {
        deleteImageLocked(image);
      }
      return List.copyOf(targets.values());
    } catch (IOException e) {
      throw new AppcException("rm: " + describe(e), e);
    }
  }

  /**
   * Removes the images not used (last use, else import) within {@code gracePeriod} before
   * {@code now}, then the garbage: archives, manifests and signatures without a record, rendered
   * trees whose image or a layer is gone or that are incomplete, remote entries of removed
   * images, and temporary files of processes that are no longer running. Returns the removed
   * images.
   */
  public List<StoredImage> gc(Duration gracePeriod, Instant now) throws AppcException {
    try (StoreLock.Held held = lock.exclusive()) {
      Instant cutoff = now.minus(gracePeriod);
      List<StoredImage> removed = new ArrayList<>();
      for (StoredImage image : recordsLocked()) {
        Instant used = image.lastUsed() != null ? image.lastUsed() : image.importTime();
        if (used.isBefore(cutoff)) {
          deleteImageLocked(image);
          removed.add(image);
        }
      }
      collectGarbageLocked();
      return removed;
    } catch (IOException e) {
      throw new AppcException("gc: " + describe(e), e);
    }
  }

  /**
   * Re-hashes the stored archive and fails if it no longer hashes to the image's ID, saying how
   * to fix it; also checks every rendered tree of the image against its recorded checksum.
   */
  public void verify(StoredImage image) throws AppcException {
    String fix = "remove it with actool image rm " + image.id() + " and fetch it again";
    try (StoreLock.Held held = lock.shared()) {
      Path blob = blobFile(image.id());
      if (!Files.isRegularFile(blob)) {
        throw new AppcException("verify: image " + image.nameAndVersion() + " (" + image.id()
            + ") has no archive in the store: " + fix);
      }
      String actual;
      try {
        actual = AciArchive.imageId(blob, limits);
      } catch (AppcException e) {
        throw new AppcException("verify: image " + image.nameAndVersion() + " (" + image.id()
            + ") cannot be read: " + e.getMessage() + "; " + fix, e);
      }
      if (!actual.equals(image.id().value())) {
        throw new AppcException("verify: image " + image.nameAndVersion() + " (" + image.id()
            + ") no longer hashes to its ID (its archive hashes to " + actual + "): the stored "
            + "copy is damaged; " + fix);
      }
      for (Path tree : treesOfLocked(image.id())) {
        Records.Tree marker = Records.tree(Files.readAllBytes(tree.resolve(TREE_MARKER)));
        String sum = TreeChecksum.of(tree.resolve("rootfs"));
        if (!sum.equals(marker.checksum())) {
          throw new AppcException("verify: the rendered tree " + tree + " of image "
              + image.nameAndVersion() + " was changed (its checksum was " + marker.checksum()
              + ", it is now " + sum + "); " + fix);
        }
      }
    } catch (IOException e) {
      throw new AppcException("verify: " + image.id() + ": " + describe(e), e);
    }
  }

  // ---------------------------------------------------------------- remotes

  /**
   * What was downloaded from {@code url}, if anything and if that image is still stored.
   */
  public Optional<RemoteEntry> remote(String url) throws AppcException {
    try (StoreLock.Held held = lock.shared()) {
      Path file = remoteFile(url);
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      RemoteEntry e = Records.remote(Files.readAllBytes(file));
      if (!e.url().equals(url) || !Files.exists(recordFile(e.imageId()))) {
        return Optional.empty();
      }
      return Optional.of(e);
    } catch (IOException e) {
      throw new AppcException("image store: reading the cache entry of " + url + ": "
          + describe(e) + " (actool image gc removes broken entries)", e);
    }
  }

  /** Records what was downloaded from a URL, replacing an earlier entry for it. */
  public void putRemote(RemoteEntry entry) throws AppcException {
    try (StoreLock.Held held = lock.exclusive()) {
      writeAtomically(remoteFile(entry.url()), Records.remote(entry));
    } catch (IOException e) {
      throw new AppcException("image store: recording the download of " + entry.url() + ": "
          + describe(e), e);
    }
  }

  // ---------------------------------------------------------------- rendering

  /**
   * The rendered root filesystem of {@code image} with its dependencies (see {@link Renderer}),
   * cached under the store by the image and the IDs of its resolved layers: rendered once under
   * a temporary name and renamed into place, then reused, never re-extracted. Device nodes are
   * left out.
   */
  public Path renderedTree(StoredImage image, DependencyResolver resolver) throws AppcException {
    List<Renderer.Layer> layers = Renderer.plan(this, image, resolver);
    Path tree = trees.resolve(treeKey(layers));
    try (StoreLock.Held held = lock.shared()) {
      if (Files.isRegularFile(tree.resolve(TREE_MARKER))) {
        return tree.resolve("rootfs");
      }
      List<Path> temps = new ArrayList<>();
      try {
        Path work = newTempDir("render", temps);
        Path content = work.resolve("tree");
        ExtractResult rendered = Renderer.render(this, layers, content, ExtractOptions.defaults());
        if (!rendered.owners().isEmpty()) {
          Files.write(content.resolve(TREE_OWNERS), Records.owners(rendered.owners()));
        }
        String checksum = TreeChecksum.of(content.resolve("rootfs"));
        Files.write(content.resolve(TREE_MARKER), Records.tree(new Records.Tree(image.id(),
            layers.stream().map(l -> l.image().id()).toList(), checksum)));
        try {
          Files.move(content, tree, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          // ENOTEMPTY: another thread or process installed the same tree meanwhile; use theirs
          if (!Files.isRegularFile(tree.resolve(TREE_MARKER))) {
            throw new AppcException("render: " + image.name() + " (" + image.id() + "): cannot "
                + "put the rendered tree at " + tree + ": " + describe(e) + " (an incomplete tree "
                + "is in the way: actool image gc removes it)", e);
          }
        }
      } finally {
        for (Path t : temps) {
          deleteTree(t);
        }
      }
      return tree.resolve("rootfs");
    } catch (IOException e) {
      throw new AppcException("render: " + image.name() + " (" + image.id() + "): "
          + describe(e), e);
    }
  }

  /**
   * The owners that the rendering of a tree {@link #renderedTree} returned could not give its
   * entries, because it ran as an unprivileged user: each entry whose archive owner is not 0:0,
   * the top layer's where layers overlap, paths relative to {@code rootfs}. Empty for a tree
   * rendered as root (it has its owners) and for one cached before owners were recorded.
   */
  public List<EntryOwner> treeOwners(Path rootfs) throws AppcException {
    Path file = rootfs.resolveSibling(TREE_OWNERS);
    try {
      return Records.owners(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new AppcException("render: cannot read the owners of the rendered tree " + rootfs.getParent() + " ("
          + file + "): " + describe(e) + " (the cached tree is damaged: remove its image with actool image rm "
          + "and fetch it again)", e);
    }
  }

  /**
   * Renders {@code image} with its dependencies into {@code target} ({@code target/manifest}
   * and {@code target/rootfs}, or with {@code rootfsOnly} the root filesystem as {@code target}).
   * The result is made under a temporary name next to {@code target} and renamed into place,
   * replacing an existing {@code target} only with {@code overwrite}.
   */
  public ExtractResult render(StoredImage image, DependencyResolver resolver, Path target,
      boolean overwrite, boolean rootfsOnly) throws AppcException {
    return render(image, resolver, target, overwrite, rootfsOnly, ProgressListener.NONE);
  }

  /**
   * {@link #render(StoredImage, DependencyResolver, Path, boolean, boolean)}, telling {@code
   * progress} the bytes of the layers' archives read so far against their sum.
   */
  public ExtractResult render(StoredImage image, DependencyResolver resolver, Path target,
      boolean overwrite, boolean rootfsOnly, ProgressListener progress) throws AppcException {
    List<Renderer.Layer> layers = Renderer.plan(this, image, resolver);
    return intoTarget("render", target, overwrite, rootfsOnly,
        temp -> Renderer.render(this, layers, temp, ExtractOptions.defaults(), progress));
  }

  /**
   * Extracts {@code image} alone (no dependencies, no whitelist) into {@code target} like
   * {@link #render}. Device nodes are left out with a warning.
   */
  public ExtractResult extract(StoredImage image, Path target, boolean overwrite,
      boolean rootfsOnly) throws AppcException {
    return extract(image, target, overwrite, rootfsOnly, ProgressListener.NONE);
  }

  /**
   * {@link #extract(StoredImage, Path, boolean, boolean)}, telling {@code progress} the bytes of
   * the archive read so far against its size.
   */
  public ExtractResult extract(StoredImage image, Path target, boolean overwrite,
      boolean rootfsOnly, ProgressListener progress) throws AppcException {
    List<Renderer.Layer> alone = List.of(new Renderer.Layer(image,
        manifest(image).withPathWhitelist(List.of()), 0, null));
    return intoTarget("extract", target, overwrite, rootfsOnly,
        temp -> Renderer.render(this, alone, temp, ExtractOptions.defaults(), progress));
  }

  /** Copies the stored archive to {@code out} (temporary name, then rename). */
  public void export(StoredImage image, Path out, boolean overwrite) throws AppcException {
    Path target = out.toAbsolutePath().normalize();
    refuseExisting("export", out, target, overwrite);
    Path temp = null;
    try (StoreLock.Held held = lock.shared()) {
      temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".",
          ".tmp");
      Files.copy(blobFile(image.id()), temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      temp = null;
    } catch (IOException e) {
      throw new AppcException("export: " + out + ": " + describe(e), e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  /** Fills a fresh directory (missing, to be created) with a rendered layout. */
  private interface Fill {
    ExtractResult into(Path dir) throws AppcException;
  }

  private ExtractResult intoTarget(String op, Path target, boolean overwrite, boolean rootfsOnly,
      Fill fill) throws AppcException {
    Path t = target.toAbsolutePath().normalize();
    refuseExisting(op, target, t, overwrite);
    if (t.getParent() == null) {
      throw new AppcException(op + ": refusing to replace / (give another directory)");
    }
    List<Path> temps = new ArrayList<>();
    String prefix = "." + t.getFileName() + "." + op + "-";
    removeDeadTemps(t.getParent(), prefix);
    try (StoreLock.Held held = lock.shared()) {
      Path work = Files.createTempDirectory(t.getParent(),
          prefix + ProcessHandle.current().pid() + "-");
      temps.add(work);
      Path layout = work.resolve("layout");
      ExtractResult result = fill.into(layout);
      Path made = rootfsOnly ? layout.resolve("rootfs") : layout;
      Path old = null;
      if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
        old = work.resolve("old");
        Files.move(t, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(made, t, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (old != null) {
          Files.move(old, t, StandardCopyOption.ATOMIC_MOVE);
        }
        throw e;
      }
      return result;
    } catch (IOException e) {
      throw new AppcException(op + ": " + target + ": " + describe(e), e);
    } finally {
      for (Path p : temps) {
        deleteTree(p);
      }
    }
  }

  /** Deletes {@code PREFIX<pid>-*} directories in {@code dir} whose process is gone. */
  private static void removeDeadTemps(Path dir, String prefix) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path p : ds) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        String pid = dash < 0 ? "" : rest.substring(0, dash);
        if (pid.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      // best effort: the new directory is made anyway
    }
  }

  private static void refuseExisting(String op, Path given, Path target, boolean overwrite)
      throws AppcException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
      throw new AppcException(op + ": " + given + " exists (use --overwrite to replace it)");
    }
    if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
      throw new AppcException(op + ": the parent directory of " + given + " does not exist");
    }
  }

  // ---------------------------------------------------------------- internals (lock held)

  private Path blobFile(ImageId id) {
    return blobs.resolve(id.hex());
  }

  private Path signatureFile(ImageId id) {
    return blobs.resolve(id.hex() + SIGNATURE);
  }

  private Path recordFile(ImageId id) {
    return images.resolve(id.hex() + RECORD);
  }

  private Path remoteFile(String url) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return remotes.resolve(HexFormat.of().formatHex(d) + RECORD);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JRE", e);
    }
  }

  private static ImageId parseId(String idOrPrefix) throws AppcException {
    ImageId id;
    try {
      id = ImageId.parse(idOrPrefix);
    } catch (InvalidValueException e) {
      throw new AppcException(e.getMessage());
    }
    if (id.hex().length() < MIN_PREFIX_DIGITS) {
      throw new AppcException("image ID prefix " + idOrPrefix + " is too short: give " + ID_PREFIX
          + " and at least " + MIN_PREFIX_DIGITS + " hex digits");
    }
    return id;
  }

  private static AppcException notFound(String ref) {
    String fetch = ref.startsWith(ID_PREFIX) ? "" : "; get it with actool fetch " + ref;
    return new AppcException("no image " + ref + " in the store (actool image list shows the "
        + "images it holds" + fetch + ")");
  }

  private Optional<StoredImage> record(ImageId id) throws AppcException {
    Path file = recordFile(id);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Records.image(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new AppcException("image store: the record " + file + " is unreadable: "
          + describe(e) + "; delete it (actool image gc then removes the rest of the image)", e);
    }
  }

  private Optional<StoredImage> getLocked(ImageId id) throws AppcException {
    if (id.isFull()) {
      return record(id);
    }
    List<String> hexes = new ArrayList<>();
    for (String hex : recordHexes()) {
      if (hex.startsWith(id.hex())) {
        hexes.add(hex);
      }
    }
    if (hexes.size() > 1) {
      List<String> candidates = new ArrayList<>();
      for (String hex : hexes) {
        ImageId full = ImageId.parse(ID_PREFIX + hex);
        candidates.add(full + record(full).map(i -> " (" + i.nameAndVersion() + ")").orElse(""));
      }
      throw new AppcException("image ID prefix " + id + " is ambiguous: it matches "
          + String.join(", ", candidates) + "; give more digits");
    }
    return hexes.isEmpty() ? Optional.empty() : record(ImageId.parse(ID_PREFIX + hexes.get(0)));
  }

  /** The hex digits of every recorded image, sorted. */
  private Set<String> recordHexes() throws AppcException {
    Set<String> hexes = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(images, "*" + RECORD)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        hexes.add(n.substring(0, n.length() - RECORD.length()));
      }
    } catch (IOException e) {
      throw new AppcException("image store: cannot list " + images + ": " + describe(e), e);
    }
    return hexes;
  }

  private List<StoredImage> recordsLocked() throws AppcException {
    List<StoredImage> all = new ArrayList<>();
    for (String hex : recordHexes()) {
      ImageId id;
      try {
        id = ImageId.parse(ID_PREFIX + hex);
      } catch (InvalidValueException e) {
        continue; // not a record of ours
      }
      record(id).ifPresent(all::add);
    }
    all.sort(Comparator.comparing(StoredImage::importTime)
        .thenComparing(i -> i.id().value()));
    return all;
  }

  private List<StoredImage> findLocked(AcIdentifier name, Labels requested)
      throws AppcException {
    List<StoredImage> found = new ArrayList<>();
    for (StoredImage i : recordsLocked()) {
      if (i.name().equals(name) && matches(i.labels(), requested)) {
        found.add(i);
      }
    }
    found.sort(Comparator.comparing(StoredImage::importTime).reversed()
        .thenComparing(i -> i.id().value()));
    return found;
  }

  private static boolean matches(Labels labels, Labels requested) {
    for (Label l : requested.list()) {
      if (!labels.get(l.name().value()).map(l.value()::equals).orElse(false)) {
        return false;
      }
    }
    return true;
  }

  /**
   * What {@code ref} names: an ID or prefix gives at most one image; a name every match, newest
   * first (all of them when {@code all}, else only the newest).
   */
  private List<StoredImage> matchesLocked(String ref, boolean all) throws AppcException {
    if (ref.startsWith(ID_PREFIX)) {
      return getLocked(parseId(ref)).map(List::of).orElse(List.of());
    }
    NameAndLabels nl;
    try {
      nl = NameAndLabels.parse(ref);
    } catch (InvalidValueException e) {
      throw new AppcException(e.getMessage() + " (give an image ID, sha512-..., or "
          + "name[:version][,label=value...])");
    }
    List<StoredImage> found = findLocked(nl.name(), nl.labels());
    return all || found.isEmpty() ? found : found.subList(0, 1);
  }

  private void writeRecord(StoredImage image) throws IOException {
    writeAtomically(recordFile(image.id()), Records.image(image));
  }

  private void writeAtomically(Path file, byte[] bytes) throws IOException {
    List<Path> temps = new ArrayList<>();
    try {
      Path t = newTemp("write", RECORD, temps);
      Files.write(t, bytes);
      move(t, file);
    } finally {
      for (Path t : temps) {
        deleteQuietly(t);
      }
    }
  }

  /** Removes an image: its record first (then it is gone), the rest after. */
  private void deleteImageLocked(StoredImage image) throws IOException {
    ImageId id = image.id();
    Files.deleteIfExists(recordFile(id));
    Files.deleteIfExists(images.resolve(id.hex() + MANIFEST));
    Files.deleteIfExists(blobFile(id));
    Files.deleteIfExists(signatureFile(id));
    List<Path> temps = new ArrayList<>();
    try {
      for (Path tree : treesNamedFor(id)) {
        retire(tree, temps);
      }
    } finally {
      temps.forEach(ImageStore::deleteTree);
    }
  }

  /** The tree directories of an image (complete or not), by name. */
  private List<Path> treesNamedFor(ImageId id) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(trees, id.hex() + "-*")) {
      ds.forEach(found::add);
    }
    return found;
  }

  /** The complete rendered trees of an image. */
  private List<Path> treesOfLocked(ImageId id) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path t : treesNamedFor(id)) {
      if (Files.isRegularFile(t.resolve(TREE_MARKER))) {
        found.add(t);
      }
    }
    return found;
  }

  private void collectGarbageLocked() throws IOException, AppcException {
    Set<String> live = recordHexes();
    List<Path> temps = new ArrayList<>();
    try {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(blobs)) {
        for (Path p : ds) {
          String n = p.getFileName().toString();
          if (!live.contains(n.endsWith(SIGNATURE) ? n.substring(0, n.length() - 4) : n)) {
            Files.deleteIfExists(p);
          }
        }
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(images, "*" + MANIFEST)) {
        for (Path p : ds) {
          String n = p.getFileName().toString();
          if (!live.contains(n.substring(0, n.length() - MANIFEST.length()))) {
            Files.deleteIfExists(p);
          }
        }
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(trees)) {
        for (Path tree : ds) {
          if (!treeIsLive(tree, live)) {
            retire(tree, temps);
          }
        }
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(remotes)) {
        for (Path p : ds) {
          if (!remoteIsLive(p, live)) {
            Files.deleteIfExists(p);
          }
        }
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
        for (Path p : ds) {
          Matcher m = TEMP_NAME.matcher(p.getFileName().toString());
          if (!m.matches() || ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
            temps.add(p);
          }
        }
      }
    } finally {
      temps.forEach(ImageStore::deleteTree);
    }
  }

  private static boolean treeIsLive(Path tree, Set<String> live) {
    try {
      Records.Tree t = Records.tree(Files.readAllBytes(tree.resolve(TREE_MARKER)));
      if (!live.contains(t.image().hex())) {
        return false;
      }
      for (ImageId layer : t.layers()) {
        if (!live.contains(layer.hex())) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false; // no marker: incomplete
    }
  }

  private static boolean remoteIsLive(Path file, Set<String> live) {
    try {
      return live.contains(Records.remote(Files.readAllBytes(file)).imageId().hex());
    } catch (IOException e) {
      return false;
    }
  }

  /** The tree's key: the image and a digest of its resolved layers, top first. */
  private static String treeKey(List<Renderer.Layer> layers) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (Renderer.Layer l : layers) {
        d.update((l.image().id().value() + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      return layers.get(0).image().id().hex() + "-"
          + HexFormat.of().formatHex(d.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JRE", e);
    }
  }

  /** A new file under tmp/ named {@code OP-PID-...SUFFIX}, added to {@code temps}. */
  private Path newTemp(String op, String suffix, List<Path> temps) throws IOException {
    Path t = Files.createTempFile(tmp, op + "-" + ProcessHandle.current().pid() + "-", suffix);
    temps.add(t);
    return t;
  }

  private Path newTempDir(String op, List<Path> temps) throws IOException {
    Path t = Files.createTempDirectory(tmp, op + "-" + ProcessHandle.current().pid() + "-");
    temps.add(t);
    return t;
  }

  /** Moves a directory out of the way into tmp/ in one rename, to be deleted there. */
  private void retire(Path path, List<Path> temps) throws IOException {
    Path away = tmp.resolve("retired-" + ProcessHandle.current().pid() + "-"
        + path.getFileName() + "-" + System.nanoTime());
    try {
      Files.move(path, away, StandardCopyOption.ATOMIC_MOVE);
      temps.add(away);
    } catch (NoSuchFileException e) {
      // retired by another process meanwhile
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // left for gc
    }
  }

  /** Deletes a tree without following symlinks; quiet (what stays is gc's). */
  private static void deleteTree(Path root) {
    FileTrees.deleteQuietly(root);
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    return e.getMessage();
  }
}
