package org.appctools.cli.acbuild;

import org.appctools.AppcException;

import org.appctools.build.BuildSession;

import java.util.List;
import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-event-handler",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild set-event-handler pre-start -- /root/setup-stuff.sh",
      "  acbuild set-event-handler post-stop -- /bin/report-results.sh"},
    aliases = "set-eh", description = "Manage event handlers",
    subcommands = {SetEventHandlerCommand.PreStart.class, SetEventHandlerCommand.PostStop.class})
final class SetEventHandlerCommand {
  @Command(name = "pre-start",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild set-event-handler pre-start -- /root/setup-stuff.sh"},
      description = {"Set the pre-start event handler"})
  static final class PreStart extends ManifestEditStep {
    @Parameters(arity = "1..*", paramLabel = "CMD [ARGS]") List<String> argv;

    @Override
    BuildSession.StateEdit ociEdit() throws AppcException {
      throw new AppcException("event handlers only supported in appc builds");
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Setting pre-start event handler to " + argv);
      return ManifestEdits.setEventHandler("pre-start", argv);
    }
  }

  @Command(name = "post-stop",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild set-event-handler post-stop -- /bin/report-results.sh"},
      description = {"Set the post-stop event handler"})
  static final class PostStop extends ManifestEditStep {
    @Parameters(arity = "1..*", paramLabel = "CMD [ARGS]") List<String> argv;

    @Override
    BuildSession.StateEdit ociEdit() throws AppcException {
      throw new AppcException("event handlers only supported in appc builds");
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Setting post-stop event handler to " + argv);
      return ManifestEdits.setEventHandler("post-stop", argv);
    }
  }
}
