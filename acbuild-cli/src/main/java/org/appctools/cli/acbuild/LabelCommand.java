package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "label",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild label add version 1.0",
      "  acbuild label remove arch"},
    description = "Manage labels", subcommands = {LabelCommand.Add.class, LabelCommand.Remove.class})
final class LabelCommand {
  @Command(name = "add",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild label add version 1.0",
        "  acbuild label add arch amd64"},
      description = {"Add a label",
      "Updates the ACI to contain a label with the given name and value. If the label already exists, its value will be changed."})
  static final class Add extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VALUE") String value;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.addLabel(name, value);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Adding label \"" + name + "\"=\"" + value + "\"");
      return ManifestEdits.addLabel(name, value);
    }
  }

  @Command(name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild label remove arch"},
      aliases = "rm", description = {"Remove a label",
      "Removes the label with the given name from the ACI's manifest (exit code 2 if there is none)"})
  static final class Remove extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.removeLabel(name);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Removing label \"" + name + "\"");
      return ManifestEdits.removeLabel(name);
    }
  }
}
