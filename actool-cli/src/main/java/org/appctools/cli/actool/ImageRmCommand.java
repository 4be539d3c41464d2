package org.appctools.cli.actool;

import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rm",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image rm example.com/app:1.0",
      "  actool image rm sha512-6b3e sha512-91ac"},
    description = {
    "Remove images from the store",
    "",
    "An ID or ID prefix removes that image, a name[:version][,label=value...] every image it matches. "
        + "If one of them matches nothing, nothing is removed."})
final class ImageRmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "IMAGE", arity = "1..*")
  List<String> refs;

  @Override
  public Integer call() throws AppcException {
    for (StoredImage i : store.store().remove(refs)) {
      spec.commandLine().getOut().println("Removed " + i.id() + " (" + i.nameAndVersion() + ")");
    }
    return 0;
  }
}
