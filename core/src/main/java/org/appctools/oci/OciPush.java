package org.appctools.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.aci.ReadLimits;
import org.appctools.docker.Docker2Aci;
import org.appctools.docker.ImageReference;
import org.appctools.registry.RegistryClient;
import org.appctools.registry.RegistryOptions;

/**
 * Pushes an appc image with its dependencies to a Docker registry (HTTP API v2) as an OCI image:
 * built as {@link OciExporter} builds it (the same layers, config and manifest, so pushing and
 * exporting give the same digests), each blob the registry already has skipped ({@code HEAD}),
 * the others uploaded whole or in chunks and checked against their digests, then the manifest
 * put under the tag. Credentials are those of Docker's {@code config.json}, as docker2aci reads
 * them.
 */
public final class OciPush {
  /** The default size above which blobs are uploaded in chunks, and the chunk size. */
  public static final long DEFAULT_CHUNK_SIZE = 32L << 20;

  /**
   * How to push.
   *
   * @param registry how to reach the registry, and where the Docker config is
   * @param chunkSize blobs larger than this go up in {@code PATCH} chunks of this size; others
   *     in one {@code PUT}
   * @param limits the read limits for the ACIs
   * @param progress told the bytes of the image's blobs that the registry has (uploaded or found
   *     there) against their sum; null for none
   */
  public record Options(RegistryOptions registry, long chunkSize, ReadLimits limits,
      ProgressListener progress) {
    public Options {
      Objects.requireNonNull(registry, "registry");
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunk size must be positive, not " + chunkSize);
      }
      limits = limits == null ? ReadLimits.defaults() : limits;
      progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** Options without progress. */
    public Options(RegistryOptions registry, long chunkSize, ReadLimits limits) {
      this(registry, chunkSize, limits, null);
    }
  }

  /**
   * What was pushed.
   *
   * @param reference {@code REGISTRY/REPOSITORY:TAG}
   * @param manifestDigest the digest of the manifest the tag now names
   * @param uploaded the blobs uploaded
   * @param skipped the blobs the registry had
   * @param warnings what the image config cannot hold
   */
  public record Result(String reference, String manifestDigest, List<String> uploaded,
      List<String> skipped, List<String> warnings) {
    public Result {
      uploaded = List.copyOf(uploaded);
      skipped = List.copyOf(skipped);
      warnings = List.copyOf(warnings);
    }
  }

  private OciPush() {}

  /** Lets each digest through once. */
  private static Predicate<OciExporter.Blob> distinct(Set<String> seen) {
    return b -> seen.add(b.digest());
  }

  /** Pushes {@code source} to {@code destination}, {@code docker://REGISTRY/REPOSITORY[:TAG]}. */
  public static Result push(ExportSource source, String destination, Options options)
      throws AppcException {
    if (!destination.startsWith(Docker2Aci.DOCKER_SCHEME)) {
      throw new AppcException("push: destination " + destination + " is not docker://REGISTRY/"
          + "REPOSITORY[:TAG]");
    }
    ImageReference ref;
    try {
      ref = ImageReference.parse(destination.substring(Docker2Aci.DOCKER_SCHEME.length()));
    } catch (AppcException e) {
      throw new AppcException("push: " + e.getMessage(), e);
    }
    if (!ref.digest().isEmpty()) {
      throw new AppcException("push: " + destination + " names a digest; push to a tag "
          + "(docker://REGISTRY/REPOSITORY:TAG)");
    }
    RegistryClient client = new RegistryClient(options.registry());
    Path work = null;
    try {
      work = Files.createTempDirectory("actool-push-");
      OciExporter.Built built = OciExporter.build(source,
          new OciExporter.Tag(ref.toString(), ref.tag()), work, true, options.limits());
      List<OciExporter.Blob> blobs = new ArrayList<>(built.layers());
      blobs.add(built.config());
      List<String> uploaded = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      long total = blobs.stream().filter(distinct(new HashSet<>()))
          .mapToLong(OciExporter.Blob::size).sum();
      long done = 0;
      options.progress().progress(0, total);
      for (OciExporter.Blob b : blobs) {
        if (uploaded.contains(b.digest()) || skipped.contains(b.digest())) {
          continue;
        }
        if (client.hasBlob(ref.registry(), ref.repository(), b.digest())) {
          skipped.add(b.digest());
        } else {
          long before = done;
          client.uploadBlob(ref.registry(), ref.repository(), b.digest(), b.file(),
              options.chunkSize(), (sent, size) -> options.progress().progress(before + sent, total));
          uploaded.add(b.digest());
        }
        done += b.size();
        options.progress().progress(done, total);
      }
      String digest = client.putManifest(ref.registry(), ref.repository(), ref.tag(),
          OciExporter.MANIFEST_MEDIA_TYPE, built.manifest());
      return new Result(ref.toString(), digest, uploaded, skipped, built.mapped().warnings());
    } catch (IOException e) {
      throw new AppcException("push: " + destination + ": " + e.getMessage(), e);
    } finally {
      if (work != null) {
        OciExporter.deleteTree(work);
      }
    }
  }
}
