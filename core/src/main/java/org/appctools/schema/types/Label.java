package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One image label. The name {@code name} is reserved: the image name is its own field. A missing value reads as "", as in Go. */
@JsonPropertyOrder({"name", "value"})
public record Label(AcIdentifier name, String value) {
  public Label {
    if (name == null) {
      throw new InvalidValueException("invalid label: name is required");
    }
    if (name.value().equals("name")) {
      throw new InvalidValueException("invalid label name \"name\": reserved, the image name is a separate field");
    }
    value = value == null ? "" : value;
  }
}
