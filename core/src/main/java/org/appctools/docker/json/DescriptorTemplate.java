package org.appctools.docker.json;

import java.util.Map;

/**
 * A content descriptor: the media type, digest and size of a blob, plus the platform for
 * entries of an image index and the annotations (an OCI layout names its tags with {@code
 * org.opencontainers.image.ref.name}).
 */
public record DescriptorTemplate(
    String mediaType,
    String digest,
    long size,
    Map<String, String> annotations,
    PlatformTemplate platform) {
  public DescriptorTemplate {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }
}
