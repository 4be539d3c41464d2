package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.ExtractResult;
import org.appctools.cli.common.ProgressBar;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "extract",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image extract example.com/app:1.0 ./app-tree",
      "  actool image extract --rootfs-only --overwrite sha512-6b3e ./rootfs"},
    description = {
    "Extract a stored image alone (no dependencies, no whitelist) into a directory",
    "",
    "DIR gets the manifest and rootfs/, or with --rootfs-only the root filesystem itself. Device nodes are left out."})
final class ImageExtractCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Option(names = "--overwrite", description = "Replace DIR if it exists")
  boolean overwrite;

  @Option(names = "--rootfs-only", description = "Extract only the root filesystem")
  boolean rootfsOnly;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "ID, ID prefix or name[:version][,label=value...]")
  String image;

  @Parameters(index = "1", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() throws AppcException {
    ImageStore s = store.store();
    ProgressBar bar = ProgressBar.on(spec.commandLine().getErr(), "Extracting " + image, quiet);
    ExtractResult result;
    try {
      result = s.extract(s.resolve(image), dir, overwrite, rootfsOnly, bar);
    } finally {
      bar.end();
    }
    ImageCommand.warn(spec, result.warnings());
    return 0;
  }
}
