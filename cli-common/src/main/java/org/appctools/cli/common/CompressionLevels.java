package org.appctools.cli.common;

import org.appctools.compress.Compression;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The {@code --compression-level} flag every writing command has, checked the same way. */
public final class CompressionLevels {
  private CompressionLevels() {}

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
