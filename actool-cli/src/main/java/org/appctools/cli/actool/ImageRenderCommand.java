package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.ExtractResult;
import org.appctools.cli.common.ProgressBar;
import org.appctools.store.DependencyResolver;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "render",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image render example.com/app:1.0 ./app-tree",
      "  actool image render --rootfs-only --overwrite example.com/app:1.0 ./rootfs"},
    description = {
    "Render a stored image with its dependencies (from the store) into a directory",
    "",
    "Dependencies are layered in the spec's order and pathWhitelists applied as the reference renderer does. "
        + "DIR gets the manifest and rootfs/, or with --rootfs-only the root filesystem itself. Device nodes are left out."})
final class ImageRenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Option(names = "--overwrite", description = "Replace DIR if it exists")
  boolean overwrite;

  @Option(names = "--rootfs-only", description = "Render only the root filesystem")
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
    ProgressBar bar = ProgressBar.on(spec.commandLine().getErr(), "Rendering " + image, quiet);
    ExtractResult result;
    try {
      result = s.render(s.resolve(image), DependencyResolver.storeOnly(s), dir, overwrite, rootfsOnly, bar);
    } finally {
      bar.end();
    }
    ImageCommand.warn(spec, result.warnings());
    return 0;
  }
}
