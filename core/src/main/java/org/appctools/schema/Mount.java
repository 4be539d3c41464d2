package org.appctools.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Volume;

/** Mounts pod volume {@code volume} at {@code path} of one app; {@code appVolume} (nullable) overrides the look-up. */
@JsonPropertyOrder({"volume", "path", "appVolume"})
public record Mount(AcName volume, String path, @JsonInclude(JsonInclude.Include.NON_NULL) Volume appVolume) {
  public Mount {
    if (volume == null) {
      throw new InvalidValueException("invalid mount: volume is required");
    }
    if (path == null || path.isEmpty()) {
      throw new InvalidValueException("invalid mount \"" + volume + "\": path is required");
    }
  }
}
