package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "annotation",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild annotation add authors \"Jane Doe <jane@example.com>\"",
      "  acbuild annotation remove authors"},
    description = "Manage annotations", subcommands = {AnnotationCommand.Add.class, AnnotationCommand.Remove.class})
final class AnnotationCommand {
  @Command(name = "add",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild annotation add authors \"Jane Doe <jane@example.com>\"",
        "  acbuild annotation add homepage https://example.com/app"},
      description = {"Add an annotation",
      "Updates the ACI to contain an annotation with the given name and value. If the annotation already exists, its value will be changed."})
  static final class Add extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VALUE") String value;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.addAnnotation(name, value);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Adding annotation \"" + name + "\"=\"" + value + "\"");
      return ManifestEdits.addAnnotation(name, value);
    }
  }

  @Command(name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild annotation remove authors"},
      aliases = "rm", description = {"Remove an annotation",
      "Removes the annotation with the given name from the ACI's manifest (exit code 2 if there is none)"})
  static final class Remove extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.removeAnnotation(name);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Removing annotation \"" + name + "\"");
      return ManifestEdits.removeAnnotation(name);
    }
  }
}
