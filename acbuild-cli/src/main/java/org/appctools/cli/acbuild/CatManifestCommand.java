package org.appctools.cli.acbuild;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.build.BuildSession;
import org.appctools.schema.ImageManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cat-manifest", description = {"Print the manifest of the build (or, with --modify, of the ACI)"})
final class CatManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--pretty-print", description = "Print with better style")
  boolean prettyPrint;

  @Override
  public Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    ImageManifest m;
    if (root.modify != null) {
      byte[] raw = AciArchive.readManifest(root.modify);
      if (!prettyPrint) {
        spec.commandLine().getOut().println(new String(raw, StandardCharsets.UTF_8));
        return 0;
      }
      m = ImageManifest.parse(raw);
    } else {
      try (BuildSession s = BuildSession.open(root.workPath())) {
        m = s.manifest();
      }
    }
    spec.commandLine().getOut().println(prettyPrint ? m.toPrettyJson() : new String(m.toJson(), StandardCharsets.UTF_8));
    return 0;
  }
}
