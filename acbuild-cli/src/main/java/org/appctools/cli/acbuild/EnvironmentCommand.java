package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "environment",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild environment add PATH /usr/local/bin:/usr/bin:/bin",
      "  acbuild environment remove DEBUG"},
    description = "Manage environment variables", subcommands = {EnvironmentCommand.Add.class, EnvironmentCommand.Remove.class})
final class EnvironmentCommand {
  @Command(name = "add",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild environment add PATH /usr/local/bin:/usr/bin:/bin"},
      description = {"Add an environment variable",
      "Updates the ACI to contain an environment variable with the given name and value. If the environment variable already exists, its value will be changed."})
  static final class Add extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VALUE") String value;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.addEnv(name, value);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Adding environment variable \"" + name + "\"=\"" + value + "\"");
      return ManifestEdits.addEnvironment(name, value);
    }
  }

  @Command(name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild environment remove DEBUG"},
      aliases = "rm", description = {"Remove an environment variable",
      "Removes the environment variable with the given name from the ACI's manifest (exit code 2 if there is none)"})
  static final class Remove extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.removeEnv(name);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Removing environment variable \"" + name + "\"");
      return ManifestEdits.removeEnvironment(name);
    }
  }
}
