package org.appctools.cli.actool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.cli.common.ErrorLine;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

  @Option(names = "--json", description = "Print a JSON array of objects, one an IMAGE: image (as given), id and name "
      + "(null when it names no stored image), ok (true or false), error (null when ok); nothing on stderr")
  boolean json;

  @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "ID, ID prefix or name[:version][,label=value...]")
  List<String> images;

  @Override
  public Integer call() throws AppcException {
    ImageStore s = store.store();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failed = 0;
    ArrayNode results = new ObjectMapper().createArrayNode();
    for (String ref : images) {
      StoredImage i = null;
      String error = null;
      try {
        i = s.resolve(ref);
        s.verify(i);
      } catch (AppcException e) {
        error = e.getMessage();
        failed++;
      }
      if (json) {
        results.addObject().put("image", ref).put("id", i == null ? null : i.id().value())
            .put("name", i == null ? null : i.nameAndVersion()).put("ok", error == null).put("error", error);
      } else if (error == null) {
        out.println(i.id() + " (" + i.nameAndVersion() + "): ok");
      } else {
        ErrorLine.print(err, "image " + (error.startsWith("verify: ") ? error : "verify: " + error));
      }
    }
    if (json) {
      out.println(results);
    }
    return failed == 0 ? 0 : Actool.EXIT_FAILURE;
  }
}
