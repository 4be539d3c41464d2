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
 * @param compressionLevel the level to compress at, in {@link Compression#checkLevel}'s range
 *     (ignored for none)
 */
public record WriteOptions(boolean overwrite, Compression compression,
    OptionalLong sourceDateEpoch, int compressionLevel) {
  /** @throws IllegalArgumentException when the level is out of the compression's range */
  public WriteOptions {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
    if (compression != Compression.NONE) {
      compression.checkLevel(compressionLevel);
    }
  }

  /** Options at the compression's default level. */
  public WriteOptions(boolean overwrite, Compression compression, OptionalLong sourceDateEpoch) {
    this(overwrite, compression, sourceDateEpoch, compression.defaultLevel());
  }
}
