package org.appctools.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.aci.AciWriter;

/**
 * docker2aci: Docker and OCI images to ACIs. The input is {@code docker://[REGISTRY/]NAME[:TAG|@DIGEST]}
 * (pulled from a registry v2), a {@code docker save} archive (either layout), an OCI archive or
 * an OCI image layout directory. By default the layers are squashed into one ACI named {@code
 * REPOSITORY-TAG.aci} ({@code /} made {@code -}) in one streaming pass ({@link LayerSquasher});
 * without squashing, one ACI per layer ({@link LayerAcis}). The manifest follows {@link
 * DockerToAciTranslator}. Every output is written under a temporary name and renamed when
 * complete.
 */
public final class Docker2Aci {
  /** The prefix of registry inputs. */
  public static final String DOCKER_SCHEME = "docker://";

  private Docker2Aci() {}

  /** Converts {@code input} as {@code options} say. */
  public static ConvertResult convert(String input, ConvertOptions options) throws AppcException {
    try {
      Files.createDirectories(options.outputDir());
      Files.createDirectories(options.tmpDir());
    } catch (IOException e) {
      throw new AppcException("cannot create " + e.getMessage(), e);
    }
    if (input.startsWith(DOCKER_SCHEME)) {
      if (options.image() != null) {
        throw new AppcException("--image selects an image of an archive or layout; a docker:// "
            + "input names its image itself");
      }
      ImageReference ref = ImageReference.parse(input.substring(DOCKER_SCHEME.length()));
      try (RegistryPull pull = RegistryPull.pull(ref, input.substring(DOCKER_SCHEME.length()), options)) {
        return convert(pull.image(), options);
      }
    }
    Path path = Path.of(input);
    if (Files.isDirectory(path)) {
      ImageFiles files = new LayoutDirectory(path);
      if (!OciLayouts.isLayout(files)) {
        throw new AppcException(path + " is a directory but not an OCI image layout (no "
            + "oci-layout and index.json)");
      }
      return convert(OciLayouts.read(files, options.image(), baseName(path), options.platform()), options);
    }
    if (!Files.exists(path)) {
      throw new AppcException(input + ": no such file or directory (give a docker save "
          + "archive, an OCI archive or layout, or docker://NAME)");
    }
    try (ArchiveIndex archive = ArchiveIndex.open(path, options.tmpDir())) {
      SourceImage image;
      if (OciLayouts.isLayout(archive)) {
        image = OciLayouts.read(archive, options.image(), baseName(path), options.platform());
      } else if (DockerArchives.isArchive(archive)) {
        image = DockerArchives.read(archive, options.image());
      } else {
        throw new AppcException(path + ": neither a docker save archive (manifest.json or "
            + "repositories) nor an OCI archive (oci-layout and index.json)");
      }
      return convert(image, options);
    }
  }

  /** Converts an image already found. */
  static ConvertResult convert(SourceImage image, ConvertOptions o) throws AppcException {
    if (image.layers().isEmpty()) {
      throw new AppcException(image.reference() + " has no layers");
    }
    DockerToAciTranslator.Translation t = DockerToAciTranslator.translate(image);
    o.debug().accept("converting " + image.reference() + " (" + image.layers().size()
        + " layers) as " + t.manifest().name());
    LayerStream.Budget budget = new LayerStream.Budget(o.limits());
    if (!o.squash()) {
      return LayerAcis.write(image, t, o, budget);
    }
    Path out = o.outputDir().resolve(fileStem(image.reference()) + ".aci");
    try (AciWriter w = AciWriter.create("docker2aci", out, o.compression(), o.compressionLevel(), true, t.manifest(),
            t.created());
        Spool spool = new Spool(o.tmpDir())) {
      new LayerSquasher(w.tar(), spool, t.created(), budget, o.limits().maxEntries(), o.debug())
          .squash(image.layers());
      String id = w.commit();
      return new ConvertResult(List.of(out), List.of(id), t.manifest(), t.warnings());
    }
  }

  /** {@code REPOSITORY-TAG} with {@code /} made {@code -}, as the Go tool names its output. */
  static String fileStem(ImageReference ref) {
    String stem = ref.repository().replace('/', '-');
    return ref.tag().isEmpty() ? stem : stem + "-" + ref.tag();
  }

  /** The name of a file or directory up to its first dot, as Go names images without a name. */
  private static String baseName(Path path) {
    Path f = path.toAbsolutePath().normalize().getFileName();
    String base = f == null ? "image" : f.toString();
    int dot = base.indexOf('.');
    base = dot > 0 ? base.substring(0, dot) : base;
    return base.isEmpty() ? "image" : base.toLowerCase(java.util.Locale.ROOT);
  }
}
