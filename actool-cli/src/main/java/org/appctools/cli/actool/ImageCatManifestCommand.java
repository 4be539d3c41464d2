package org.appctools.cli.actool;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cat-manifest",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image cat-manifest example.com/app:1.0",
      "  actool image cat-manifest --pretty-print sha512-6b3e"},
    description = "Print the manifest of a stored image")
final class ImageCatManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Option(names = "--pretty-print", arity = "0..1", paramLabel = "true|false", defaultValue = "true",
      description = "Indent the manifest (default true, as rkt; false prints it as stored)")
  boolean prettyPrint;

  @Parameters(paramLabel = "IMAGE", description = "ID, ID prefix or name[:version][,label=value...]")
  String image;

  @Override
  public Integer call() throws AppcException {
    ImageStore s = store.store();
    StoredImage i = s.resolve(image);
    spec.commandLine().getOut().println(prettyPrint ? s.manifest(i).toPrettyJson()
        : new String(s.manifestBytes(i), StandardCharsets.UTF_8));
    return 0;
  }
}
