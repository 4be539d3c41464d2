package org.appctools.docker.json;

import java.util.List;

/** An image manifest, Docker schema 2 or OCI: the config blob and the layers, base first. */
public record ManifestTemplate(
    int schemaVersion,
    String mediaType,
    DescriptorTemplate config,
    List<DescriptorTemplate> layers) {
  public ManifestTemplate {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }
}
