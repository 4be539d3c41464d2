package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mount",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild mount add data /var/lib/app",
      "  acbuild mount remove data"},
    aliases = "volume", description = "Manage mount points",
    subcommands = {MountCommand.Add.class, MountCommand.Remove.class})
final class MountCommand {
  @Command(name = "add",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild mount add data /var/lib/app",
        "  acbuild mount add --read-only config /etc/app"},
      description = {"Add a mount point",
      "Updates the ACI to contain a mount point with the given name and path. If the mount point already exists, its values will be changed."})
  static final class Add extends ManifestEditStep {
    @Option(names = "--read-only", description = "Set the mount point to be read only")
    boolean readOnly;

    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "PATH") String path;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.addMount(name, path, readOnly);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Adding mount point \"" + name + "\"=\"" + path + "\"");
      return ManifestEdits.addMount(name, path, readOnly);
    }
  }

  @Command(name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild mount remove data",
        "  acbuild mount remove /var/lib/app"},
      aliases = "rm", description = {"Remove a mount point",
      "Removes the mount point with the given name or path from the ACI's manifest (exit code 2 if there is none)"})
  static final class Remove extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME|PATH") String nameOrPath;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.removeMount(nameOrPath);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Removing mount point \"" + nameOrPath + "\"");
      return ManifestEdits.removeMount(nameOrPath);
    }
  }
}
