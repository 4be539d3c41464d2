package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import org.appctools.oci.OciImage;

import org.appctools.AppcException;
import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "port",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild port add http tcp 80",
      "  acbuild port remove http"},
    description = "Manage ports", subcommands = {PortCommand.Add.class, PortCommand.Remove.class})
final class PortCommand {
  @Command(name = "add",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild port add http tcp 80",
        "  acbuild port add --count 10 --socket-activated rtp udp 5000"},
      description = {"Add a port",
      "Updates the ACI to contain a port with the given name, protocol, and port. If the port already exists, its values will be changed."})
  static final class Add extends ManifestEditStep {
    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
        description = "Specifies a range of ports, going from PORT to PORT + count - 1 (default ${DEFAULT-VALUE})")
    long count;

    @Option(names = "--socket-activated", description = "Set the app to be socket activated on this/these port/ports")
    boolean socketActivated;

    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "PROTOCOL") String protocol;
    @Parameters(index = "2", paramLabel = "PORT") String port;

    @Override
    BuildSession.StateEdit ociEdit() throws AppcException {
      edit();
      return OciImage.addPort(name, protocol, Integer.parseInt(port), (int) count, socketActivated);
    }

    @Override
    ManifestEdit edit() throws AppcException {
      int number;
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        number = -1;
      }
      if (number < 0 || number > 65535) {
        throw new AppcException("port must be a positive number between 0 and 65535");
      }
      if (count < 1 || count > 65536) {
        throw new AppcException("--count must be between 1 and 65536 (given " + count + ")");
      }
      Cli.debug(spec, "Adding port \"" + name + "\"=\"" + protocol + "\"");
      return ManifestEdits.addPort(name, protocol, number, (int) count, socketActivated);
    }
  }

  @Command(name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild port remove http",
        "  acbuild port remove 80"},
      aliases = "rm", description = {"Remove a port",
      "Removes the port with the given name or number from the ACI's manifest (exit code 2 if there is none)"})
  static final class Remove extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "NAME|PORT") String nameOrPort;

    @Override
    BuildSession.StateEdit ociEdit() {
      return OciImage.removePort(nameOrPort);
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Removing port \"" + nameOrPort + "\"");
      return ManifestEdits.removePort(nameOrPort);
    }
  }
}
