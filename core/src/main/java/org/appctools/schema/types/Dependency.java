package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An image this image's filesystem is layered on. {@code imageID} (nullable) pins the exact image;
 * {@code size} (nullable, bytes) bounds what is fetched.
 */
@JsonPropertyOrder({"imageName", "imageID", "labels", "size"})
public record Dependency(
    AcIdentifier imageName,
    @JsonInclude(JsonInclude.Include.NON_NULL) ImageId imageID,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Labels labels,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long size) {
  public Dependency {
    if (imageName == null) {
      throw new InvalidValueException("invalid dependency: imageName is required");
    }
    labels = labels == null ? Labels.of() : labels;
    if (size != null && size < 0) {
      throw new InvalidValueException("invalid dependency \"" + imageName + "\": size " + size + " must not be negative");
    }
    if (size != null && size == 0) {
      size = null;
    }
  }

  public static Dependency of(AcIdentifier imageName) {
    return new Dependency(imageName, null, Labels.of(), null);
  }
}
