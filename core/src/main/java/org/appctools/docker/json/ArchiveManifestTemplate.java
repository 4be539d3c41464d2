package org.appctools.docker.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One image of the {@code manifest.json} of a {@code docker save} archive: the config file, the
 * tags and the layer files, base first (names inside the archive).
 */
public record ArchiveManifestTemplate(
    @JsonProperty("Config") String config,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("Layers") List<String> layers) {
  public ArchiveManifestTemplate {
    repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }
}
