package org.appctools.docker.json;

import java.util.List;
import java.util.Map;

/**
 * An image manifest, Docker schema 2 or OCI: the config blob, the layers (base first) and the
 * OCI manifest's annotations.
 */
public record ManifestTemplate(
    int schemaVersion,
    String mediaType,
    DescriptorTemplate config,
    List<DescriptorTemplate> layers,
    Map<String, String> annotations) {
  public ManifestTemplate {
    layers = layers == null ? List.of() : List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }
}
