package org.appctools.docker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.docker.json.ConfigTemplate;
import org.appctools.docker.json.DescriptorTemplate;
import org.appctools.docker.json.DockerJson;
import org.appctools.docker.json.IndexTemplate;
import org.appctools.docker.json.ManifestTemplate;

/**
 * From a manifest or an index to an image: an OCI image index or Docker manifest list is
 * resolved to the manifest of the wanted platform, the manifest to its config and layers. Shared
 * by OCI layouts, OCI archives and registries, which differ only in how they fetch blobs.
 */
public final class Manifests {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** The media types a registry is asked for, in order of preference. */
  public static final List<String> ACCEPTED = List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
  private static final int MAX_JSON = 4 << 20;

  private Manifests() {}

  /** Fetches a manifest, index or config blob, verified against its descriptor's digest. */
  @FunctionalInterface
  public interface Fetcher {
    byte[] fetch(DescriptorTemplate descriptor) throws AppcException;
  }

  /** An image manifest and the config it names. */
  public record Resolved(String manifestDigest, ManifestTemplate manifest, String configDigest,
      ConfigTemplate config) {}

  /** The largest JSON document (manifest, index, config) read. */
  public static int maxJsonBytes() {
    return MAX_JSON;
  }

  /**
   * Resolves a manifest or index document: {@code mediaType} is what the source said it is (may
   * be empty: told then by the JSON), {@code digest} its verified digest. {@code what} names the
   * image in messages.
   */
  public static Resolved resolve(String what, String mediaType, byte[] json, String digest,
      Platform platform, Fetcher fetcher) throws AppcException {
    String type = mediaType == null ? "" : mediaType;
    for (int depth = 0; ; depth++) {
      if (type.equals(DOCKER_SCHEMA1) || type.equals(DOCKER_SCHEMA1_SIGNED)) {
        throw new AppcException(what + ": Docker schema 1 manifests are not supported (the "
            + "registry should also serve schema 2 or OCI; push the image again with a current "
            + "docker or skopeo)");
      }
      if (INDEXES.contains(type) || (type.isEmpty() && looksLikeIndex(json))) {
        if (depth > 4) {
          throw new AppcException(what + ": image indexes nested too deep");
        }
        IndexTemplate index = read(json, IndexTemplate.class, what + ": image index " + digest);
        DescriptorTemplate chosen = choose(what, index, platform);
        json = fetcher.fetch(chosen);
        digest = chosen.digest();
        type = chosen.mediaType() == null ? "" : chosen.mediaType();
        continue;
      }
      ManifestTemplate m = read(json, ManifestTemplate.class, what + ": manifest " + digest);
      if (m.schemaVersion() == 1) {
        throw new AppcException(what + ": Docker schema 1 manifests are not supported");
      }
      if (m.config() == null || m.config().digest() == null) {
        throw new AppcException(what + ": manifest " + digest + " has no config");
      }
      for (DescriptorTemplate layer : m.layers()) {
        Digests.check(layer.digest());
      }
      byte[] configJson = fetcher.fetch(m.config());
      ConfigTemplate config = read(configJson, ConfigTemplate.class,
          what + ": config " + m.config().digest());
      return new Resolved(digest, m, m.config().digest(), config);
    }
  }

  /** The entry of {@code index} for {@code platform}; an error lists the platforms it has. */
  static DescriptorTemplate choose(String what, IndexTemplate index, Platform platform)
      throws AppcException {
    List<String> available = new ArrayList<>();
    DescriptorTemplate exact = null;
    DescriptorTemplate any = null;
    for (DescriptorTemplate d : index.manifests()) {
      if (d.platform() == null) {
        continue;
      }
      available.add(d.platform().toString());
      if (platform.matches(d.platform())) {
        String v = d.platform().variant() == null ? "" : d.platform().variant();
        if (exact == null && v.equals(platform.variant())) {
          exact = d;
        }
        if (any == null) {
          any = d;
        }
      }
    }
    DescriptorTemplate chosen = exact != null ? exact : any;
    if (chosen == null) {
      throw new AppcException(what + " has no image for " + platform + " (it has "
          + (available.isEmpty() ? "no platform-specific images" : String.join(", ", available))
          + "); choose one with --os and --arch");
    }
    return chosen;
  }

  private static boolean looksLikeIndex(byte[] json) {
    try {
      IndexTemplate i = DockerJson.read(json, IndexTemplate.class, "index");
      return !i.manifests().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  static <T> T read(byte[] json, Class<T> type, String what) throws AppcException {
    try {
      return DockerJson.read(json, type, what);
    } catch (IOException e) {
      throw new AppcException(e.getMessage(), e);
    }
  }
}
