package org.appctools.cli.acbuild;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BeginSource;
import org.appctools.build.BuildSession;
import org.appctools.oci.OciBuild;
import org.appctools.discovery.Discovery;
import org.appctools.discovery.DiscoveryOptions;
import org.appctools.http.Http;
import org.appctools.http.HttpOptions;
import org.appctools.sign.TrustStore;
import org.appctools.store.Fetcher;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "begin",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild begin ./rootfs"},
    description = {"Start a new build",
    "Begins a new build. By default operations will be performed on top of an empty image, but a start image can be",
    "provided: a path beginning with ., / or ~ is a local directory (the rootfs), an ACI, or a tar of a rootfs;",
    "docker://[REGISTRY/]NAME[:TAG] is a Docker image converted as docker2aci does; anything else is an appc name",
    "(NAME[:VERSION][,LABEL=VALUE...]). Both are taken from the image store, or fetched into it (appc images checked",
    "against the trust store, as actool fetch does) when the store lacks them."})
final class BeginCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--insecure", description = "Allows fetching the start image over plain HTTP, without TLS verification and without a trusted signature")
  boolean insecure;

  @Option(names = "--build-mode", paramLabel = "MODE", defaultValue = "appc",
      description = "appc (default) or oci: the image format the build makes (OCI: image-spec 1.0 layouts, with layers)")
  String buildMode;

  @Parameters(arity = "0..1", paramLabel = "START") String start;

  @Override
  public Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    root.refuseModify(spec);
    if (buildMode.equals("oci")) {
      return beginOci(root);
    }
    if (!buildMode.equals("appc")) {
      throw new AppcException("unknown build mode: " + buildMode + " (use appc or oci)");
    }
    BeginSource source = source();
    Cli.debug(spec, start == null ? "Beginning build with an empty ACI" : "Beginning build with " + start);
    try (BuildSession s = BuildSession.begin(root.workPath(), source)) {
      Cli.warn(spec, s.warnings());
    }
    return 0;
  }

  /**
   * An OCI build: empty, or from a local OCI image layout (a directory or a tar of one), a rootfs
   * directory or a rootfs tar; remote images are refused as the Go acbuild refused them.
   */
  private int beginOci(Acbuild root) throws AppcException {
    Path from = null;
    if (start != null) {
      if (!(start.startsWith(".") || start.startsWith("/") || start.startsWith("~"))) {
        throw new AppcException("cannot start from remote OCI images currently (give a local OCI "
            + "image layout: a path beginning with ., / or ~; fetch one with skopeo copy docker://... oci:DIR)");
      }
      from = Cli.hostPath(start);
      if (!Files.exists(from)) {
        throw new AppcException("start image " + start + " does not exist");
      }
    }
    Cli.debug(spec, start == null ? "Beginning OCI build with an empty image" : "Beginning OCI build with " + start);
    try (BuildSession s = OciBuild.begin(root.workPath(), from)) {
      Cli.warn(spec, s.warnings());
    }
    return 0;
  }

  private BeginSource source() throws AppcException {
    if (start == null) {
      return new BeginSource.Empty();
    }
    if (start.startsWith(".") || start.startsWith("/") || start.startsWith("~")) {
      Path p = Cli.hostPath(start);
      if (!Files.exists(p)) {
        throw new AppcException("start image " + start + " does not exist");
      }
      return Files.isDirectory(p) ? new BeginSource.Directory(p) : new BeginSource.Archive(p);
    }
    return new BeginSource.Archive(fetch(start));
  }

  /**
   * An appc name through the image store: a stored image when there is one, else discovered,
   * downloaded and verified against the trust store (--insecure: plain HTTP, no TLS or signature
   * checks, which is what the Go acbuild did always).
   */
  private Path fetch(String name) throws AppcException {
    Acbuild root = Acbuild.of(spec);
    ImageStore store = ImageStore.open(root.storeDir());
    HttpOptions httpOptions = HttpOptions.defaults().withAllowHttp(insecure).withInsecureSkipTlsVerify(insecure);
    Http http = new Http(httpOptions);
    Fetcher fetcher = new Fetcher(store, http, new Discovery(http, new DiscoveryOptions(insecure, null)),
        // a Docker image has no appc signature (its registry digests are checked): the Go acbuild took them as they are
        TrustStore.userDefault(), new Fetcher.Options(Fetcher.PullPolicy.NEW, insecure || name.startsWith("docker://"), null, null),
        message -> spec.commandLine().getErr().println(message));
    Fetcher.Fetched f = fetcher.fetch(name);
    Cli.debug(spec, "Starting from " + f.image().name() + " (" + f.image().id() + ", " + f.outcome() + ")");
    return store.aciFile(f.image());
  }
}
