package org.appctools.cli.actool;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.cli.common.ProgressBar;
import org.appctools.oci.OciPush;
import org.appctools.registry.RegistryOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "push",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool push app.aci docker://registry.example.com/team/app:1.0"},
    description = {
    "Push an image with its dependencies to a Docker registry as an OCI image",
    "",
    "IMAGE is an ACI file or an image of the store; it is built as actool export builds it (same digests). Blobs the "
        + "registry has are skipped; the others are uploaded whole, or in chunks when larger than --chunk-size, and "
        + "checked against their digests. Logins come from Docker's config.json ($DOCKER_CONFIG, else ~/.docker: auths "
        + "and credential helpers), as docker2aci reads them. Prints the manifest digest."})
final class PushCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(names = "--insecure-allow-http", arity = "0..1", paramLabel = "true|false",
      description = "Talk plain HTTP to a registry without TLS (a loopback registry)")
  boolean allowHttp;

  @Option(names = {"--insecure-skip-tls-verify", "--insecure-skip-verify"}, arity = "0..1", paramLabel = "true|false",
      description = "Accept any TLS certificate of the registry")
  boolean skipTlsVerify;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Give up connecting, or waiting for an answer, after DURATION (30s, 2m; default 60s)")
  String timeout;

  @Option(names = "--chunk-size", paramLabel = "BYTES", defaultValue = "33554432",
      description = "Upload blobs larger than this in chunks of this size (default: ${DEFAULT-VALUE}, 32 MiB)")
  long chunkSize;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "IMAGE") String image;

  @Parameters(index = "1", paramLabel = "docker://REGISTRY/REPOSITORY:TAG") String destination;

  @Override
  public Integer call() throws AppcException {
    Duration d = timeout == null ? Duration.ofSeconds(60) : HttpFlags.parseDuration(timeout);
    if (d == null || d.isZero()) {
      throw new ParameterException(spec.commandLine(), "--timeout: \"" + timeout + "\" is not a positive duration");
    }
    if (chunkSize < 1) {
      throw new ParameterException(spec.commandLine(), "--chunk-size must be positive");
    }
    RegistryOptions registry = new RegistryOptions(skipTlsVerify, allowHttp, ImageSources.dockerConfigDir(), d, 4, null);
    ProgressBar bar = ProgressBar.on(spec.commandLine().getErr(), "Pushing " + destination, quiet);
    OciPush.Result r;
    try {
      r = OciPush.push(ImageSources.exportSource(image, store), destination, new OciPush.Options(registry, chunkSize, null, bar));
    } finally {
      bar.end();
    }
    Cli.warn(spec, r.warnings());
    spec.commandLine().getErr().println("push: " + r.reference() + ": " + r.uploaded().size() + " blobs uploaded, "
        + r.skipped().size() + " already there");
    spec.commandLine().getOut().println(r.manifestDigest());
    return 0;
  }
}
