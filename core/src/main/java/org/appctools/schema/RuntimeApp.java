package org.appctools.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.Annotations;
import org.appctools.schema.types.App;
import org.appctools.schema.types.InvalidValueException;

/**
 * One app of a pod. {@code app} (nullable) replaces the image's app section entirely. Annotation
 * names are AC Identifiers as in the Go reference; the spec asks for AC Names and
 * {@code ManifestCheck} warns on the difference.
 */
@JsonPropertyOrder({"name", "image", "app", "readOnlyRootFS", "mounts", "annotations"})
public record RuntimeApp(
    AcName name,
    RuntimeImage image,
    @JsonInclude(JsonInclude.Include.NON_NULL) App app,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean readOnlyRootFS,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Mount> mounts,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Annotations annotations) {
  public RuntimeApp {
    if (name == null) {
      throw new InvalidValueException("invalid pod app: name is required");
    }
    if (image == null) {
      throw new InvalidValueException("invalid pod app \"" + name + "\": image is required");
    }
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    annotations = annotations == null ? Annotations.of() : annotations;
  }
}
