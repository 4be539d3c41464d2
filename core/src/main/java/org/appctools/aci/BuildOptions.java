package org.appctools.aci;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.appctools.AppcException;
import org.appctools.compress.Compression;

/**
 * How {@link AciBuilder} writes an ACI.
 *
 * @param compression the codec (gzip is actool's default)
 * @param ownerRoot store every entry as owned by 0:0 instead of its real owner
 * @param overwrite replace an existing output file
 * @param sourceDateEpoch when present, every mtime is clamped to it and the manifest entry gets
 *     it (the CLI passes {@code SOURCE_DATE_EPOCH})
 * @param owners owners to store instead of the ones on disk, by path relative to the rootfs
 *     ({@code ""} is the rootfs itself, {@code "etc/passwd"} a file); how an unprivileged build
 *     keeps the owners its files should have. {@link #ownerRoot()} wins over it.
 * @param compressionLevel the level to compress at, in {@link Compression#checkLevel}'s range
 *     (ignored for none)
 */
public record BuildOptions(Compression compression, boolean ownerRoot, boolean overwrite,
    OptionalLong sourceDateEpoch, Map<String, Owner> owners, int compressionLevel) {
  /** A numeric owner. */
  public record Owner(long uid, long gid) {}

  /** @throws IllegalArgumentException when the level is out of the compression's range */
  public BuildOptions {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
    owners = owners == null ? Map.of() : Map.copyOf(owners);
    if (compression != Compression.NONE) {
      compression.checkLevel(compressionLevel);
    }
  }

  /** Options at the compression's default level. */
  public BuildOptions(Compression compression, boolean ownerRoot, boolean overwrite,
      OptionalLong sourceDateEpoch, Map<String, Owner> owners) {
    this(compression, ownerRoot, overwrite, sourceDateEpoch, owners, compression.defaultLevel());
  }

  /**
   * The value of {@code SOURCE_DATE_EPOCH} (reproducible-builds.org) as a clamp time: empty when
   * unset or empty, else seconds since 1970.
   */
  public static OptionalLong sourceDateEpoch(String value) throws AppcException {
    if (value == null || value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long epoch = Long.parseLong(value.trim());
      if (epoch >= 0) {
        return OptionalLong.of(epoch);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new AppcException("SOURCE_DATE_EPOCH=" + value
        + " is not a number of seconds since 1970 (unset it or give e.g. 1700000000)");
  }

  /** Options that store the owners found on disk, at the compression's default level. */
  public BuildOptions(
      Compression compression, boolean ownerRoot, boolean overwrite, OptionalLong sourceDateEpoch) {
    this(compression, ownerRoot, overwrite, sourceDateEpoch, Map.of());
  }

  /** These options with {@code value} as the owner overrides. */
  public BuildOptions withOwners(Map<String, Owner> value) {
    return new BuildOptions(compression, ownerRoot, overwrite, sourceDateEpoch, value,
        compressionLevel);
  }

  /**
   * These options compressing at {@code level}.
   *
   * @throws IllegalArgumentException when the level is out of the compression's range
   */
  public BuildOptions withCompressionLevel(int level) {
    return new BuildOptions(compression, ownerRoot, overwrite, sourceDateEpoch, owners, level);
  }

  /** gzip, real owners, no overwrite, file mtimes. */
  public static BuildOptions defaults() {
    return new BuildOptions(Compression.GZIP, false, false, OptionalLong.empty());
  }
}
