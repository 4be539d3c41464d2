package org.appctools.cli.actool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image import app.aci",
      "  actool image import --signature app.aci.asc app.aci"},
    description = {
    "Add a local ACI to the store and print its Image ID",
    "",
    "The signature ACI.asc is stored with it when present (or the one --signature names); it is not verified here."})
final class ImageImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Option(names = "--signature", paramLabel = "FILE", description = "The detached signature to store with it (default: ACI.asc if it exists)")
  Path signature;

  @Parameters(paramLabel = "ACI")
  Path aci;

  @Override
  public Integer call() throws AppcException {
    Path sig = signature;
    Path beside = aci.resolveSibling(aci.getFileName() + ".asc");
    if (sig == null && Files.isRegularFile(beside)) {
      sig = beside;
    }
    StoredImage image = store.store().importAci(aci, sig, null);
    spec.commandLine().getOut().println(image.id());
    return 0;
  }
}
