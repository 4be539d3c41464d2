package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A place in an app's filesystem where a pod volume of the same name is mounted. As in the Go
 * reference only a non-empty path is required; {@code ManifestCheck} warns on relative paths.
 */
@JsonPropertyOrder({"name", "path", "readOnly"})
public record MountPoint(AcName name, String path, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean readOnly) {
  public MountPoint {
    if (name == null) {
      throw new InvalidValueException("invalid mount point: name is required");
    }
    if (path == null || path.isEmpty()) {
      throw new InvalidValueException("invalid mount point \"" + name + "\": path is required");
    }
  }
}
