package org.appctools.oci;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.appctools.AppcException;
import org.appctools.aci.AciExtractor;
import org.appctools.aci.ExtractOptions;
import org.appctools.build.BeginSource;
import org.appctools.build.BuildSession;
import org.appctools.build.History;
import org.appctools.compress.Compression;
import org.appctools.docker.ConvertOptions;
import org.appctools.docker.Digests;
import org.appctools.docker.Docker2Aci;
import org.appctools.docker.json.DescriptorTemplate;
import org.appctools.docker.json.DockerJson;
import org.appctools.docker.json.IndexTemplate;
import org.appctools.docker.json.ManifestTemplate;
import org.appctools.fs.FileTrees;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarMeta;

/**
 * The OCI build mode of acbuild ({@code begin --build-mode oci}, the Go acbuild's PR #276) over a
 * {@link BuildSession} in {@link BuildSession.Mode#OCI}: the session keeps the rootfs, its
 * generations, the sealed layers and the lock; this class keeps the image state (an {@link
 * OciImage}: the image config, the manifest's annotations, the name and tag, the start image's
 * layers) and writes OCI image-spec 1.0 layouts.
 *
 * <p>Layers: the start image's layers are kept as they are (same blobs, same digests); each layer
 * sealed by {@code acbuild layer}, and the open top layer, is the difference between the rootfs
 * as it was sealed and as it is next ({@link LayerDiff}, whiteouts for what was removed),
 * gzip-compressed. An empty top layer is left out unless it would be the only one.
 */
public final class OciBuild {
  /** The media type of a gzip-compressed OCI layer, as every new layer is written. */
  public static final String LAYER_MEDIA_TYPE = OciExporter.LAYER_MEDIA_TYPE;

  private OciBuild() {}

  // ---------------------------------------------------------------- begin

  /**
   * Begins an OCI-mode build in {@code workPath} from {@code start}: null for an empty image; an
   * OCI image layout (a directory with {@code oci-layout}, or a tar of one) whose layers are kept;
   * otherwise a directory (the rootfs) or a tar of a rootfs, as an appc-mode begin takes them.
   */
  public static BuildSession begin(Path workPath, Path start) throws AppcException {
    if (start == null) {
      return BuildSession.beginOci(workPath, new BeginSource.Empty(), OciImage.empty().toBytes(),
          null);
    }
    if (!Files.exists(start)) {
      throw new AppcException("begin: no such file or directory: " + start);
    }
    Path scratch = scratch("acbuild-begin-oci");
    try {
      Path layout = layoutOf(start, scratch);
      if (layout == null) {
        BeginSource source = Files.isDirectory(start) ? new BeginSource.Directory(start)
            : new BeginSource.Archive(start);
        return BuildSession.beginOci(workPath, source, OciImage.empty().toBytes(), null);
      }
      OciImage image = OciImage.fromLayout(layout, scratch.resolve("blobs"));
      Path aci = squash(layout, scratch);
      return BuildSession.beginOci(workPath, new BeginSource.Archive(aci), image.toBytes(),
          scratch.resolve("blobs"));
    } finally {
      delete(scratch);
    }
  }

  /** The OCI layout {@code start} is or holds (a tar is extracted into {@code scratch}), or null. */
  private static Path layoutOf(Path start, Path scratch) throws AppcException {
    if (Files.isDirectory(start)) {
      return Files.isRegularFile(start.resolve("oci-layout")) ? start : null;
    }
    boolean[] found = {false};
    org.appctools.aci.AciArchive.visit(start, org.appctools.aci.ReadLimits.defaults(), false,
        (item, content) -> {
          found[0] |= item.name().equals("oci-layout") || item.name().equals("./oci-layout");
          return !found[0];
        });
    if (!found[0]) {
      return null;
    }
    Path dir = scratch.resolve("layout");
    AciExtractor.extractRootfs(start, dir, ExtractOptions.defaults());
    return dir;
  }

  /** The layout's image as one squashed ACI (docker2aci's rules: whiteouts applied, hostile entries refused). */
  private static Path squash(Path layout, Path scratch) throws AppcException {
    ConvertOptions o = new ConvertOptions(scratch.resolve("aci"), scratch.resolve("tmp"), true,
        Compression.NONE, null, org.appctools.docker.Platform.of(null, null),
        org.appctools.registry.RegistryOptions.defaults(), org.appctools.aci.ReadLimits.defaults(),
        m -> { });
    return Docker2Aci.convert(layout.toString(), o).acis().get(0);
  }

  // ---------------------------------------------------------------- reading

  /** The image state of the build. */
  public static OciImage image(BuildSession session) throws AppcException {
    return OciImage.parse(session.ociState());
  }

  /**
   * {@code cat-manifest}: the OCI manifest, or with {@code config} the image config, of the image
   * {@code write} would write now (its layers are computed into a temporary directory).
   */
  public static byte[] cat(BuildSession session, boolean config, OptionalLong sourceDateEpoch)
      throws AppcException {
    Path scratch = scratch("acbuild-cat-manifest");
    try {
      Built b = build(session, scratch, sourceDateEpoch);
      return config ? b.config() : b.manifest();
    } finally {
      delete(scratch);
    }
  }

  // ---------------------------------------------------------------- write

  /**
   * What was written.
   *
   * @param reference {@code NAME:TAG}, or the tag alone when no name was set
   * @param manifestDigest the digest of the OCI manifest
   * @param layers the number of layers
   */
  public record WriteResult(String reference, String manifestDigest, int layers) {}

  /**
   * Writes the image to {@code out} as an OCI image layout: a directory with {@code
   * directory}, else a tar of one (skopeo's {@code oci-archive:}), made under a temporary name
   * next to it ({@code .NAME.acbuild-PID}, removed by the next write to NAME if the process was
   * killed) and renamed into place.
   */
  public static WriteResult write(BuildSession session, Path out, boolean directory,
      boolean overwrite, OptionalLong sourceDateEpoch) throws AppcException {
    Path target = out.toAbsolutePath().normalize();
    if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException("write: image already exists: " + out + " (use --overwrite)");
    }
    Path made;
    try {
      removeDeadLeftovers(target);
      made = target.resolveSibling(tempPrefix(target) + ProcessHandle.current().pid());
      delete(made);
      Files.createDirectory(made);
    } catch (IOException e) {
      throw new AppcException("write: cannot create a temporary directory next to " + out + ": "
          + e.getMessage(), e);
    }
    try {
      Path layout = Files.createDirectory(made.resolve("layout"));
      Built b = build(session, layout, sourceDateEpoch);
      if (directory) {
        // two renames: killed between them, the old layout waits in made/old and the next write
        // to this target puts it back (removeDeadLeftovers)
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          Files.move(target, made.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.setPosixFilePermissions(layout, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(layout, target, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Path tmp = made.resolve("archive.tar");
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(new BufferedOutputStream(
            Files.newOutputStream(tmp), 256 * 1024))) {
          TarMeta meta = TarMeta.of(0644, 0, 0, b.created());
          TarMeta dirMeta = TarMeta.of(0755, 0, 0, b.created());
          tar.file("oci-layout", meta, Files.readAllBytes(layout.resolve("oci-layout")));
          tar.file("index.json", meta, Files.readAllBytes(layout.resolve("index.json")));
          tar.directory("blobs", dirMeta);
          tar.directory("blobs/sha256", dirMeta);
          TreeMap<String, Path> blobs = new TreeMap<>();
          try (DirectoryStream<Path> ds = Files.newDirectoryStream(
              layout.resolve("blobs").resolve("sha256"))) {
            ds.forEach(f -> blobs.put(f.getFileName().toString(), f));
          }
          for (Map.Entry<String, Path> e : blobs.entrySet()) {
            try (InputStream in = Files.newInputStream(e.getValue())) {
              tar.file("blobs/sha256/" + e.getKey(), meta, Files.size(e.getValue()), in);
            }
          }
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
      return new WriteResult(b.reference(), b.manifestDigest(), b.layers());
    } catch (IOException e) {
      throw new AppcException("write: " + out + ": " + e.getMessage(), e);
    } finally {
      delete(made);
    }
  }

  /**
   * acbuild's one-shot mode for OCI images ({@code --modify-oci IMAGE}): begins an OCI-mode build
   * from the layout (directory or tar) in a temporary work path, applies {@code change}, writes the
   * result over it in the same form (atomically: readers see the old or the new image) and ends.
   */
  public static WriteResult modify(Path image, BuildSession.Change change,
      OptionalLong sourceDateEpoch) throws AppcException {
    if (!Files.exists(image)) {
      throw new AppcException("image doesn't appear to exist: " + image);
    }
    boolean directory = Files.isDirectory(image);
    if (directory && !Files.isRegularFile(image.resolve("oci-layout"))) {
      throw new AppcException("image to modify is a directory but not an OCI image layout (no "
          + "oci-layout): " + image);
    }
    Path work = scratch("acbuild-modify-oci");
    try (BuildSession s = begin(work, image.toAbsolutePath())) {
      if (image(s).base().isEmpty()) {
        throw new AppcException("image to modify is not an OCI image layout: " + image);
      }
      change.apply(s);
      WriteResult r = write(s, image, directory, true, sourceDateEpoch);
      s.end();
      return r;
    } finally {
      delete(work);
    }
  }

  /** The name of write's temporary directories next to {@code target}, before the PID. */
  private static String tempPrefix(Path target) {
    return "." + target.getFileName() + ".acbuild-";
  }

  /** Removes the temporary directories of writes to {@code target} whose process is gone (killed). */
  private static void removeDeadLeftovers(Path target) throws IOException {
    String prefix = tempPrefix(target);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(target.getParent(), prefix + "*")) {
      for (Path p : ds) {
        String pid = p.getFileName().toString().substring(prefix.length());
        if (pid.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
          if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(p.resolve("old"))) {
            Files.move(p.resolve("old"), target, StandardCopyOption.ATOMIC_MOVE);
          }
          delete(p);
        }
      }
    }
  }

  /** An image built into a directory: its layout files and what write reports. */
  private record Built(byte[] manifest, byte[] config, String manifestDigest, String reference,
      int layers, long created) {}

  /** Writes the layout of the build's image into the empty directory {@code dir}. */
  private static Built build(BuildSession session, Path dir, OptionalLong sourceDateEpoch)
      throws AppcException {
    OciImage image = image(session);
    long created = sourceDateEpoch.isPresent() ? sourceDateEpoch.getAsLong()
        : Instant.now().getEpochSecond();
    try {
      Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
      List<DescriptorTemplate> layers = new ArrayList<>();
      List<String> diffIds = new ArrayList<>();
      for (OciImage.Layer l : image.base()) {
        String hex = OciExporter.hex(l.digest());
        Files.copy(session.blobsDir().resolve(hex), blobs.resolve(hex),
            StandardCopyOption.REPLACE_EXISTING);
        layers.add(new DescriptorTemplate(l.mediaType(), l.digest(), l.size(), null, null));
        diffIds.add(l.diffId());
      }
      List<BuildSession.Sealed> sealed = session.sealedLayers();
      List<BuildSession.Sealed> steps = new ArrayList<>(sealed);
      steps.add(new BuildSession.Sealed(session.imageDir().resolve("rootfs"),
          session.recordedOwners()));
      int first = image.base().isEmpty() ? 0 : 1;
      int added = 0;
      for (int i = first; i < steps.size(); i++) {
        BuildSession.Sealed lower = i == 0 ? null : steps.get(i - 1);
        BuildSession.Sealed upper = steps.get(i);
        Path tar = dir.resolve("layer.tar");
        LayerDiff.Written w = LayerDiff.write(lower == null ? null : lower.rootfs(),
            lower == null ? Map.of() : lower.owners(), upper.rootfs(), upper.owners(), tar,
            sourceDateEpoch);
        boolean top = i == steps.size() - 1;
        if (top && w.changes() == 0 && !layers.isEmpty()) {
          Files.delete(tar);
          continue;
        }
        String digest = LayerTar.gzip(tar, dir.resolve("layer.tar.gz"));
        Path blob = blobs.resolve(OciExporter.hex(digest));
        Files.move(dir.resolve("layer.tar.gz"), blob, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(tar);
        layers.add(new DescriptorTemplate(LAYER_MEDIA_TYPE, digest, Files.size(blob), null, null));
        diffIds.add(w.diffId());
        added++;
      }
      byte[] config = DockerJson.canonical(image.config(diffIds, added, created));
      String configDigest = writeBlob(blobs, config);
      Map<String, String> annotations = new TreeMap<>(image.annotations());
      long max = 0;
      for (String k : annotations.keySet()) {
        max = Math.max(max, historyNumber(k));
      }
      for (String h : session.ociHistory()) {
        annotations.put(History.PREFIX + (++max), h);
      }
      byte[] manifest = DockerJson.canonical(new ManifestTemplate(2,
          OciExporter.MANIFEST_MEDIA_TYPE, new DescriptorTemplate(OciExporter.CONFIG_MEDIA_TYPE,
              configDigest, config.length, null, null), layers, annotations));
      String manifestDigest = writeBlob(blobs, manifest);
      Map<String, String> ref = new TreeMap<>();
      ref.put(OciExporter.REF_NAME, image.tag());
      String reference = image.tag();
      if (image.name() != null) {
        reference = image.name() + ":" + image.tag();
        ref.put(OciExporter.CONTAINERD_NAME, reference);
      }
      Files.write(dir.resolve("index.json"), DockerJson.canonical(new IndexTemplate(2,
          OciExporter.INDEX_MEDIA_TYPE, List.of(new DescriptorTemplate(
              OciExporter.MANIFEST_MEDIA_TYPE, manifestDigest, manifest.length, ref,
              image.platform())))));
      Files.write(dir.resolve("oci-layout"),
          "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new Built(manifest, config, manifestDigest, reference, layers.size(), created);
    } catch (IOException e) {
      throw new AppcException("write: " + e.getMessage(), e);
    }
  }

  private static long historyNumber(String name) {
    if (!name.startsWith(History.PREFIX)) {
      return 0;
    }
    try {
      return Long.parseLong(name.substring(History.PREFIX.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String writeBlob(Path blobs, byte[] bytes) throws IOException {
    String digest = Digests.sha256(bytes);
    Files.write(blobs.resolve(OciExporter.hex(digest)), bytes);
    return digest;
  }

  private static Path scratch(String prefix) throws AppcException {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new AppcException("cannot create a temporary directory: " + e.getMessage(), e);
    }
  }

  private static void delete(Path p) {
    try {
      FileTrees.delete(p);
    } catch (IOException e) {
      // a temporary directory of ours: best effort, it is named after its purpose
    }
  }

  /** Reads JSON as ordered maps and lists. */
  static Map<String, Object> readMap(byte[] json, String what) throws AppcException {
    try {
      return DockerJson.read(json, new TypeReference<LinkedHashMap<String, Object>>() { }, what);
    } catch (IOException e) {
      throw new AppcException(e.getMessage(), e);
    }
  }

  /** Go's {@code runtime.GOARCH} of this host, as an OCI config names architectures. */
  static String hostArchitecture() {
    String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (a) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      default -> a;
    };
  }
}
