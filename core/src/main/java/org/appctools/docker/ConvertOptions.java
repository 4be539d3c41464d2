package org.appctools.docker;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.appctools.aci.ReadLimits;
import org.appctools.compress.Compression;
import org.appctools.registry.RegistryOptions;

/**
 * How {@link Docker2Aci} converts.
 *
 * @param outputDir where the ACIs are written (existing files of the same name are replaced, as
 *     the Go tool does)
 * @param tmpDir where temporary files go (downloaded layers, the spool, a decompressed archive);
 *     null for {@code outputDir}
 * @param squash one ACI for the image (else one per layer, see {@link LayerAcis})
 * @param compression of the ACIs
 * @param compressionLevel its level (see {@link Compression#checkLevel}; none ignores it)
 * @param image {@code NAME[:TAG]} of the image to take from an archive or layout with several;
 *     null for the only one
 * @param platform the platform to take from a multi-platform image
 * @param registry how to reach registries
 * @param limits bounds on what the layers may decompress to
 * @param debug receives progress lines (never null)
 */
public record ConvertOptions(
    Path outputDir,
    Path tmpDir,
    boolean squash,
    Compression compression,
    int compressionLevel,
    String image,
    Platform platform,
    RegistryOptions registry,
    ReadLimits limits,
    Consumer<String> debug) {
  public ConvertOptions {
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(limits, "limits");
    debug = debug == null ? s -> { } : debug;
    tmpDir = tmpDir == null ? outputDir : tmpDir;
    if (compression != Compression.NONE) {
      compression.checkLevel(compressionLevel);
    }
  }

  /** Options at the compression's default level. */
  public ConvertOptions(Path outputDir, Path tmpDir, boolean squash, Compression compression, String image,
      Platform platform, RegistryOptions registry, ReadLimits limits, Consumer<String> debug) {
    this(outputDir, tmpDir, squash, compression, compression.defaultLevel(), image, platform, registry, limits, debug);
  }
}
