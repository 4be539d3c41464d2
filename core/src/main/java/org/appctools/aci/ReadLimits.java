package org.appctools.aci;

/**
 * Bounds on what reading one ACI may cost, checked while streaming in constant memory.
 *
 * @param maxUncompressedBytes most tar bytes after decompression (default 64 GiB)
 * @param maxEntries most tar entries (default 10 million)
 * @param maxManifestBytes largest manifest (default 1 MiB)
 * @param maxExpansionRatio most uncompressed bytes per compressed byte once {@code
 *     ratioGraceBytes} have been decompressed; a decompression-bomb guard (default 1000)
 * @param ratioGraceBytes uncompressed bytes read before the ratio is checked (default 64 MiB)
 */
public record ReadLimits(
    long maxUncompressedBytes,
    long maxEntries,
    int maxManifestBytes,
    long maxExpansionRatio,
    long ratioGraceBytes) {

  public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 64L << 30;
  public static final long DEFAULT_MAX_ENTRIES = 10_000_000L;
  public static final int DEFAULT_MAX_MANIFEST_BYTES = 1 << 20;
  public static final long DEFAULT_MAX_EXPANSION_RATIO = 1000;
  public static final long DEFAULT_RATIO_GRACE_BYTES = 64L << 20;

  public ReadLimits {
    if (maxUncompressedBytes <= 0 || maxEntries <= 0 || maxManifestBytes <= 0
        || maxExpansionRatio <= 0 || ratioGraceBytes < 0) {
      throw new IllegalArgumentException("read limits must be positive");
    }
  }

  /** The three main limits with the default ratio guard. */
  public ReadLimits(long maxUncompressedBytes, long maxEntries, int maxManifestBytes) {
    this(maxUncompressedBytes, maxEntries, maxManifestBytes, DEFAULT_MAX_EXPANSION_RATIO,
        DEFAULT_RATIO_GRACE_BYTES);
  }

  /** 64 GiB, 10 million entries, 1 MiB manifest, 1000x expansion after 64 MiB. */
  public static ReadLimits defaults() {
    return new ReadLimits(DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_ENTRIES,
        DEFAULT_MAX_MANIFEST_BYTES, DEFAULT_MAX_EXPANSION_RATIO, DEFAULT_RATIO_GRACE_BYTES);
  }

  public ReadLimits withMaxUncompressedBytes(long value) {
    return new ReadLimits(value, maxEntries, maxManifestBytes, maxExpansionRatio, ratioGraceBytes);
  }

  public ReadLimits withMaxEntries(long value) {
    return new ReadLimits(maxUncompressedBytes, value, maxManifestBytes, maxExpansionRatio,
        ratioGraceBytes);
  }

  public ReadLimits withMaxManifestBytes(int value) {
    return new ReadLimits(maxUncompressedBytes, maxEntries, value, maxExpansionRatio,
        ratioGraceBytes);
  }

  public ReadLimits withExpansionGuard(long ratio, long graceBytes) {
    return new ReadLimits(maxUncompressedBytes, maxEntries, maxManifestBytes, ratio, graceBytes);
  }
}
