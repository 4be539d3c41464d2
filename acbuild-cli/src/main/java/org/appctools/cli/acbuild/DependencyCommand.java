package org.appctools.cli.acbuild;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "dependency", description = "Manage dependencies",
    subcommands = {DependencyCommand.Add.class, DependencyCommand.Remove.class})
final class DependencyCommand {
  @Command(name = "add", description = {"Add a dependency",
      "Updates the ACI to contain a dependency with the given name (NAME[:VERSION][,LABEL=VALUE...] as in appc discovery).",
      "If the dependency already exists, its values will be changed and it moves to the end of the list."})
  static final class Add extends ManifestEditStep {
    @Option(names = "--image-id", paramLabel = "ID", description = "Content hash of the dependency")
    String imageId;

    @Option(names = "--label", paramLabel = "NAME=VALUE", description = "Labels used for dependency matching (repeatable)")
    List<String> labels = new ArrayList<>();

    @Option(names = "--size", paramLabel = "BYTES", description = "The size of the image of the referenced dependency, in bytes")
    Long size;

    @Parameters(index = "0", paramLabel = "IMAGE_NAME") String imageName;

    @Override
    ManifestEdit edit() throws AppcException {
      for (String l : labels) {
        if (l.indexOf('=') < 0) {
          throw new ParameterException(spec.commandLine(), "invalid argument \"" + l + "\" for --label: no '=' character in \"" + l + "\"");
        }
      }
      if (size != null && size < 0) {
        throw new ParameterException(spec.commandLine(), "invalid argument \"" + size + "\" for --size: must not be negative");
      }
      // discovery.NewAppFromString: name[:version][,label=value]...
      String[] parts = imageName.split(",", -1);
      String name = parts[0];
      List<String> all = new ArrayList<>(labels);
      Set<String> seen = new LinkedHashSet<>();
      for (String l : labels) {
        seen.add(l.substring(0, l.indexOf('=')));
      }
      List<String> fromName = new ArrayList<>();
      int colon = name.indexOf(':');
      if (colon >= 0) {
        fromName.add("version=" + name.substring(colon + 1));
        name = name.substring(0, colon);
      }
      for (int i = 1; i < parts.length; i++) {
        if (parts[i].indexOf('=') <= 0) {
          throw new AppcException("couldn't parse dependency name: malformed label \"" + parts[i] + "\" in " + imageName);
        }
        fromName.add(parts[i]);
      }
      for (String l : fromName) {
        String key = l.substring(0, l.indexOf('='));
        if (!seen.add(key)) {
          throw new AppcException("multiple " + key + " labels specified");
        }
        all.add(l);
      }
      Cli.debug(spec, "Adding dependency \"" + imageName + "\"");
      return ManifestEdits.addDependency(name, imageId, all, size);
    }
  }

  @Command(name = "remove", aliases = "rm", description = {"Remove a dependency",
      "Removes the dependency with the given name from the ACI's manifest (exit code 2 if there is none)"})
  static final class Remove extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "IMAGE_NAME") String imageName;

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Removing dependency \"" + imageName + "\"");
      return ManifestEdits.removeDependency(imageName);
    }
  }
}
