package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.discovery.Discovery;
import org.appctools.http.Http;
import org.appctools.schema.types.HostPlatform;
import org.appctools.store.Fetcher;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fetch",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool fetch example.com/app:1.0",
      "  actool fetch --pull-policy update https://example.com/app-1.0-linux-amd64.aci",
      "  actool fetch --insecure-options=image ./app.aci",
      "  actool fetch --decrypt-key ops-secret.asc https://example.com/app-1.0-linux-amd64.aci   # an encrypted image"},
    description = {
    "Fetch images into the image store, verified against the trust store",
    "",
    "IMAGE is name[:version][,label=value...] (found through appc meta discovery), an https:// URL of an ACI",
    "(its signature is URL.asc), a file (its signature is FILE.asc), or an image ID already in the store.",
    "Prints the Image ID of each image. Nothing is stored unless its signature is made by a key trusted for its name.",
    "Dependencies are fetched the same way, and the image is rendered with them into the store's tree cache."})
final class FetchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions storeOptions;

  @Mixin TrustDirOptions trustDir;

  @Mixin HttpFlags httpFlags;

  @Mixin DiscoveryFlags discoveryFlags;

  @Mixin DecryptFlags decryptFlags;

  @Option(names = "--pull-policy", paramLabel = "POLICY", defaultValue = "update",
      description = "never: the store only; new: download only what the store lacks; update: ask the server again (default: ${DEFAULT-VALUE})")
  String pullPolicy;

  @Mixin InsecureOptions insecureOptions;

  @Option(names = "--signature", paramLabel = "FILE", description = "The signature of the one local or URL image (default: IMAGE.asc)")
  Path signature;

  @Option(names = "--os", paramLabel = "OS", description = "The os to discover images for (default: this machine's)")
  String os;

  @Option(names = "--arch", paramLabel = "ARCH", description = "The arch to discover images for (default: this machine's)")
  String arch;

  @Option(names = "--full", description = "Print the full Image ID")
  boolean full;

  @Option(names = "--render", arity = "0..1", paramLabel = "true|false", defaultValue = "true",
      description = "Also fetch the image's dependencies and render it with them into the store's tree cache, so running it "
          + "costs no extraction (default: ${DEFAULT-VALUE}, as rkt's fetch)")
  boolean render;

  @Option(names = {"-q", "--quiet"}, description = "No progress bars")
  boolean quiet;

  @Parameters(paramLabel = "IMAGE", arity = "1..*") List<String> images;

  @Override
  public Integer call() throws AppcException {
    Set<String> insecure = insecureOptions.applyTo(httpFlags);
    if (signature != null && images.size() != 1) {
      throw new ParameterException(spec.commandLine(), "--signature applies to one image; " + images.size() + " were given");
    }
    Http http = httpFlags.http();
    Discovery discovery = new Discovery(http, discoveryFlags.options(httpFlags));
    HostPlatform host = HostPlatform.current();
    HostPlatform platform = new HostPlatform(os == null ? host.os() : os, arch == null ? host.arch() : arch);
    Fetcher.Options opts = new Fetcher.Options(Fetcher.PullPolicy.parse(pullPolicy), insecure.contains("image"), signature,
        platform, decryptFlags.decryption());
    ImageStore store = storeOptions.store();
    DownloadBars bars = new DownloadBars(spec.commandLine().getErr(), quiet);
    Fetcher fetcher = new Fetcher(store, http, discovery, trustDir.store(null), opts, bars);
    try {
      fetch(store, fetcher);
    } finally {
      bars.end();
    }
    return 0;
  }

  private void fetch(ImageStore store, Fetcher fetcher) throws AppcException {
    for (String image : images) {
      Fetcher.Fetched f = fetcher.fetch(image);
      if (f.signer() != null) {
        spec.commandLine().getErr().println("fetch: " + f.image().name() + " signed by "
            + Cli.describeKey(f.signer().userIds(), f.signer().fingerprint()));
      }
      if (render) {
        // as rkt's fetch: dependencies fetched too, the tree rendered once now and reused by every run
        store.renderedTree(f.image(), fetcher.dependencyResolver());
      }
      String id = f.image().id().value();
      spec.commandLine().getOut().println(full || id.length() <= 39 ? id : id.substring(0, 39));
    }
  }
}
