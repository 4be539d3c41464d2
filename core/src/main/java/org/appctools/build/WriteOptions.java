package org.appctools.build;

import java.util.Objects;
import java.util.OptionalLong;
import org.appctools.compress.Compression;

/**
 * How {@link BuildSession#write} writes the ACI.
 *
 * @param overwrite replace an existing file
 * @param compression the codec (acbuild's default is gzip)
 * @param sourceDateEpoch when present, mtimes are clamped to it (reproducible output)
 */
public record WriteOptions(boolean overwrite, Compression compression,
    OptionalLong sourceDateEpoch) {
  public WriteOptions {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
  }
}
