package org.appctools.aci;

import java.util.Objects;
import java.util.OptionalLong;
import org.appctools.compress.Compression;

/**
 * How {@link AciBuilder} writes an ACI.
 *
 * @param compression the codec (gzip is actool's default)
 * @param ownerRoot store every entry as owned by 0:0 instead of its real owner
 * @param overwrite replace an existing output file
 * @param sourceDateEpoch when present, every mtime is clamped to it and the manifest entry gets
 *     it (the CLI passes {@code SOURCE_DATE_EPOCH})
 */
public record BuildOptions(
    Compression compression, boolean ownerRoot, boolean overwrite, OptionalLong sourceDateEpoch) {
  public BuildOptions {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
  }

  /** gzip, real owners, no overwrite, file mtimes. */
  public static BuildOptions defaults() {
    return new BuildOptions(Compression.GZIP, false, false, OptionalLong.empty());
  }
}
