package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The {@code acKind} of a manifest. The spec defines exactly two kinds, and so does this type. */
public enum AcKind {
  IMAGE_MANIFEST("ImageManifest"),
  POD_MANIFEST("PodManifest");

  private final String wire;

  AcKind(String wire) {
    this.wire = wire;
  }

  @JsonCreator
  public static AcKind parse(String value) {
    for (AcKind k : values()) {
      if (k.wire.equals(value)) {
        return k;
      }
    }
    throw InvalidValueException.of("AC Kind", String.valueOf(value), "must be ImageManifest or PodManifest");
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @Override
  public String toString() {
    return wire;
  }
}
