package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image export example.com/app:1.0 app.aci"},
    description = "Write a stored image to an ACI file, byte for byte as it was imported")
final class ImageExportCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Option(names = "--overwrite", description = "Replace OUTPUT if it exists")
  boolean overwrite;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "ID, ID prefix or name[:version][,label=value...]")
  String image;

  @Parameters(index = "1", paramLabel = "OUTPUT")
  Path output;

  @Override
  public Integer call() throws AppcException {
    ImageStore s = store.store();
    s.export(s.resolve(image), output, overwrite);
    return 0;
  }
}
