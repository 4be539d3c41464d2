package org.appctools.docker;

import java.util.List;
import org.appctools.docker.json.ConfigTemplate;

/**
 * An image found in an archive, a layout or a registry, ready to convert.
 *
 * @param reference its name and tag
 * @param originalName the name the user or the archive gave it, for the {@code
 *     appc.io/docker/originalname} annotation
 * @param manifestDigest the digest of its image manifest, or empty when there is none (docker
 *     save archives)
 * @param configDigest the digest of its config (Docker's image ID), or empty in the old docker
 *     save layout
 * @param config the image configuration
 * @param layers the layers, base first
 */
public record SourceImage(
    ImageReference reference,
    String originalName,
    String manifestDigest,
    String configDigest,
    ConfigTemplate config,
    List<LayerBlob> layers) {
  public SourceImage {
    originalName = originalName == null ? "" : originalName;
    manifestDigest = manifestDigest == null ? "" : manifestDigest;
    configDigest = configDigest == null ? "" : configDigest;
    layers = List.copyOf(layers);
  }
}
