package org.appctools.docker.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The {@code rootfs} of an image config: the digests of the uncompressed layers, base first. */
public record RootfsTemplate(String type, @JsonProperty("diff_ids") List<String> diffIds) {
  public RootfsTemplate {
    diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
  }
}
