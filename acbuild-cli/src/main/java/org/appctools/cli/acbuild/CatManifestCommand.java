package org.appctools.cli.acbuild;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.build.BuildSession;
import org.appctools.oci.OciBuild;
import org.appctools.schema.ImageManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "cat-manifest",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild cat-manifest",
      "  acbuild cat-manifest --pretty-print",
      "  acbuild --modify app.aci cat-manifest",
      "  acbuild cat-manifest --file config   (an OCI build)"},
    description = {"Print the manifest of the build (or, with --modify, of the ACI)",
    "In an OCI build (or with --modify-oci), prints the OCI manifest or, with --file config, the image config,",
    "of the image write would write now."})
final class CatManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--pretty-print", description = "Print with better style")
  boolean prettyPrint;

  @Option(names = "--file", paramLabel = "FILE", defaultValue = "manifest",
      description = "OCI builds: manifest (default) or config")
  String file;

  @Override
  public Integer call() throws Exception {
    Acbuild root = Acbuild.of(spec);
    root.checkModifyFlags();
    if (!file.equals("manifest") && !file.equals("config")) {
      throw new ParameterException(spec.commandLine(), "--file: \"" + file + "\" is not manifest or config");
    }
    ImageManifest m;
    if (root.modify != null) {
      byte[] raw = AciArchive.readManifest(root.modify);
      if (!prettyPrint) {
        spec.commandLine().getOut().println(new String(raw, StandardCharsets.UTF_8));
        return 0;
      }
      m = ImageManifest.parse(raw);
    } else if (root.modifyOci != null) {
      Path work = Files.createTempDirectory("acbuild-cat-manifest");
      try (BuildSession s = OciBuild.begin(work, Cli.hostPath(root.modifyOci.toString()))) {
        printOci(s);
        s.end();
        return 0;
      } finally {
        Cli.deleteTree(work);
      }
    } else {
      try (BuildSession s = BuildSession.open(root.workPath())) {
        if (s.mode() == BuildSession.Mode.OCI) {
          printOci(s);
          return 0;
        }
        m = s.manifest();
      }
    }
    spec.commandLine().getOut().println(prettyPrint ? m.toPrettyJson() : new String(m.toJson(), StandardCharsets.UTF_8));
    return 0;
  }

  private void printOci(BuildSession s) throws AppcException {
    byte[] json = OciBuild.cat(s, file.equals("config"), Cli.sourceDateEpoch());
    String text = new String(json, StandardCharsets.UTF_8);
    if (prettyPrint) {
      try {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        text = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));
      } catch (java.io.IOException e) {
        throw new AppcException("cat-manifest: " + e.getMessage(), e);
      }
    }
    spec.commandLine().getOut().println(text);
  }
}
