package org.appctools.build;

import org.appctools.fs.ProcessUser;
import org.appctools.fs.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.compress.Compression;
import java.util.OptionalLong;
import org.appctools.aci.AciArchive;
import org.appctools.aci.AciBuilder;
import org.appctools.aci.AciExtractor;
import org.appctools.aci.BuildOptions;
import org.appctools.aci.BuildResult;
import org.appctools.aci.ExtractOptions;
import org.appctools.aci.ExtractResult;
import org.appctools.aci.ReadLimits;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.SchemaException;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.tar.TarEntryType;

/**
 * One acbuild build in progress: the image being built, kept in the context directory
 * {@code WORK/.acbuild}, and the exclusive lock on it.
 *
 * <h2>Context layout</h2>
 * <pre>
 * .acbuild/lock                  locked (flock) while a session is open
 * .acbuild/current               symlink naming the current generation, e.g. gen-3
 * .acbuild/gen-N/image/manifest  the image as a layout directory, ready for AciBuilder
 * .acbuild/gen-N/image/rootfs/
 * .acbuild/gen-N/owners          (unprivileged builds) owners the files should have, applied at write
 * </pre>
 *
 * A build begun in OCI mode ({@link #beginOci}) has no {@code manifest}; instead:
 * <pre>
 * .acbuild/mode                  "oci"
 * .acbuild/gen-N/oci-build       the image state (opaque here: the oci package's), the history
 *                                lines and the sealed layers, in one file written atomically
 * .acbuild/sealed/ID/rootfs      a sealed layer: a hard-link clone of the rootfs when it was sealed
 * .acbuild/sealed/ID/owners      (unprivileged builds) its recorded owners
 * .acbuild/blobs/HEX             the start image's layer blobs, kept as they are
 * </pre>
 *
 * <h2>Atomicity</h2>
 * Every command leaves the context as before or as after it, whenever the process dies:
 * <ul>
 *   <li>manifest edits write {@code manifest.tmp}, force it to disk and rename it over
 *       {@code manifest}: the cost does not depend on the size of the rootfs;
 *   <li>rootfs changes ({@code copy}, {@code copy-to-dir}) make generation N+1 as a hard-link
 *       clone of N ({@code cp -a -l}: directories are new, files are shared), copy the source
 *       into a staging directory inside it and rename the staged entries into place, so no inode
 *       shared with generation N is ever written, chmod-ed or chown-ed; then {@code current} is
 *       switched by renaming a new symlink over it, and generation N is deleted;
 *   <li>{@code run} runs the command over N with an overlay whose upper directory lies in N+1
 *       ({@code gen-N+1/run/upper}), then makes N+1 as a clone of N with those changes applied
 *       the same way (see {@link #run});
 *   <li>{@code begin} builds the whole context in {@code .acbuild.begin-PID} and renames it to
 *       {@code .acbuild} last; {@code end} renames {@code .acbuild} away before deleting it;
 *   <li>{@link #open} removes what an interrupted command left: generations that {@code current}
 *       does not name, {@code *.tmp} files; {@code begin} removes the leftovers of dead
 *       processes' begins and ends.
 * </ul>
 *
 * <h2>Unprivileged builds</h2>
 * Not running as root, files cannot be given other users' owners. The session then records the
 * owner each file should have (from the source, an archive, or {@link CopyOptions}) in the
 * generation's {@code owners} file when it differs from the owner on disk, and {@link #write}
 * stores those owners in the archive. Device nodes cannot be created unprivileged: such a copy
 * fails with the error of {@code cp} or {@code tar}, and an archive holding one is refused,
 * rather than losing them.
 *
 * <p>Archives (ACIs and plain rootfs tarballs alike) are extracted by {@link AciExtractor},
 * never by an external {@code tar}: hostile entries are refused by name and nothing is left.
 *
 * <p>Core never prints: warnings are returned by {@link #warnings()} and in {@link WriteResult}.
 */
public final class BuildSession implements AutoCloseable {
  /** The name of the context directory under the work path. */
  public static final String CONTEXT = ".acbuild";
  /** The name of a build whose name was never set; {@link #write} refuses it. */
  public static final String PLACEHOLDER_NAME = "acbuild-unnamed";

  private static final String CURRENT = "current";
  private static final String GEN = "gen-";
  private static final String IMAGE = "image";
  private static final String OWNERS = "owners";
  private static final String STAGE = "stage";
  private static final String RUN = "run";
  private static final String BEGIN_TMP = CONTEXT + ".begin-";
  private static final String END_TMP = CONTEXT + ".end-";
  private static final int MAX_SYMLINKS = 40;
  private static final String MODE = "mode";
  private static final String OCI_BUILD = "oci-build";
  private static final String SEALED = "sealed";
  private static final String BLOBS = "blobs";

  /** The image format a build makes, chosen at begin ({@code --build-mode}). */
  public enum Mode {
    /** An ACI: the manifest is an appc image manifest. */
    APPC,
    /** An OCI image: the image state is kept by the {@code oci} package, the rootfs in layers. */
    OCI
  }

  /**
   * A layer sealed by {@link #seal} (or the start image's layers, sealed at begin): the rootfs as
   * it was then, and the owners recorded for it in an unprivileged build.
   */
  public record Sealed(Path rootfs, Map<String, BuildOptions.Owner> owners) {
    public Sealed {
      owners = Map.copyOf(owners);
    }
  }

  /** A change of an OCI build's image state. */
  @FunctionalInterface
  public interface StateEdit {
    byte[] apply(byte[] state) throws AppcException;
  }

  private final Path workPath;
  private final Path context;
  private final boolean privileged;
  private final List<String> warnings = new ArrayList<>();
  private FileChannel lockChannel;
  private long generation;
  private ImageManifest manifest;
  private Map<String, BuildOptions.Owner> owners;
  private Mode mode = Mode.APPC;
  private OciRecord oci;

  private BuildSession(Path workPath, boolean privileged) {
    this.workPath = workPath;
    this.context = workPath.resolve(CONTEXT);
    this.privileged = privileged;
  }

  // ---------------------------------------------------------------- begin, open, end

  /** Starts a build in {@code workPath} from {@code source} and opens it. */
  public static BuildSession begin(Path workPath, BeginSource source) throws AppcException {
    return begin(workPath, source, ProcessUser.isRoot());
  }

  /** {@link #begin(Path, BeginSource)} acting as root or not (tests the unprivileged path). */
  static BuildSession begin(Path workPath, BeginSource source, boolean privileged)
      throws AppcException {
    return begin(workPath, source, privileged, null, null);
  }

  /**
   * Starts an OCI-mode build in {@code workPath}: the rootfs from {@code source} as {@link
   * #begin(Path, BeginSource)} makes it (the manifest an ACI source has is not kept), {@code
   * state} as the image state. With {@code baseBlobs} (a directory of the start image's blobs,
   * copied into the context), the rootfs is the start image's and is sealed as its layers.
   */
  public static BuildSession beginOci(Path workPath, BeginSource source, byte[] state,
      Path baseBlobs) throws AppcException {
    return begin(workPath, source, ProcessUser.isRoot(), Objects.requireNonNull(state, "state"),
        baseBlobs);
  }

  /** {@link #beginOci} acting as root or not. */
  static BuildSession beginOci(Path workPath, BeginSource source, byte[] state, Path baseBlobs,
      boolean privileged) throws AppcException {
    return begin(workPath, source, privileged, Objects.requireNonNull(state, "state"), baseBlobs);
  }

  private static BuildSession begin(Path workPath, BeginSource source, boolean privileged,
      byte[] ociState, Path baseBlobs) throws AppcException {
    Path work = workPath.toAbsolutePath().normalize();
    Path context = work.resolve(CONTEXT);
    if (Files.exists(context, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException("begin: build already in progress in " + work
          + " (run acbuild end first)");
    }
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new AppcException("begin: cannot create the work path " + work + ": " + e, e);
    }
    removeDeadLeftovers(work);
    Path tmp = work.resolve(BEGIN_TMP + ProcessHandle.current().pid());
    List<String> notes = new ArrayList<>();
    boolean done = false;
    try {
      deleteTree(tmp);
      Path image = tmp.resolve(GEN + 1).resolve(IMAGE);
      Files.createDirectories(image);
      Map<String, BuildOptions.Owner> owners = new TreeMap<>();
      ImageManifest m = populate(Objects.requireNonNull(source, "source"), work, tmp, image,
          privileged, owners, notes);
      if (ociState == null) {
        writeAtomically(image.resolve("manifest"), m.toJson());
      } else {
        Files.deleteIfExists(image.resolve("manifest"));
        List<String> sealed = new ArrayList<>();
        Files.createDirectory(tmp.resolve(SEALED));
        Files.createDirectory(tmp.resolve(BLOBS));
        if (baseBlobs != null) {
          run("begin", List.of("cp", "-a", "-T", baseBlobs.toString(),
              tmp.resolve(BLOBS).toString()));
          sealRootfs(image.resolve("rootfs"), owners, tmp.resolve(SEALED), "1");
          sealed.add("1");
        }
        writeAtomically(tmp.resolve(GEN + 1).resolve(OCI_BUILD),
            new OciRecord(ociState, List.of(), sealed).toBytes());
        writeAtomically(tmp.resolve(MODE), "oci\n".getBytes(StandardCharsets.US_ASCII));
      }
      writeOwners(tmp.resolve(GEN + 1), owners);
      Files.createFile(tmp.resolve("lock"));
      Files.createSymbolicLink(tmp.resolve(CURRENT), Path.of(GEN + 1));
      if (Files.exists(context, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException("begin: build already in progress in " + work
            + " (run acbuild end first)");
      }
      Files.move(tmp, context, StandardCopyOption.ATOMIC_MOVE);
      done = true;
    } catch (IOException e) {
      throw new AppcException("begin: " + e.getMessage(), e);
    } finally {
      if (!done) {
        deleteQuietly(tmp);
      }
    }
    BuildSession s = open(work, privileged);
    s.warnings.addAll(notes);
    return s;
  }

  private static ImageManifest populate(BeginSource source, Path work, Path tmp, Path image,
      boolean privileged, Map<String, BuildOptions.Owner> owners, List<String> notes)
      throws AppcException, IOException {
    Path rootfs = image.resolve("rootfs");
    if (source instanceof BeginSource.Empty) {
      Files.createDirectory(rootfs);
      Files.setPosixFilePermissions(rootfs, perms(0755));
      return emptyManifest();
    }
    if (source instanceof BeginSource.Generation g) {
      Path saved = g.dir().resolve(IMAGE);
      run("begin", List.of("cp", "-a", "-l", "-T", saved.resolve("rootfs").toString(), rootfs.toString()));
      owners.putAll(readOwners(g.dir()));
      try {
        return ImageManifest.parse(Files.readAllBytes(saved.resolve("manifest")));
      } catch (SchemaException e) {
        throw new AppcException("begin: manifest of " + saved + ": " + e.getMessage(), e);
      }
    }
    if (source instanceof BeginSource.Directory d) {
      Path dir = d.dir().toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw new AppcException("begin: no such directory: " + d.dir());
      }
      copyTreeExcluding(dir.toRealPath(), rootfs, List.of(work.resolve(CONTEXT), tmp));
      if (!privileged) {
        recordTree(dir, rootfs, "", null, null, owners);
      }
      return emptyManifest();
    }
    BeginSource.Archive a = (BeginSource.Archive) source;
    Path file = a.file();
    if (!Files.isRegularFile(file)) {
      throw new AppcException("begin: no such file: " + file);
    }
    if (isAci(file)) {
      if (!privileged) {
        refuseDevices(file);
      }
      ExtractResult r = AciExtractor.extract(file, image,
          ExtractOptions.defaults().withAllowDevices(privileged));
      notes.addAll(r.warnings());
      if (!privileged) {
        recordArchive(file, rootfs, true, owners);
      }
      try {
        return ImageManifest.parse(Files.readAllBytes(image.resolve("manifest")));
      } catch (SchemaException e) {
        throw new AppcException("begin: manifest of " + file + ": " + e.getMessage(), e);
      }
    }
    notes.add("manifest file or rootfs directory is missing in " + file
        + ", assuming build is beginning with a tar of a rootfs");
    ExtractResult r = AciExtractor.extractRootfs(file, rootfs,
        ExtractOptions.defaults().withAllowDevices(privileged));
    notes.addAll(r.warnings());
    if (!privileged) {
      recordArchive(file, rootfs, false, owners);
    }
    return emptyManifest();
  }

  /** True when {@code file} holds a {@code manifest} entry and a {@code rootfs} tree. */
  private static boolean isAci(Path file) throws AppcException {
    boolean[] seen = new boolean[2];
    AciArchive.visit(file, ReadLimits.defaults(), false, (item, content) -> {
      String n = strip(item.name());
      if (n.equals("manifest")) {
        seen[0] = true;
      } else if (n.equals("rootfs") || n.startsWith("rootfs/")) {
        seen[1] = true;
      }
      return !(seen[0] && seen[1]);
    });
    return seen[0] && seen[1];
  }

  /** Fails an unprivileged begin from an ACI holding device nodes, which it cannot create. */
  private static void refuseDevices(Path file) throws AppcException {
    String[] device = new String[1];
    AciArchive.visit(file, ReadLimits.defaults(), false, (item, content) -> {
      if (item.type() == TarEntryType.CHAR_DEVICE || item.type() == TarEntryType.BLOCK_DEVICE) {
        device[0] = strip(item.name());
        return false;
      }
      return true;
    });
    if (device[0] != null) {
      throw new AppcException("begin: " + file + " holds the device node " + device[0]
          + ", which only root can create: run acbuild as root to build on this image");
    }
  }

  private static String strip(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.substring(n.startsWith("/") ? 1 : 2);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }

  /** The manifest of an empty build: the placeholder name and the host's arch and os. */
  static ImageManifest emptyManifest() throws AppcException {
    String os = Labels.appcOs(System.getProperty("os.name", ""));
    String arch = Labels.appcArch(System.getProperty("os.arch", ""), os);
    if (!Labels.VALID_OS_ARCH.containsKey(os)) {
      throw new AppcException("begin: the host os \"" + os + "\" has no appc os label");
    }
    try {
      return ImageManifest.empty(AcIdentifier.parse(PLACEHOLDER_NAME)).withLabels(new Labels(
          List.of(new Label(AcIdentifier.parse("arch"), arch),
              new Label(AcIdentifier.parse("os"), os))));
    } catch (InvalidValueException e) {
      throw new AppcException("begin: " + e.getMessage(), e);
    }
  }

  /** Opens the build in progress in {@code workPath}, taking its lock without waiting. */
  public static BuildSession open(Path workPath) throws AppcException {
    return open(workPath, ProcessUser.isRoot());
  }

  static BuildSession open(Path workPath, boolean privileged) throws AppcException {
    Path work = workPath.toAbsolutePath().normalize();
    BuildSession s = new BuildSession(work, privileged);
    s.lock();
    boolean done = false;
    try {
      s.recover();
      done = true;
      return s;
    } finally {
      if (!done) {
        s.close();
      }
    }
  }

  private void lock() throws AppcException {
    if (!Files.isDirectory(context, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException("build not in progress in " + workPath + " (run acbuild begin)");
    }
    try {
      lockChannel = FileChannel.open(context.resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new AppcException("cannot open the lock of the build in " + workPath + ": " + e, e);
    }
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException e) {
      close();
      throw new AppcException("cannot lock the build in " + workPath + ": " + e, e);
    }
    if (l == null) {
      close();
      throw new AppcException("another acbuild is running in " + workPath
          + " (its lock " + context.resolve("lock") + " is held)");
    }
  }

  /** Reads the current generation and removes whatever an interrupted command left. */
  private void recover() throws AppcException {
    try {
      Path current = context.resolve(CURRENT);
      String target = Files.readSymbolicLink(current).toString();
      if (!target.startsWith(GEN)) {
        throw new AppcException("the build context " + context + " is damaged: " + current
            + " names " + target);
      }
      generation = Long.parseLong(target.substring(GEN.length()));
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(context)) {
        for (Path p : ds) {
          String n = p.getFileName().toString();
          if ((n.startsWith(GEN) && !n.equals(target)) || n.endsWith(".tmp")) {
            deleteTree(p);
          }
        }
      }
      Path gen = genDir(generation);
      Files.deleteIfExists(gen.resolve(IMAGE).resolve("manifest.tmp"));
      Files.deleteIfExists(gen.resolve(OWNERS + ".tmp"));
      Files.deleteIfExists(gen.resolve(OCI_BUILD + ".tmp"));
      deleteTree(gen.resolve(STAGE));
      Path modeFile = context.resolve(MODE);
      if (Files.exists(modeFile)
          && Files.readString(modeFile, StandardCharsets.US_ASCII).strip().equals("oci")) {
        mode = Mode.OCI;
        oci = OciRecord.parse(Files.readAllBytes(gen.resolve(OCI_BUILD)));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(context.resolve(SEALED))) {
          for (Path p : ds) {
            if (!oci.sealed().contains(p.getFileName().toString())) {
              deleteTree(p);
            }
          }
        }
      } else {
        manifest = ImageManifest.parse(Files.readAllBytes(gen.resolve(IMAGE).resolve("manifest")));
      }
      owners = readOwners(gen);
    } catch (NoSuchFileException e) {
      throw new AppcException("the build context " + context + " is damaged: missing "
          + e.getFile() + " (run acbuild end and begin again)", e);
    } catch (SchemaException e) {
      throw new AppcException("the build context " + context + " is damaged: manifest: "
          + e.getMessage(), e);
    } catch (IOException | IllegalArgumentException e) {
      throw new AppcException("cannot read the build context " + context + ": " + e, e);
    }
  }

  /** One change made to a build, as {@link #modify} applies it. */
  @FunctionalInterface
  public interface Change {
    void apply(BuildSession session) throws AppcException;
  }

  /**
   * acbuild's one-shot mode ({@code --modify ACI}): begins a build from the ACI in a temporary
   * work path, applies {@code change}, writes the result over the ACI with the compression it had
   * (atomically: readers see the old or the new file) and ends the build. The temporary work path
   * is removed whatever happens.
   *
   * @return the written image's ID and the warnings of the begin, the change and the write
   */
  public static WriteResult modify(Path aci, Change change, OptionalLong sourceDateEpoch)
      throws AppcException {
    if (!Files.isRegularFile(aci)) {
      throw new AppcException(Files.isDirectory(aci)
          ? "ACI to modify is a directory: " + aci
          : "ACI doesn't appear to exist: " + aci);
    }
    Compression compression = AciArchive.compression(aci);
    Path work;
    try {
      work = Files.createTempDirectory("acbuild-modify");
    } catch (IOException e) {
      throw new AppcException("can't create a temporary build context: " + e.getMessage(), e);
    }
    try (BuildSession s = begin(work, new BeginSource.Archive(aci))) {
      change.apply(s);
      WriteResult written = s.write(aci, new WriteOptions(true, compression, sourceDateEpoch));
      List<String> warnings = new ArrayList<>(s.warnings());
      warnings.addAll(written.warnings());
      s.end();
      return new WriteResult(written.imageId(), warnings);
    } finally {
      deleteTree(work);
    }
  }

  /** Removes the build context and releases the lock; the session is closed afterwards. */
  public void end() throws AppcException {
    checkOpen();
    Path gone = workPath.resolve(END_TMP + ProcessHandle.current().pid());
    try {
      deleteTree(gone);
      Files.move(context, gone, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AppcException("end: cannot remove " + context + ": " + e, e);
    }
    close();
    deleteTree(gone);
  }

  /** Releases the lock. */
  @Override
  public void close() {
    if (lockChannel != null) {
      try {
        lockChannel.close();
      } catch (IOException ignored) {
        // closing releases the lock whatever the outcome
      }
      lockChannel = null;
    }
  }

  // ---------------------------------------------------------------- accessors

  public Path workPath() {
    return workPath;
  }

  /** The appc manifest; null in an OCI-mode build. */
  public ImageManifest manifest() {
    return manifest;
  }

  /** The image format this build makes. */
  public Mode mode() {
    return mode;
  }

  /** The image state of an OCI-mode build, as the {@code oci} package wrote it. */
  public byte[] ociState() throws AppcException {
    requireMode(Mode.OCI, "read the OCI image state");
    return oci.state().clone();
  }

  /**
   * The history lines recorded in an OCI-mode build, oldest first (an appc build records them in
   * its manifest's annotations instead).
   */
  public List<String> ociHistory() throws AppcException {
    requireMode(Mode.OCI, "read the history");
    return oci.history();
  }

  /** The sealed layers of an OCI-mode build, lowest first; the rootfs is the open top layer. */
  public List<Sealed> sealedLayers() throws AppcException {
    requireMode(Mode.OCI, "list the layers");
    List<Sealed> out = new ArrayList<>();
    try {
      for (String id : oci.sealed()) {
        Path dir = context.resolve(SEALED).resolve(id);
        out.add(new Sealed(dir.resolve("rootfs"), readOwners(dir)));
      }
    } catch (IOException e) {
      throw new AppcException("cannot read the layers in " + context + ": " + e, e);
    }
    return out;
  }

  /** The directory of the start image's blobs in an OCI-mode build ({@code HEX} files). */
  public Path blobsDir() throws AppcException {
    requireMode(Mode.OCI, "read the start image's blobs");
    return context.resolve(BLOBS);
  }

  /** Changes the image state of an OCI-mode build and records {@code history}, atomically. */
  public void editOci(String history, StateEdit edit) throws AppcException {
    checkOpen();
    requireMode(Mode.OCI, "edit the image");
    OciRecord next = new OciRecord(edit.apply(oci.state()), oci.history(), oci.sealed())
        .withHistory(history);
    saveOci(next);
  }

  /**
   * {@code acbuild layer}: seals the top layer (a hard-link clone of the rootfs, which later
   * commands never write in place) and starts a new, empty one; atomically.
   */
  public void seal(String history) throws AppcException {
    checkOpen();
    requireMode(Mode.OCI, "start a new layer");
    long max = 0;
    for (String id : oci.sealed()) {
      max = Math.max(max, Long.parseLong(id));
    }
    String id = Long.toString(max + 1);
    try {
      sealRootfs(imageDir().resolve("rootfs"), owners, context.resolve(SEALED), id);
    } catch (IOException e) {
      throw new AppcException("layer: " + e.getMessage(), e);
    }
    List<String> sealed = new ArrayList<>(oci.sealed());
    sealed.add(id);
    saveOci(new OciRecord(oci.state(), oci.history(), sealed).withHistory(history));
  }

  /** Clones {@code rootfs} (hard links) with its owners into {@code sealedDir/id}. */
  private static void sealRootfs(Path rootfs, Map<String, BuildOptions.Owner> owners,
      Path sealedDir, String id) throws IOException, AppcException {
    Path tmp = sealedDir.resolve(id + ".tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    run("layer", List.of("cp", "-a", "-l", "-T", rootfs.toString(),
        tmp.resolve("rootfs").toString()));
    writeOwners(tmp, owners);
    Files.move(tmp, sealedDir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
  }

  private void saveOci(OciRecord next) throws AppcException {
    try {
      writeAtomically(genDir(generation).resolve(OCI_BUILD), next.toBytes());
    } catch (IOException e) {
      throw new AppcException("cannot write the image state in " + context + ": " + e, e);
    }
    oci = next;
  }

  private void requireMode(Mode wanted, String what) throws AppcException {
    if (mode != wanted) {
      throw new AppcException("cannot " + what + " of a build in " + mode.name().toLowerCase(
          java.util.Locale.ROOT) + " mode (this build was begun with --build-mode "
          + mode.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
  }

  /**
   * What an OCI-mode generation holds besides its rootfs, in one file written atomically: the
   * image state, the history lines and the sealed layers. Lines {@code sealed ID}, {@code
   * history BASE64} and one {@code state BASE64}.
   */
  private record OciRecord(byte[] state, List<String> history, List<String> sealed) {
    OciRecord {
      history = List.copyOf(history);
      sealed = List.copyOf(sealed);
    }

    OciRecord withHistory(String line) {
      if (line == null) {
        return this;
      }
      List<String> h = new ArrayList<>(history);
      h.add(line);
      return new OciRecord(state, h, sealed);
    }

    byte[] toBytes() {
      StringBuilder b = new StringBuilder();
      java.util.Base64.Encoder enc = java.util.Base64.getEncoder();
      for (String id : sealed) {
        b.append("sealed ").append(id).append('\n');
      }
      for (String h : history) {
        b.append("history ").append(enc.encodeToString(h.getBytes(StandardCharsets.UTF_8)))
            .append('\n');
      }
      b.append("state ").append(enc.encodeToString(state)).append('\n');
      return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static OciRecord parse(byte[] bytes) {
      java.util.Base64.Decoder dec = java.util.Base64.getDecoder();
      List<String> sealed = new ArrayList<>();
      List<String> history = new ArrayList<>();
      byte[] state = null;
      for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\n")) {
        if (line.startsWith("sealed ")) {
          sealed.add(line.substring(7));
        } else if (line.startsWith("history ")) {
          history.add(new String(dec.decode(line.substring(8)), StandardCharsets.UTF_8));
        } else if (line.startsWith("state ")) {
          state = dec.decode(line.substring(6));
        } else if (!line.isEmpty()) {
          throw new IllegalArgumentException("unknown line in " + OCI_BUILD + ": " + line);
        }
      }
      if (state == null) {
        throw new IllegalArgumentException(OCI_BUILD + " has no state");
      }
      return new OciRecord(state, history, sealed);
    }
  }

  /** Notes of the commands run in this session (e.g. recorded owners, extraction warnings). */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The layout directory ({@code manifest} and {@code rootfs/}) of the current generation. */
  public Path imageDir() {
    return genDir(generation).resolve(IMAGE);
  }

  /** The owners recorded for an unprivileged build, by path relative to the rootfs. */
  public Map<String, BuildOptions.Owner> recordedOwners() {
    return Map.copyOf(owners);
  }

  private Path genDir(long n) {
    return context.resolve(GEN + n);
  }

  private void checkOpen() throws AppcException {
    if (lockChannel == null) {
      throw new AppcException("the build session in " + workPath + " is closed");
    }
  }

  // ---------------------------------------------------------------- manifest commands

  /** Applies {@code edit} and, unless {@code history} is null, records it; atomically. */
  public void edit(String history, ManifestEdit edit) throws AppcException {
    checkOpen();
    requireMode(Mode.APPC, "edit the manifest");
    ImageManifest m;
    try {
      m = edit.apply(manifest);
      if (history != null) {
        m = History.append(m, history);
      }
    } catch (InvalidValueException e) {
      throw new AppcException(e.getMessage(), e);
    }
    saveManifest(m);
  }

  /** Replaces the manifest with {@code json} (validated) and records {@code history}. */
  public void replaceManifest(byte[] json, String history) throws AppcException {
    checkOpen();
    requireMode(Mode.APPC, "replace the manifest");
    ImageManifest m;
    try {
      m = ImageManifest.parse(json);
    } catch (SchemaException e) {
      throw new AppcException("replace-manifest: " + e.getMessage(), e);
    }
    edit(history, x -> m);
  }

  private void saveManifest(ImageManifest m) throws AppcException {
    try {
      writeAtomically(imageDir().resolve("manifest"), m.toJson());
    } catch (IOException e) {
      throw new AppcException("cannot write the manifest in " + context + ": " + e, e);
    }
    manifest = m;
  }

  // ---------------------------------------------------------------- copy

  /**
   * Copies {@code source} to the path {@code dest} of the image, as {@code acbuild copy}: a
   * file or symlink replaces what is at {@code dest} (not a directory); a directory is merged
   * into an existing directory there (so {@code dest} may be {@code /}). Missing parents are
   * created with mode 0755.
   */
  public void copy(Path source, String dest, CopyOptions opts, String history)
      throws AppcException {
    checkOpen();
    requireSource("copy", source);
    changeRootfs(history, (root, stage, rec) -> {
      Path target = resolveInRoot("copy", root, dest, true);
      if (target.getParent() != null && !target.equals(root)) {
        Files.createDirectories(target.getParent());
      }
      stageAndPlace("copy", source, stage, target, root, opts, rec);
    });
  }

  /**
   * Copies each of {@code sources} into the image directory {@code destDir} under its own
   * name, as {@code acbuild copy-to-dir}; the directory is created (mode 0755) when missing.
   */
  public void copyToDir(List<Path> sources, String destDir, CopyOptions opts, String history)
      throws AppcException {
    checkOpen();
    for (Path s : sources) {
      requireSource("copy-to-dir", s);
      if (s.toAbsolutePath().normalize().getFileName() == null) {
        throw new AppcException("copy-to-dir: cannot copy " + s + " into a directory (it has "
            + "no name; use acbuild copy " + s + " " + destDir + ")");
      }
    }
    changeRootfs(history, (root, stage, rec) -> {
      Path dir = resolveInRoot("copy-to-dir", root, destDir, false);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir);
      } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException("copy-to-dir: target \"" + destDir + "\" is not a directory");
      }
      int i = 0;
      for (Path s : sources) {
        Path name = s.toAbsolutePath().normalize().getFileName();
        Path one = stage.resolve(Integer.toString(i++));
        Files.createDirectory(one);
        stageAndPlace("copy-to-dir", s, one, dir.resolve(name.toString()), root, opts, rec);
      }
    });
  }

  private static void requireSource(String op, Path source) throws AppcException {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException(op + ": no such file or directory: " + source);
    }
  }

  @FunctionalInterface
  private interface RootfsChange {
    void apply(Path rootfs, Path stage, Map<String, BuildOptions.Owner> owners)
        throws IOException, AppcException;
  }

  /** Makes generation N+1 from N with {@code change}, then switches {@code current} to it. */
  private void changeRootfs(String history, RootfsChange change) throws AppcException {
    long next = generation + 1;
    Path gen = genDir(next);
    try {
      deleteTree(gen);
      Path image = gen.resolve(IMAGE);
      Files.createDirectories(image);
      run("copy", List.of("cp", "-a", "-l", "-T", imageDir().resolve("rootfs").toString(),
          image.resolve("rootfs").toString()));
      Path stage = gen.resolve(STAGE);
      Files.createDirectory(stage);
      Map<String, BuildOptions.Owner> rec = new TreeMap<>(owners);
      change.apply(image.resolve("rootfs").toRealPath(), stage, rec);
      deleteTree(stage);
      commit(next, history, rec);
    } catch (IOException | InvalidValueException e) {
      deleteQuietly(gen);
      throw new AppcException("copy: " + e.getMessage(), e);
    } catch (AppcException e) {
      deleteQuietly(gen);
      throw e;
    }
  }

  /**
   * Makes generation {@code next} (its rootfs in place) current, with {@code history} (if any)
   * recorded; deletes the old one.
   */
  private void commit(long next, String history, Map<String, BuildOptions.Owner> rec) throws IOException, AppcException {
    Path gen = genDir(next);
    ImageManifest m = manifest;
    OciRecord o = oci;
    if (mode == Mode.APPC) {
      m = history == null ? manifest : History.append(manifest, history);
      writeAtomically(gen.resolve(IMAGE).resolve("manifest"), m.toJson());
    } else {
      o = oci.withHistory(history);
      writeAtomically(gen.resolve(OCI_BUILD), o.toBytes());
    }
    writeOwners(gen, rec);
    Path link = context.resolve(CURRENT + ".tmp");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of(GEN + next));
    Files.move(link, context.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
    syncDir(context);
    long old = generation;
    generation = next;
    manifest = m;
    oci = o;
    owners = rec;
    deleteTree(genDir(old));
  }

  // ---------------------------------------------------------------- run

  /**
   * Runs a command over the rootfs for {@link #run}. With overlayfs, {@code rootfs} is the current
   * generation's rootfs, to be mounted read-only under {@code upper} (an empty directory, with
   * overlay's {@code work} directory beside it), where every change must land; without, {@code
   * rootfs} is a private full copy to change in place, and {@code upper} and {@code work} are
   * null. {@code scratch} is an empty directory for the step's own files. Returns the command's
   * exit status; nothing may stay mounted afterwards.
   */
  @FunctionalInterface
  public interface RunStep {
    int run(Path rootfs, Path upper, Path work, Path scratch) throws AppcException, IOException;
  }

  /**
   * {@code acbuild run}: makes generation N+1 from the command's changes to generation N and
   * switches {@code current} to it, whatever the command's exit status (the Go acbuild keeps the
   * changes of a failed command too); {@code history} is recorded only when it succeeded. With
   * {@code overlay}, N+1 is a hard-link clone of N with the upper directory's changes applied (see
   * {@link OverlayChanges}: no inode of N is written); without, a full copy the command changed
   * in place. Killed at any moment, the build is N (N+1 is removed by the next command) or N+1.
   *
   * @return the command's exit status
   */
  public int run(String history, boolean overlay, RunStep step) throws AppcException {
    checkOpen();
    long next = generation + 1;
    Path gen = genDir(next);
    try {
      deleteTree(gen);
      Path image = gen.resolve(IMAGE);
      Path rootfs = image.resolve("rootfs");
      Path scratch = gen.resolve(RUN);
      Files.createDirectories(image);
      Files.createDirectory(scratch);
      Path current = imageDir().resolve("rootfs");
      Map<String, BuildOptions.Owner> rec = new TreeMap<>(owners);
      int code;
      if (overlay) {
        Path upper = Files.createDirectory(scratch.resolve("upper"));
        Path work = Files.createDirectory(scratch.resolve("work"));
        code = step.run(current, upper, work, scratch);
        run("run", List.of("cp", "-a", "-l", "-T", current.toString(), rootfs.toString()));
        OverlayChanges.Applied applied = OverlayChanges.apply(upper, rootfs);
        if (!privileged) {
          recordRunOwners(rootfs, applied, rec);
        }
      } else if (!privileged) {
        throw new AppcException("run: an unprivileged build needs overlayfs to run a command (this kernel has none)");
      } else {
        run("run", List.of("cp", "-a", "-T", current.toString(), rootfs.toString()));
        code = step.run(rootfs, null, null, scratch);
      }
      deleteTree(scratch);
      commit(next, code != 0 ? null : history, rec);
      return code;
    } catch (IOException | InvalidValueException e) {
      deleteQuietly(gen);
      throw new AppcException("run: " + e.getMessage(), e);
    } catch (AppcException e) {
      deleteQuietly(gen);
      throw e;
    }
  }

  /** Copies {@code source} to {@code stage/x}, applies {@code opts}, and places it. */
  private void stageAndPlace(String op, Path source, Path stage, Path target, Path root,
      CopyOptions opts, Map<String, BuildOptions.Owner> rec) throws IOException, AppcException {
    Path staged = stage.resolve("x");
    run(op, List.of("cp", "-a", "-T", source.toString(), staged.toString()));
    if (opts.mode() != null) {
      run(op, List.of("find", staged.toString(), "-depth", "!", "-type", "l", "-exec", "chmod",
          Integer.toOctalString(opts.mode()), "{}", "+"));
    }
    if (privileged && (opts.uid() != null || opts.gid() != null)) {
      String spec = (opts.uid() != null ? opts.uid().toString() : "")
          + (opts.gid() != null ? ":" + opts.gid() : "");
      run(op, List.of("chown", "-R", "-h", spec, staged.toString()));
    }
    List<Path[]> merged = new ArrayList<>();
    place(op, staged, target, root, new Placing(source, staged, opts, rec), merged);
    if (!merged.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of("sh", "-c",
          "while [ $# -gt 0 ]; do chmod --reference=\"$1\" \"$2\" && "
              + (privileged ? "chown -h --reference=\"$1\" \"$2\" && " : "")
              + "touch -h -r \"$1\" \"$2\" || exit 1; shift 2; done", "sh"));
      for (int i = merged.size() - 1; i >= 0; i--) {
        cmd.add(merged.get(i)[0].toString());
        cmd.add(merged.get(i)[1].toString());
      }
      run(op, cmd);
    }
  }

  /** What {@link #place} needs to record owners of an unprivileged copy. */
  private record Placing(Path source, Path staged, CopyOptions opts,
      Map<String, BuildOptions.Owner> rec) {}

  /**
   * Moves {@code staged} to {@code target} by renames only: a non-directory replaces what is
   * there (never a directory); a directory goes in whole when nothing is there, or is merged
   * into the directory there (through a symlink resolved inside the rootfs).
   */
  private void place(String op, Path staged, Path target, Path root, Placing p,
      List<Path[]> merged) throws IOException, AppcException {
    boolean stagedDir = Files.isDirectory(staged, LinkOption.NOFOLLOW_LINKS);
    String shown = "/" + root.relativize(target);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      record(staged, target, root, p, true);
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    if (!stagedDir) {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException(op + ": cannot overwrite directory " + shown
            + " with a non-directory");
      }
      record(staged, target, root, p, true);
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    Path dir = target;
    if (Files.isSymbolicLink(target)) {
      dir = resolveInRoot(op, root, root.relativize(target).toString(), false);
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException(op + ": cannot overwrite non-directory " + shown
          + " with a directory");
    }
    List<String> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(staged)) {
      for (Path c : ds) {
        children.add(c.getFileName().toString());
      }
    }
    children.sort(null);
    for (String c : children) {
      place(op, staged.resolve(c), dir.resolve(c), root, p, merged);
    }
    record(staged, dir, root, p, false);
    merged.add(new Path[] {staged, dir});
  }

  /** Records the wanted owners of {@code staged} (and below, when whole) at {@code target}. */
  private void record(Path staged, Path target, Path root, Placing p, boolean whole)
      throws IOException {
    String rel = root.relativize(target).toString();
    if (whole) {
      String prefix = rel + "/";
      p.rec().keySet().removeIf(k -> k.equals(rel) || k.startsWith(prefix));
    }
    if (privileged) {
      p.rec().remove(rel);
      return;
    }
    Path src = p.source().resolve(p.staged().relativize(staged).toString());
    if (whole) {
      recordTree(src, staged, rel, p.opts().uid(), p.opts().gid(), p.rec());
    } else {
      recordOne(src, staged, rel, p.opts().uid(), p.opts().gid(), p.rec());
    }
  }

  /**
   * The owners of an unprivileged build after a run: the command ran as root in a user namespace
   * that maps this user to root, so what it made (on disk this user's) belongs to root; a file it
   * changed keeps the owner recorded for it; what it deleted loses its records.
   */
  private static void recordRunOwners(Path rootfs, OverlayChanges.Applied applied, Map<String, BuildOptions.Owner> rec)
      throws IOException {
    for (String d : applied.deleted()) {
      rec.keySet().removeIf(k -> k.equals(d) || k.startsWith(d + "/"));
    }
    for (String c : applied.created()) {
      Files.walkFileTree(rootfs.resolve(c), new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          recordWanted(dir, rootfs.relativize(dir).toString(), 0, 0, rec);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          recordWanted(file, rootfs.relativize(file).toString(), 0, 0, rec);
          return FileVisitResult.CONTINUE;
        }
      });
    }
    for (String r : applied.replaced()) {
      if (!rec.containsKey(r)) {
        recordWanted(rootfs.resolve(r), r, 0, 0, rec);
      }
    }
  }

  // ---------------------------------------------------------------- save

  /**
   * Saves the current generation into the new directory {@code target} ({@code image/manifest},
   * {@code image/rootfs/} hard-linked, {@code owners}) for {@link BeginSource.Generation}: the
   * build cache keeps the state after a step this way. {@code target} must be on the context's
   * file system.
   */
  public void saveGeneration(Path target) throws AppcException {
    checkOpen();
    try {
      Path image = target.resolve(IMAGE);
      Files.createDirectories(image);
      run("save", List.of("cp", "-a", "-l", "-T", imageDir().resolve("rootfs").toString(),
          image.resolve("rootfs").toString()));
      Files.copy(imageDir().resolve("manifest"), image.resolve("manifest"));
      writeOwners(target, owners);
    } catch (IOException e) {
      throw new AppcException("save: cannot save the build in " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * The path of {@code rel} inside the root filesystem {@code rootfs}, its symlinks resolved as
   * if {@code rootfs} were {@code /} (the last one too), never outside {@code rootfs}.
   */
  public static Path pathInRootfs(String op, Path rootfs, String rel) throws AppcException {
    return resolveInRoot(op, rootfs, rel, false);
  }

  // ---------------------------------------------------------------- write

  /**
   * Writes the image as an ACI to {@code out}. Refuses the placeholder name, as the Go tool;
   * warns when the image has an app without exec. Nothing is printed.
   */
  public WriteResult write(Path out, WriteOptions opts) throws AppcException {
    return write(out, opts, ProgressListener.NONE);
  }

  /** {@link #write(Path, WriteOptions)}, telling {@code progress} the bytes archived so far. */
  public WriteResult write(Path out, WriteOptions opts, ProgressListener progress)
      throws AppcException {
    checkOpen();
    requireMode(Mode.APPC, "write an ACI");
    if (manifest.name().value().equals(PLACEHOLDER_NAME)) {
      throw new AppcException("write: can't write ACI, name was never set (use acbuild "
          + "set-name)");
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !opts.overwrite()) {
      throw new AppcException("write: ACI already exists: " + out + " (use --overwrite)");
    }
    List<String> notes = new ArrayList<>();
    if (manifest.app() == null) {
      notes.add("exec command was never set (the image has no app: it can serve only as a dependency)");
    } else if (manifest.app().exec().isEmpty()) {
      notes.add("exec command was never set");
    }
    BuildResult r = AciBuilder.build(imageDir(), out, new BuildOptions(opts.compression(), false,
        opts.overwrite(), opts.sourceDateEpoch(), owners, opts.compressionLevel()), progress);
    notes.addAll(r.warnings());
    return new WriteResult(r.imageId(), notes);
  }

  // ---------------------------------------------------------------- owners

  private static void recordTree(Path src, Path copy, String rel, Long uid, Long gid,
      Map<String, BuildOptions.Owner> rec) throws IOException {
    Files.walkFileTree(copy, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        visit(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        visit(file);
        return FileVisitResult.CONTINUE;
      }

      private void visit(Path p) throws IOException {
        String sub = copy.relativize(p).toString();
        String key = sub.isEmpty() ? rel : rel.isEmpty() ? sub : rel + "/" + sub;
        recordOne(sub.isEmpty() ? src : src.resolve(sub), p, key, uid, gid, rec);
      }
    });
  }

  private static void recordOne(Path src, Path copy, String key, Long uid, Long gid,
      Map<String, BuildOptions.Owner> rec) throws IOException {
    long wantUid = uid != null ? uid : ((Number) Files.getAttribute(src, "unix:uid",
        LinkOption.NOFOLLOW_LINKS)).longValue();
    long wantGid = gid != null ? gid : ((Number) Files.getAttribute(src, "unix:gid",
        LinkOption.NOFOLLOW_LINKS)).longValue();
    recordWanted(copy, key, wantUid, wantGid, rec);
  }

  private static void recordWanted(Path copy, String key, long uid, long gid,
      Map<String, BuildOptions.Owner> rec) throws IOException {
    long haveUid = ((Number) Files.getAttribute(copy, "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .longValue();
    long haveGid = ((Number) Files.getAttribute(copy, "unix:gid", LinkOption.NOFOLLOW_LINKS))
        .longValue();
    if (uid != haveUid || gid != haveGid) {
      rec.put(key, new BuildOptions.Owner(uid, gid));
    } else {
      rec.remove(key);
    }
  }

  /** Records the owners an archive gives its rootfs entries where the disk differs. */
  private static void recordArchive(Path file, Path rootfs, boolean aci,
      Map<String, BuildOptions.Owner> rec) throws AppcException {
    AciArchive.visit(file, ReadLimits.defaults(), false, (item, content) -> {
      String n = strip(item.name());
      String rel;
      if (aci) {
        if (!n.equals("rootfs") && !n.startsWith("rootfs/")) {
          return true;
        }
        rel = n.equals("rootfs") ? "" : n.substring("rootfs/".length());
      } else {
        rel = n.equals(".") ? "" : n;
      }
      Path p = rel.isEmpty() ? rootfs : rootfs.resolve(rel);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        recordWanted(p, rel, item.uid(), item.gid(), rec);
      }
      return true;
    });
  }

  private static Map<String, BuildOptions.Owner> readOwners(Path gen) throws IOException {
    Map<String, BuildOptions.Owner> m = new TreeMap<>();
    Path f = gen.resolve(OWNERS);
    if (!Files.exists(f)) {
      return m;
    }
    String text = Files.readString(f, StandardCharsets.UTF_8);
    for (String rec : text.split("\0")) {
      if (rec.isEmpty()) {
        continue;
      }
      int a = rec.indexOf(' ');
      int b = rec.indexOf(' ', a + 1);
      m.put(rec.substring(b + 1), new BuildOptions.Owner(Long.parseLong(rec.substring(0, a)),
          Long.parseLong(rec.substring(a + 1, b))));
    }
    return m;
  }

  /** Writes {@code gen/owners}: records {@code UID GID PATH\0}; no file when there are none. */
  private static void writeOwners(Path gen, Map<String, BuildOptions.Owner> owners)
      throws IOException {
    Path f = gen.resolve(OWNERS);
    if (owners.isEmpty()) {
      Files.deleteIfExists(f);
      return;
    }
    StringBuilder b = new StringBuilder();
    new TreeMap<>(owners).forEach((k, v) ->
        b.append(v.uid()).append(' ').append(v.gid()).append(' ').append(k).append('\0'));
    writeAtomically(f, b.toString().getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- files

  /**
   * The path of {@code rel} inside {@code root} with symlinks among its parents (and the last
   * component too unless {@code keepLast}) resolved as if {@code root} were {@code /}; never
   * outside {@code root}.
   */
  static Path resolveInRoot(String op, Path root, String rel, boolean keepLast)
      throws AppcException {
    Deque<String> todo = new ArrayDeque<>();
    for (String c : rel.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        todo.addLast(c);
      }
    }
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (c.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      Path p = join(root, done).resolve(c);
      if ((!todo.isEmpty() || !keepLast) && Files.isSymbolicLink(p)) {
        if (++links > MAX_SYMLINKS) {
          throw new AppcException(op + ": too many levels of symbolic links in " + rel);
        }
        String link;
        try {
          link = Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
          throw new AppcException(op + ": cannot read the link " + p + ": " + e, e);
        }
        if (link.startsWith("/")) {
          done.clear();
        }
        String[] parts = link.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
          if (!parts[i].isEmpty() && !parts[i].equals(".")) {
            todo.addFirst(parts[i]);
          }
        }
        continue;
      }
      if (!todo.isEmpty() && Files.exists(p, LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException(op + ": /" + String.join("/", done) + (done.isEmpty() ? "" : "/")
            + c + " is not a directory (in " + rel + ")");
      }
      done.add(c);
    }
    return join(root, done);
  }

  private static Path join(Path root, List<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  /**
   * Copies the tree {@code src} to the new path {@code dst} with every attribute, leaving out
   * {@code excludes} (paths that may lie inside {@code src}).
   */
  private static void copyTreeExcluding(Path src, Path dst, List<Path> excludes)
      throws AppcException, IOException {
    List<String> inside = new ArrayList<>();
    for (Path e : excludes) {
      Path parent = e.getParent().toRealPath();
      Path real = parent.resolve(e.getFileName());
      if (real.startsWith(src) && !real.equals(src)) {
        inside.add("./" + src.relativize(real));
      }
    }
    if (inside.isEmpty()) {
      run("begin", List.of("cp", "-a", "-T", src.toString(), dst.toString()));
      return;
    }
    Files.createDirectory(dst);
    List<String> cmd = new ArrayList<>(List.of("sh", "-c",
        "src=$1; dst=$2; shift 2; $" + DIE_WITH_PARENT_ENV + " tar -C \"$src\" -c -f - "
            + "--numeric-owner --xattrs --xattrs-include='*' --anchored --no-wildcards \"$@\" . "
            + "| $" + DIE_WITH_PARENT_ENV + " tar -C \"$dst\" -x -p -f - --numeric-owner --xattrs "
            + "--xattrs-include='*'",
        "sh", src.toString(), dst.toString()));
    for (String x : inside) {
      cmd.add("--exclude=" + x);
    }
    run("begin", cmd);
  }

  /** Writes {@code file} by a forced temp file renamed over it. */
  static void writeAtomically(Path file, byte[] data) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.setPosixFilePermissions(tmp, perms(0644));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDir(file.getParent());
  }

  private static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // not every platform can sync a directory; the rename is atomic regardless
    }
  }

  private static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        s.add(all[i]);
      }
    }
    return s;
  }

  /** Deletes a tree if it exists (symlinks not followed, read-only directories opened first). */
  static void deleteTree(Path root) throws AppcException {
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      throw new AppcException("cannot remove " + root + ": " + e, e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteTree(p);
    } catch (AppcException ignored) {
      // the failure being reported matters more; open() removes leftovers
    }
  }

  /** Removes {@code .acbuild.begin-PID} and {@code .acbuild.end-PID} of dead processes. */
  private static void removeDeadLeftovers(Path work) throws AppcException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(work)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        String pid = n.startsWith(BEGIN_TMP) ? n.substring(BEGIN_TMP.length())
            : n.startsWith(END_TMP) ? n.substring(END_TMP.length()) : null;
        if (pid != null && pid.matches("[0-9]{1,18}")
            && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      throw new AppcException("begin: cannot list " + work + ": " + e, e);
    }
  }

  /**
   * The environment variable that holds, for the shell scripts {@link #run} starts, the prefix
   * that makes a command die with its parent (empty where setpriv cannot do it).
   */
  private static final String DIE_WITH_PARENT_ENV = "ACBUILD_DIE_WITH_PARENT";
  private static volatile List<String> dieWithParent;

  /**
   * {@code setpriv --pdeathsig KILL} when this host's setpriv has it, otherwise nothing. The
   * tools a command runs (cp, tar, chmod...) write into the generation being made; if acbuild is
   * killed (SIGKILL) they must not outlive it, or they would keep writing into a directory the
   * next command removes or makes again.
   */
  private static List<String> dieWithParent() {
    List<String> p = dieWithParent;
    if (p == null) {
      p = List.of();
      for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
        Path setpriv = Path.of(dir, "setpriv");
        if (!Files.isExecutable(setpriv)) {
          continue;
        }
        try {
          Process probe = new ProcessBuilder(setpriv.toString(), "--pdeathsig", "KILL", "true")
              .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
          if (probe.waitFor() == 0) {
            p = List.of(setpriv.toString(), "--pdeathsig", "KILL");
          }
        } catch (IOException e) {
          // no usable setpriv: the tools run as they are
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        break;
      }
      dieWithParent = p;
    }
    return p;
  }

  /** Runs a tool, made to die with this process; a failure carries its standard error. */
  static void run(String op, List<String> cmd) throws AppcException {
    List<String> prefix = dieWithParent();
    List<String> all = new ArrayList<>(prefix);
    all.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(all);
    pb.environment().put(DIE_WITH_PARENT_ENV, String.join(" ", prefix));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      byte[] err;
      try (InputStream in = p.getErrorStream()) {
        err = in.readAllBytes();
      }
      int rc = p.waitFor();
      if (rc != 0) {
        throw new AppcException(op + ": " + cmd.get(0) + " failed (exit " + rc + "): "
            + new String(err, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new AppcException(op + ": cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException(op + ": interrupted while running " + cmd.get(0), e);
    }
  }
}
