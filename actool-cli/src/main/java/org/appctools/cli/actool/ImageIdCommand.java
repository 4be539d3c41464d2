package org.appctools.cli.actool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

  @Option(names = "--json", description = "Print a JSON array of objects, one an ACI_FILE: file, id")
  boolean json;

  @Parameters(paramLabel = "ACI_FILE", arity = "1..*")
  List<Path> acis;

  @Override
  public Integer call() throws AppcException {
    ArrayNode results = new ObjectMapper().createArrayNode();
    for (Path aci : acis) {
      String id = AciArchive.imageId(aci, readLimits.limits());
      if (json) {
        results.addObject().put("file", aci.toString()).put("id", id);
      } else {
        spec.commandLine().getOut().println(acis.size() == 1 ? id : id + "  " + aci);
      }
    }
    if (json) {
      spec.commandLine().getOut().println(results);
    }
    return 0;
  }
}
