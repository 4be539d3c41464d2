package org.appctools.cli.actool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.schema.ImageManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cat-manifest",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool cat-manifest app.aci",
      "  actool cat-manifest --pretty-print app.aci | jq .name"},
    description = "Print the manifest from an ACI")
final class CatManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ReadLimitOptions readLimits;

  @Option(names = "--pretty-print", arity = "0..1", paramLabel = "true|false", description = "Print with better style")
  boolean prettyPrint;

  @Parameters(paramLabel = "ACI_FILE")
  Path aci;

  @Override
  public Integer call() throws AppcException {
    byte[] manifest = AciArchive.readManifest(aci, readLimits.limits());
    // like the Go actool: the bytes as stored, or the parsed manifest re-written indented
    String text = prettyPrint ? ImageManifest.parse(manifest).toPrettyJson() : new String(manifest, StandardCharsets.UTF_8);
    spec.commandLine().getOut().println(text);
    return 0;
  }
}
