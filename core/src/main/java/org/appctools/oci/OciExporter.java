package org.appctools.oci;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.appctools.AppcException;
import org.appctools.aci.ReadLimits;
import org.appctools.docker.Digests;
import org.appctools.docker.ImageReference;
import org.appctools.docker.json.ArchiveManifestTemplate;
import org.appctools.docker.json.DescriptorTemplate;
import org.appctools.docker.json.DockerJson;
import org.appctools.docker.json.IndexTemplate;
import org.appctools.docker.json.ManifestTemplate;
import org.appctools.schema.ImageManifest;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarMeta;

/**
 * Exports an appc image with its dependencies as an OCI image layout (a directory), an OCI
 * archive (that layout as a tar, skopeo's {@code oci-archive:}) or a {@code docker save} archive
 * ({@code docker load}, skopeo's {@code docker-archive:}). Each {@link ExportSource} layer
 * becomes one layer ({@link LayerTar}), gzip-compressed for OCI and plain in a docker archive;
 * the manifest becomes the image config and the OCI manifest's annotations ({@link
 * ConfigMapping}). The output is reproducible: the same images give the same bytes (entries in
 * the ACIs' order, JSON written canonically, deterministic gzip, archive entries dated at the
 * image's {@code created} time or the epoch). It is made under a temporary name next to the
 * target and renamed into place when complete.
 */
public final class OciExporter {
  /** The media type of an OCI image index. */
  public static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
  /** The media type of an OCI image manifest. */
  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  /** The media type of an OCI image config. */
  public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  /** The media type of a gzip-compressed OCI layer. */
  public static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
  /** The index annotation of a tag in an OCI layout. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  /** The index annotation of the full image name, as containerd and Docker 25 write it. */
  public static final String CONTAINERD_NAME = "io.containerd.image.name";

  /** What to write. */
  public enum Format {
    /** An OCI image layout directory. */
    OCI("oci"),
    /** An OCI image layout in a tar. */
    OCI_ARCHIVE("oci-archive"),
    /** A {@code docker save} archive. */
    DOCKER_ARCHIVE("docker-archive");

    private final String text;

    Format(String text) {
      this.text = text;
    }

    /** oci, oci-archive or docker-archive. */
    public static Format parse(String s) throws AppcException {
      for (Format f : values()) {
        if (f.text.equals(s == null ? "" : s.toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new AppcException("export: unknown format \"" + s + "\" (use oci, oci-archive or "
          + "docker-archive)");
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * How to export.
   *
   * @param format what to write
   * @param tag {@code NAME[:TAG]}, or null for the image's name and its version label (else
   *     {@code latest})
   * @param overwrite replace an existing output
   * @param limits the read limits for the ACIs
   */
  public record Options(Format format, String tag, boolean overwrite, ReadLimits limits) {
    public Options {
      java.util.Objects.requireNonNull(format, "format");
      limits = limits == null ? ReadLimits.defaults() : limits;
    }
  }

  /**
   * What was exported.
   *
   * @param reference the image's reference, {@code NAME:TAG}
   * @param manifestDigest the digest of the OCI manifest, or null for a docker archive (which has
   *     none)
   * @param configDigest the digest of the image config: Docker's image ID
   * @param layers the number of layers
   * @param warnings what the image config cannot hold
   */
  public record Result(String reference, String manifestDigest, String configDigest, int layers,
      List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /** {@code NAME:TAG} as given, and its tag. */
  record Tag(String reference, String tag) {}

  /** A blob of a built image: its digest, size and file. */
  record Blob(String digest, long size, Path file) {}

  /** An image built into a directory of blobs ({@code DIR/blobs/sha256/HEX}). */
  record Built(Tag tag, ConfigMapping.Mapped mapped, Blob config, List<Blob> layers,
      byte[] manifest, String manifestDigest) {}

  private OciExporter() {}

  /** Exports {@code source} to {@code out} as {@code options} say. */
  public static Result export(ExportSource source, Path out, Options options) throws AppcException {
    Tag tag = tag(source.manifest(), options.tag());
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new AppcException("export: cannot write to " + out);
    }
    refuseExisting(out, target, options.overwrite());
    Path work = null;
    try {
      work = Files.createTempDirectory(parent, "." + target.getFileName() + ".export-"
          + ProcessHandle.current().pid() + "-");
      Built built = build(source, tag, work, options.format() != Format.DOCKER_ARCHIVE,
          options.limits());
      switch (options.format()) {
        case OCI -> {
          writeLayoutFiles(work, built);
          Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
          replace(work, target, options.overwrite());
          work = null;
        }
        case OCI_ARCHIVE -> {
          Path layout = work;
          writeLayoutFiles(layout, built);
          writeArchive(target, options.overwrite(), built, tar -> ociArchive(tar, layout, built));
        }
        case DOCKER_ARCHIVE -> writeArchive(target, options.overwrite(), built,
            tar -> dockerArchive(tar, built));
        default -> throw new IllegalStateException(options.format().toString());
      }
      return new Result(tag.reference(), options.format() == Format.DOCKER_ARCHIVE ? null
          : built.manifestDigest(), built.config().digest(), built.layers().size(),
          built.mapped().warnings());
    } catch (IOException e) {
      throw new AppcException("export: " + out + ": " + e.getMessage(), e);
    } finally {
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  /**
   * Builds the layers, config and OCI manifest of {@code source} into {@code dir/blobs/sha256}:
   * gzip layers when {@code compressed}, else plain tars (for a docker archive).
   */
  static Built build(ExportSource source, Tag tag, Path dir, boolean compressed, ReadLimits limits)
      throws AppcException, IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    List<Blob> layers = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    try {
      for (ExportSource.Layer layer : source.layers()) {
        Path tarFile = scratch.resolve("layer.tar");
        LayerTar.Written w = LayerTar.write(layer, tarFile, limits);
        diffIds.add(w.diffId());
        titles.add(layer.title() + " " + w.imageId());
        String digest = compressed ? LayerTar.gzip(tarFile, scratch.resolve("layer.tar.gz"))
            : w.diffId();
        Path blob = blobs.resolve(hex(digest));
        Files.move(compressed ? scratch.resolve("layer.tar.gz") : tarFile, blob,
            StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(tarFile);
        layers.add(new Blob(digest, Files.size(blob), blob));
      }
    } finally {
      deleteTree(scratch);
    }
    ConfigMapping.Mapped mapped;
    try {
      mapped = ConfigMapping.map(source.manifest(), diffIds, titles);
    } catch (AppcException e) {
      throw new AppcException("export: " + e.getMessage(), e);
    }
    Blob config = writeBlob(blobs, DockerJson.canonical(mapped.config()));
    List<DescriptorTemplate> layerDescriptors = new ArrayList<>();
    for (Blob b : layers) {
      layerDescriptors.add(new DescriptorTemplate(LAYER_MEDIA_TYPE, b.digest(), b.size(), null,
          null));
    }
    byte[] manifest = DockerJson.canonical(new ManifestTemplate(2, MANIFEST_MEDIA_TYPE,
        new DescriptorTemplate(CONFIG_MEDIA_TYPE, config.digest(), config.size(), null, null),
        layerDescriptors, mapped.annotations()));
    String manifestDigest = compressed ? writeBlob(blobs, manifest).digest()
        : Digests.sha256(manifest);
    return new Built(tag, mapped, config, layers, manifest, manifestDigest);
  }

  /**
   * The reference to tag the image with: {@code given}, or the image's name and version label
   * ({@code latest} without one), which must make a valid Docker reference.
   */
  static Tag tag(ImageManifest manifest, String given) throws AppcException {
    String text = given != null ? given : manifest.name().value() + ":"
        + manifest.labels().get("version").orElse("latest");
    String why = null;
    if (text.contains("@")) {
      why = "a digest cannot name an image being written";
    } else {
      try {
        ImageReference.parse(text);
      } catch (AppcException e) {
        why = e.getMessage();
      }
    }
    if (why != null) {
      throw new AppcException(given != null ? "export: --tag: " + why
          : "export: the image's name and version make no Docker reference (" + why
              + "); give one with --tag NAME:TAG");
    }
    int slash = text.lastIndexOf('/');
    int colon = text.lastIndexOf(':');
    if (colon > slash) {
      return new Tag(text, text.substring(colon + 1));
    }
    return new Tag(text + ":latest", "latest");
  }

  private static Blob writeBlob(Path blobs, byte[] bytes) throws IOException {
    String digest = Digests.sha256(bytes);
    Path file = blobs.resolve(hex(digest));
    Files.write(file, bytes);
    return new Blob(digest, bytes.length, file);
  }

  /** {@code index.json} and {@code oci-layout} of a layout whose blobs are in {@code dir}. */
  private static void writeLayoutFiles(Path dir, Built built) throws IOException {
    Files.write(dir.resolve("index.json"), index(built));
    Files.write(dir.resolve("oci-layout"), layoutMarker());
  }

  private static byte[] index(Built built) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(CONTAINERD_NAME, built.tag().reference());
    annotations.put(REF_NAME, built.tag().tag());
    DescriptorTemplate manifest = new DescriptorTemplate(MANIFEST_MEDIA_TYPE,
        built.manifestDigest(), built.manifest().length, annotations, built.mapped().platform());
    return DockerJson.canonical(new IndexTemplate(2, INDEX_MEDIA_TYPE, List.of(manifest)));
  }

  private static byte[] layoutMarker() {
    return "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Writes the tar entries of an archive. */
  private interface ArchiveContent {
    void write(ReproducibleTarWriter tar) throws IOException;
  }

  private static void writeArchive(Path target, boolean overwrite, Built built,
      ArchiveContent content) throws IOException, AppcException {
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    try {
      try (ReproducibleTarWriter tar = new ReproducibleTarWriter(new BufferedOutputStream(
          Files.newOutputStream(temp), 256 * 1024))) {
        content.write(tar);
      }
      if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException("export: " + target + " exists (use --overwrite to replace it)");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** {@code oci-layout}, {@code index.json}, then every blob by digest. */
  private static void ociArchive(ReproducibleTarWriter tar, Path layout, Built built)
      throws IOException {
    TarMeta meta = TarMeta.of(0644, 0, 0, built.mapped().created());
    tar.file("oci-layout", meta, Files.readAllBytes(layout.resolve("oci-layout")));
    tar.file("index.json", meta, Files.readAllBytes(layout.resolve("index.json")));
    TreeMap<String, Path> blobs = new TreeMap<>();
    try (var files = Files.list(layout.resolve("blobs").resolve("sha256"))) {
      files.forEach(f -> blobs.put(f.getFileName().toString(), f));
    }
    TarMeta dirMeta = TarMeta.of(0755, 0, 0, built.mapped().created());
    tar.directory("blobs", dirMeta);
    tar.directory("blobs/sha256", dirMeta);
    for (Map.Entry<String, Path> b : blobs.entrySet()) {
      fileEntry(tar, "blobs/sha256/" + b.getKey(), meta, b.getValue());
    }
  }

  /**
   * What {@code docker save} writes: the config as {@code HEX.json}, each distinct layer as
   * {@code HEX.tar} (HEX of its digest, the diff ID), and {@code manifest.json}.
   */
  private static void dockerArchive(ReproducibleTarWriter tar, Built built) throws IOException {
    TarMeta meta = TarMeta.of(0644, 0, 0, built.mapped().created());
    String configName = hex(built.config().digest()) + ".json";
    fileEntry(tar, configName, meta, built.config().file());
    Map<String, Blob> distinct = new LinkedHashMap<>();
    List<String> layerNames = new ArrayList<>();
    for (Blob b : built.layers()) {
      String name = hex(b.digest()) + ".tar";
      distinct.putIfAbsent(name, b);
      layerNames.add(name);
    }
    for (Map.Entry<String, Blob> e : distinct.entrySet()) {
      fileEntry(tar, e.getKey(), meta, e.getValue().file());
    }
    byte[] manifest = DockerJson.canonical(List.of(new ArchiveManifestTemplate(configName,
        List.of(built.tag().reference()), layerNames)));
    tar.file("manifest.json", meta, manifest);
  }

  private static void fileEntry(ReproducibleTarWriter tar, String name, TarMeta meta, Path file)
      throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      tar.file(name, meta, Files.size(file), in);
    }
  }

  static String hex(String digest) {
    return digest.substring(digest.indexOf(':') + 1);
  }

  private static void refuseExisting(Path given, Path target, boolean overwrite)
      throws AppcException {
    if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException("export: " + given + " exists (use --overwrite to replace it)");
    }
  }

  /** Renames the finished layout {@code made} to {@code target}, replacing it if allowed. */
  private static void replace(Path made, Path target, boolean overwrite)
      throws IOException, AppcException {
    Path old = null;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!overwrite) {
        throw new AppcException("export: " + target + " exists (use --overwrite to replace it)");
      }
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
      Files.move(target, old.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(made, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old.resolve("old"), target, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    } finally {
      if (old != null) {
        deleteTree(old);
      }
    }
  }

  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(f);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort: a leftover temporary directory is named after the output and its process
    }
  }
}
