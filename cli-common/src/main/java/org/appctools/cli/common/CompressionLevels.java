package org.appctools.cli.common;

import org.appctools.compress.Compression;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --compression-level} flag every writing command has, checked the same way: a picocli
 * mixin for the commands that write every compression ({@code @Mixin CompressionLevels}), and
 * {@link #checked(CommandSpec, Compression, Integer)} for a command that declares the flag itself
 * (docker2aci, which writes no bzip2).
 */
public final class CompressionLevels {
  @Option(names = "--compression-level", paramLabel = "N",
      description = "gzip and bzip2 1-9, xz 0-9, zstd 1-19 (default: gzip 6, bzip2 9, xz 6, zstd 3)")
  Integer level;

  /** Whether {@code --compression-level} was given. */
  public boolean given() {
    return level != null;
  }

  /** The level given checked for {@code algo}, or its default (see the static form). */
  public int checked(CommandSpec spec, Compression algo) {
    return checked(spec, algo, level);
  }

  /**
   * {@code level} checked for {@code algo}, or its default when null; out of range (or any level
   * with none) a usage error naming the flag and the range.
   */
  public static int checked(CommandSpec spec, Compression algo, Integer level) {
    if (level == null) {
      return algo.defaultLevel();
    }
    try {
      return algo.checkLevel(level);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--compression-level: " + e.getMessage());
    }
  }
}
