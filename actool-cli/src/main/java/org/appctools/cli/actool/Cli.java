package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.appctools.AppcException;
import org.appctools.aci.BuildOptions;
import org.appctools.compress.Compression;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

/** Small things every actool command needs the same way. */
final class Cli {
  private Cli() {}

  /** The Go actool insists on the spec's file suffix; so do we. */
  static void requireAciExtension(Path output) throws AppcException {
    String name = output.getFileName() == null ? "" : output.getFileName().toString();
    if (!name.endsWith(".aci")) {
      int dot = name.lastIndexOf('.');
      throw new AppcException("extension must be .aci (given " + (dot < 0 ? "none" : name.substring(dot)) + " in " + output + ")");
    }
  }

  /** SOURCE_DATE_EPOCH (reproducible-builds.org), if set: the time to clamp mtimes to. */
  static OptionalLong sourceDateEpoch() throws AppcException {
    return BuildOptions.sourceDateEpoch(System.getenv("SOURCE_DATE_EPOCH"));
  }

  /** The codec of --compression / --no-compression, as build and patch-manifest take them. */
  static Compression compression(CommandSpec spec, boolean noCompression, String name) {
    if (noCompression && name != null && !name.equals("none")) {
      throw new ParameterException(spec.commandLine(), "--no-compression conflicts with --compression=" + name);
    }
    if (noCompression) {
      return Compression.NONE;
    }
    if (name == null) {
      return Compression.GZIP;
    }
    try {
      return Compression.fromName(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static void warn(CommandSpec spec, List<String> warnings) {
    for (String w : warnings) {
      spec.commandLine().getErr().println(spec.name() + ": warning: " + w);
    }
  }
}
