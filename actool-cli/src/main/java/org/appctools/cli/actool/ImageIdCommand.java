package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "image-id",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image-id app.aci",
      "  actool image-id *.aci"},
    description = "Print the Image ID (sha512 of the uncompressed tar) of each ACI, without extracting it")
final class ImageIdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ReadLimitOptions readLimits;

  @Parameters(paramLabel = "ACI_FILE", arity = "1..*")
  List<Path> acis;

  @Override
  public Integer call() throws AppcException {
    for (Path aci : acis) {
      String id = AciArchive.imageId(aci, readLimits.limits());
      spec.commandLine().getOut().println(acis.size() == 1 ? id : id + "  " + aci);
    }
    return 0;
  }
}
