package org.appctools.docker.json;

import java.util.List;

/**
 * An OCI image index ({@code index.json} of a layout, or an index blob) or a Docker manifest
 * list: manifests for several platforms or tags.
 */
public record IndexTemplate(int schemaVersion, String mediaType, List<DescriptorTemplate> manifests) {
  public IndexTemplate {
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
  }
}
