package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.oci.OciExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool export app.aci app-oci && umoci unpack --image app-oci:1.0 bundle",
      "  actool export --format docker-archive --tag example.com/app:1.0 app.aci app.tar && docker load -i app.tar"},
    description = {
    "Export an image with its dependencies as an OCI image or a docker save archive",
    "",
    "IMAGE is an ACI file or an image of the store (ID, ID prefix or name[:version][,label=value...]); its dependencies "
        + "come from the store. Each becomes a layer, base first, and the manifest the image config (see docs/oci-export.md). "
        + "The same images always give the same bytes. Prints the reference and the manifest digest (a docker archive: the "
        + "image ID)."})
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "oci",
      description = "oci (an OCI image layout directory), oci-archive (the layout in a tar) or docker-archive "
          + "(docker save) (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--tag", paramLabel = "NAME:TAG",
      description = "The image's reference (default: its name and version label, else latest)")
  String tag;

  @Option(names = "--overwrite", description = "Replace OUT if it exists")
  boolean overwrite;

  @Parameters(index = "0", paramLabel = "IMAGE") String image;

  @Parameters(index = "1", paramLabel = "OUT") Path out;

  @Override
  public Integer call() throws AppcException {
    OciExporter.Result r = OciExporter.export(ImageSources.exportSource(image, store), out,
        new OciExporter.Options(OciExporter.Format.parse(format), tag, overwrite, null));
    Cli.warn(spec, r.warnings());
    spec.commandLine().getOut().println(r.reference() + " "
        + (r.manifestDigest() != null ? r.manifestDigest() : r.configDigest()));
    return 0;
  }
}
