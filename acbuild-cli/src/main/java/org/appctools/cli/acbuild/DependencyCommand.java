package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.AppcException;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.Labels;
import org.appctools.store.DependencyPinning;
import org.appctools.store.ImageStore;
import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "dependency",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild dependency add example.com/base --label version=1.0",
      "  acbuild dependency remove example.com/base"},
    description = "Manage dependencies",
    subcommands = {DependencyCommand.Add.class, DependencyCommand.Remove.class})
final class DependencyCommand {
  @Command(name = "add",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild dependency add example.com/base --label version=1.0 --label arch=amd64",
        "  acbuild dependency add example.com/base --image-id sha512-6b3e --size 1048576"},
      description = {"Add a dependency",
      "Updates the ACI to contain a dependency with the given name (NAME[:VERSION][,LABEL=VALUE...] as in appc discovery),",
      "or on a local ACI file (a path beginning with ., / or ~): the file is added to the image store and the dependency",
      "is pinned to its Image ID. A name that the image store holds is pinned to the newest matching image's ID and size.",
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
    BuildSession.StateEdit ociEdit() throws AppcException {
      throw new AppcException("dependencies only supported in appc builds");
    }

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
      if (isLocalFile(imageName)) {
        return localFile();
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
      Dependency d = ManifestEdits.dependency(name, imageId, all, size);
      Path store = Acbuild.of(spec).storeDir();
      if (Files.isDirectory(store)) {
        Dependency pinned = DependencyPinning.pin(ImageStore.open(store), d);
        if (pinned.imageID() != null && d.imageID() == null) {
          Cli.debug(spec, "Pinned to the stored image " + pinned.imageID() + " (" + pinned.size() + " bytes)");
        }
        d = pinned;
      }
      return ManifestEdits.addDependency(d);
    }

    /** acbuild dependency add ./base.aci: the file goes into the store, the dependency is pinned to it. */
    private ManifestEdit localFile() throws AppcException {
      if (imageId != null) {
        throw new ParameterException(spec.commandLine(), "--image-id can't be given with a file dependency: the file's own Image ID is recorded");
      }
      Labels given = Labels.of();
      for (String l : labels) {
        int eq = l.indexOf('=');
        given = given.with(AcIdentifier.parse(l.substring(0, eq)), l.substring(eq + 1));
      }
      Path file = Cli.hostPath(imageName);
      Dependency d = DependencyPinning.fromFile(ImageStore.open(Acbuild.of(spec).storeDir()), file, given);
      if (size != null) {
        d = new Dependency(d.imageName(), d.imageID(), d.labels(), size);
      }
      Cli.debug(spec, "Adding dependency " + d.imageName() + " (" + d.imageID() + ") from " + file);
      return ManifestEdits.addDependency(d);
    }

    /** A path as begin takes one (., / or ~ first), or an existing file whose name ends in .aci. */
    private static boolean isLocalFile(String ref) {
      return ref.startsWith(".") || ref.startsWith("/") || ref.startsWith("~")
          || ref.endsWith(".aci") && Files.isRegularFile(Path.of(ref));
    }
  }

  @Command(name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild dependency remove example.com/base"},
      aliases = "rm", description = {"Remove a dependency",
      "Removes the dependency with the given name from the ACI's manifest (exit code 2 if there is none)"})
  static final class Remove extends ManifestEditStep {
    @Parameters(index = "0", paramLabel = "IMAGE_NAME") String imageName;

    @Override
    BuildSession.StateEdit ociEdit() throws AppcException {
      throw new AppcException("dependencies only supported in appc builds");
    }

    @Override
    ManifestEdit edit() {
      Cli.debug(spec, "Removing dependency \"" + imageName + "\"");
      return ManifestEdits.removeDependency(imageName);
    }
  }
}
