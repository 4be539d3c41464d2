package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.AppcException;
import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "isolator",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild isolator add resource/memory memory.json",
      "  acbuild isolator remove resource/memory"},
    description = "Manage isolators",
    subcommands = {IsolatorCommand.Add.class, IsolatorCommand.Remove.class})
final class IsolatorCommand {
  @Command(name = "add",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild isolator add resource/memory memory.json",
        "  echo '{\"limit\":\"1G\"}' | acbuild isolator add resource/memory -"},
      description = {"Add an isolator",
      "Updates the ACI to contain an isolator with the given name, its value the JSON in FILE (or on stdin with -).",
      "If the isolator already exists, its value will be changed."})
  static final class Add extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "FILE|-") String file;

    @Override
    BuildSession.StateEdit ociEdit() throws AppcException {
      throw new AppcException("isolators only supported in appc builds");
    }

    @Override
    ManifestEdit edit() throws AppcException {
      byte[] value;
      try {
        value = file.equals("-") ? Acbuild.of(spec).in.readAllBytes() : Files.readAllBytes(Path.of(file));
      } catch (IOException e) {
        throw new AppcException("can't read the isolator value from " + (file.equals("-") ? "stdin" : file) + ": " + e.getMessage(), e);
      }
      Cli.debug(spec, "Adding isolator \"" + name + "\"");
      return ManifestEdits.addIsolator(name, value);
    }
  }

  @Command(name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild isolator remove resource/memory"},
      aliases = "rm", description = {"Remove an isolator",
      "Removes the isolator with the given name from the ACI's manifest (exit code 2 if there is none)"})
  static final class Remove extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    BuildSession.StateEdit ociEdit() throws AppcException {
      throw new AppcException("isolators only supported in appc builds");
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Removing isolator \"" + name + "\"");
      return ManifestEdits.removeIsolator(name);
    }
  }
}
