package org.appctools.cli.actool;

import org.appctools.aci.ReadLimits;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.ResourceQuantity;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The guards against hostile archives, for every command that reads an ACI. */
final class ReadLimitOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--max-uncompressed-size", paramLabel = "SIZE",
      description = "Refuse an archive whose tar is larger than SIZE (e.g. 100Gi, 500M; default 64Gi)")
  String maxUncompressedSize;

  @Option(names = "--max-expansion-ratio", paramLabel = "N",
      description = "Refuse data that decompresses to more than N times its size, past the first 64 MiB (default 1000)")
  Long maxExpansionRatio;

  @Option(names = "--max-entries", paramLabel = "N", description = "Refuse an archive with more than N entries (default 10000000)")
  Long maxEntries;

  ReadLimits limits() {
    ReadLimits l = ReadLimits.defaults();
    if (maxUncompressedSize != null) {
      long bytes;
      try {
        bytes = ResourceQuantity.parse(maxUncompressedSize).longValue();
      } catch (InvalidValueException e) {
        throw new ParameterException(spec.commandLine(), "--max-uncompressed-size: " + e.getMessage());
      }
      l = l.withMaxUncompressedBytes(positive("--max-uncompressed-size", bytes));
    }
    if (maxExpansionRatio != null) {
      l = l.withExpansionGuard(positive("--max-expansion-ratio", maxExpansionRatio), l.ratioGraceBytes());
    }
    if (maxEntries != null) {
      l = l.withMaxEntries(positive("--max-entries", maxEntries));
    }
    return l;
  }

  private long positive(String option, long value) {
    if (value <= 0) {
      throw new ParameterException(spec.commandLine(), option + " must be positive (given " + value + ")");
    }
    return value;
  }
}
