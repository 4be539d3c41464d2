package org.appctools.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Labels;

/** The image of a pod app: {@code id} required, {@code name} (nullable) and {@code labels} informational. */
@JsonPropertyOrder({"name", "id", "labels"})
public record RuntimeImage(
    @JsonInclude(JsonInclude.Include.NON_NULL) AcIdentifier name,
    ImageId id,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Labels labels) {
  public RuntimeImage {
    if (id == null) {
      throw new InvalidValueException("invalid pod app image: id is required");
    }
    labels = labels == null ? Labels.of() : labels;
  }
}
