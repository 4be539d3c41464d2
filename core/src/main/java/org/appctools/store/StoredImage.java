package org.appctools.store;

import java.time.Instant;
import java.util.Objects;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.Labels;

/**
 * An image held by an {@link ImageStore}: its index record.
 *
 * @param id the full Image ID (128 hex digits)
 * @param name the name in its manifest
 * @param labels the labels in its manifest
 * @param importTime when it was last imported
 * @param lastUsed when it was last used ({@link ImageStore#markUsed}), or null if never
 * @param size bytes of the stored archive (as imported, compressed)
 * @param source where it came from (a URL, {@code file:} for a local file), or null
 * @param signed whether a detached signature is stored with it
 */
public record StoredImage(ImageId id, AcIdentifier name, Labels labels, Instant importTime,
    Instant lastUsed, long size, String source, boolean signed) {
  public StoredImage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(importTime, "importTime");
    labels = labels == null ? Labels.of() : labels;
  }

  /** {@code name} or {@code name:version}, as rkt's image list shows an image. */
  public String nameAndVersion() {
    return labels.get("version").map(v -> name + ":" + v).orElse(name.value());
  }
}
