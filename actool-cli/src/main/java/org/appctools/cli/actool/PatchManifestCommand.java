package org.appctools.cli.actool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.aci.AciRewriter;
import org.appctools.cli.common.CompressionLevels;
import org.appctools.compress.Compression;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.ManifestPatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "patch-manifest",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool patch-manifest --exec \"/bin/app --serve\" --user 1000 --group 1000 app.aci app-patched.aci",
      "  actool patch-manifest --manifest manifest.json --replace app.aci"},
    description = {
      "Copy an ACI and patch its manifest",
      "",
      "The rootfs is copied entry by entry, unchanged; the output is written atomically. "
          + "Prints the new Image ID."
    })
final class PatchManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ReadLimitOptions readLimits;

  @Option(names = "--manifest", paramLabel = "MANIFEST_FILE",
      description = "Replace image manifest with this file. Incompatible with other replace options.")
  Path manifestFile;

  @Option(names = "--name", description = "Replace name") String name;
  @Option(names = "--exec", description = "Replace the command line to launch the executable (split on spaces)") String exec;
  @Option(names = "--user", description = "Replace user") String user;
  @Option(names = "--group", description = "Replace group") String group;
  @Option(names = "--supplementary-groups", paramLabel = "GID,...",
      description = "Replace supplementary groups, expects a comma-separated list.") String supplementaryGroups;
  @Option(names = "--capability", paramLabel = "CAP,...", description = "Set the capability retain set") String capability;
  @Option(names = "--revoke-capability", paramLabel = "CAP,...", description = "Set the capability remove set") String revokeCapability;
  @Option(names = "--mounts", paramLabel = "NAME,path=P[,readOnly=B][:...]", description = "Add mount points") String mounts;
  @Option(names = "--ports", paramLabel = "NAME,protocol=P,port=N[,count=N][,socketActivated=B][:...]",
      description = "Add ports") String ports;
  @Option(names = "--isolators", paramLabel = "NAME,k=v[,...][:...]",
      description = "Add isolators (resource/*, os/linux/no-new-privileges,BOOL, os/linux/oom-score-adj,N)") String isolators;
  @Option(names = "--seccomp-mode", paramLabel = "remove|retain[,errno=E]", description = "Enable and configure the seccomp isolator") String seccompMode;
  @Option(names = "--seccomp-set", paramLabel = "SYSCALL,...", description = "Set of syscalls for the seccomp isolator") String seccompSet;

  @Option(names = "--overwrite", arity = "0..1", paramLabel = "true|false", description = "Overwrite target file if it already exists") boolean overwrite;
  @Option(names = "--no-compression", arity = "0..1", paramLabel = "true|false", description = "Do not compress the produced ACI") boolean noCompression;
  @Option(names = "--replace", arity = "0..1", paramLabel = "true|false", description = "Replace the input file") boolean replace;
  @Option(names = "--compression", paramLabel = "ALGO",
      description = "gzip (default), bzip2, xz, zstd or none") String compression;
  @Mixin CompressionLevels compressionLevel;

  @Parameters(paramLabel = "INPUT_ACI_FILE [OUTPUT_ACI_FILE]", arity = "1..2")
  List<Path> files;

  @Override
  public Integer call() throws AppcException {
    if (replace && overwrite) {
      throw new AppcException("cannot use both --replace and --overwrite");
    }
    if (!replace && files.size() != 2) {
      throw new AppcException("must provide input and output files (or use --replace)");
    }
    if (replace && files.size() != 1) {
      throw new AppcException("must provide one file with --replace");
    }
    ManifestPatch patch = new ManifestPatch(name, exec, user, group, supplementaryGroups, capability,
        revokeCapability, mounts, ports, isolators, seccompMode, seccompSet);
    if (manifestFile != null && !patch.isEmpty()) {
      throw new AppcException("--manifest is incompatible with other manifest editing options");
    }
    Path in = files.get(0);
    Path out = replace ? in : files.get(1);
    if (!replace) {
      Cli.requireAciExtension(out);
    }
    byte[] manifest = manifestFile != null
        ? ImageManifest.parse(read(manifestFile)).toJson()
        : patch.apply(ImageManifest.parse(AciArchive.readManifest(in, readLimits.limits()))).toJson();
    Compression algo = Cli.compression(spec, noCompression, compression);
    int level = compressionLevel.checked(spec, algo);
    String id = AciRewriter.replaceManifest(in, out, manifest, algo, level, overwrite || replace, readLimits.limits());
    spec.commandLine().getOut().println(id);
    return 0;
  }

  private static byte[] read(Path file) throws AppcException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AppcException("cannot read manifest file " + file + ": " + e.getMessage(), e);
    }
  }
}
