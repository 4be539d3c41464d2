package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.store.DependencyResolver;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "render", description = {
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

  @Parameters(index = "0", paramLabel = "IMAGE", description = "ID, ID prefix or name[:version][,label=value...]")
  String image;

  @Parameters(index = "1", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() throws AppcException {
    ImageStore s = store.store();
    ImageCommand.warn(spec, s.render(s.resolve(image), DependencyResolver.storeOnly(s), dir, overwrite, rootfsOnly)
        .warnings());
    return 0;
  }
}
