package org.appctools.cli.actool;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image verify example.com/app:1.0",
      "  actool image verify --json sha512-6b3e"},
    description = {
    "Check that stored images still hash to their IDs and their rendered trees are unchanged",
    "",
    "Every image is checked; the exit status is 1 if any failed."})
final class ImageVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "ID, ID prefix or name[:version][,label=value...]")
  List<String> images;

  @Override
  public Integer call() throws AppcException {
    ImageStore s = store.store();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failed = 0;
    for (String ref : images) {
      try {
        StoredImage i = s.resolve(ref);
        s.verify(i);
        out.println(i.id() + " (" + i.nameAndVersion() + "): ok");
      } catch (AppcException e) {
        String m = e.getMessage();
        err.println("image " + (m.startsWith("verify: ") ? m : "verify: " + m));
        failed++;
      }
    }
    return failed == 0 ? 0 : Actool.EXIT_FAILURE;
  }
}
