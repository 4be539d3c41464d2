package org.appctools.docker.json;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The platform of a manifest in an image index or manifest list. */
public record PlatformTemplate(
    String architecture,
    String os,
    String variant,
    @JsonProperty("os.version") String osVersion) {
  /** {@code os/architecture[/variant]}, as Docker prints platforms. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
  }
}
