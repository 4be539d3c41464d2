package org.appctools.cli.acbuild;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.file.BuildContext;
import org.appctools.build.file.Dockerfile;
import org.appctools.build.file.DockerfileBuild;
import org.appctools.cli.common.CompressionLevels;
import org.appctools.compress.Compression;
import org.appctools.discovery.Discovery;
import org.appctools.discovery.DiscoveryOptions;
import org.appctools.executor.NetMode;
import org.appctools.executor.linux.BuildStepRunner;
import org.appctools.executor.linux.PodRunner;
import org.appctools.http.Http;
import org.appctools.http.HttpOptions;
import org.appctools.sign.Signer;
import org.appctools.sign.SigningKey;
import org.appctools.sign.TrustStore;
import org.appctools.store.BuildCache;
import org.appctools.store.Fetcher;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code acbuild build}: a Dockerfile to an ACI, its steps cached in the image store (see
 * {@link DockerfileBuild} and docs/build-files.md). Progress and the output of RUN steps go to
 * stderr; stdout gets the Image ID alone.
 */
@Command(name = "build", description = {"Build an ACI from a Dockerfile",
    "Reads CONTEXT/Dockerfile (or -f FILE) and builds its last stage (or --target) into an ACI named by --tag,",
    "imported into the image store, or written to -o FILE. Each step is cached in the image store: a step whose",
    "parent, instruction, arguments and input files are unchanged is taken from the cache (--no-cache: run them",
    "all). Prints the Image ID. FROM takes a Docker image (NAME[:TAG], docker://...), appc://NAME[:VERSION],",
    "a path (./rootfs.aci, ./dir, relative to the context) or scratch. See docs/build-files.md."},
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild build --tag example.com/app:1.0 .",
      "  acbuild build -f Dockerfile.release --build-arg VERSION=1.2 --tag example.com/app:1.2 -o app.aci .",
      "  acbuild build --no-cache --target runtime --tag example.com/app ."})
final class BuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: CONTEXT/Dockerfile)")
  Path file;

  @Option(names = "--build-arg", paramLabel = "NAME=VALUE", description = "A value for an ARG (repeatable)")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:VERSION]",
      description = "The image's name, and its version label (required: appc images are named)")
  String tag;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the ACI to FILE instead of importing it into the image store")
  Path output;

  @Option(names = "--overwrite", description = "With -o: replace an existing FILE (and FILE.asc)")
  boolean overwrite;

  @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage (its name or number) instead of the last")
  String target;

  @Option(names = "--no-cache", description = "Run every step instead of taking it from the cache (the results are still cached)")
  boolean noCache;

  @Option(names = "--compression", paramLabel = "ALGO", defaultValue = "gzip",
      description = "gzip, bzip2, xz, zstd or none (default: ${DEFAULT-VALUE})")
  String compression;

  @Mixin CompressionLevels compressionLevel;

  @Option(names = "--timestamp", paramLabel = "SECONDS",
      description = "Clamp every file's mtime to these seconds since 1970 (default: $SOURCE_DATE_EPOCH, else 0: the same inputs give the same bytes)")
  Long timestamp;

  @Option(names = "--net", paramLabel = "host|none", defaultValue = "host",
      description = "The network of RUN steps: host or none (default: ${DEFAULT-VALUE})")
  String net;

  @Option(names = "--insecure", description = "Allows fetching base images over plain HTTP, without TLS verification and without a trusted signature")
  boolean insecure;

  @Option(names = "--sign", description = "With -o: sign the ACI into FILE.asc, as acbuild write --sign")
  boolean sign;



  @Mixin SigningKeyOptions signingKeyOptions;

  @Parameters(arity = "0..1", paramLabel = "CONTEXT", defaultValue = ".") String context;

  @Override
  public Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    root.refuseModify(spec);
    Compression algo;
    try {
      algo = Compression.fromName(compression);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    int level = compressionLevel.checked(spec, algo);
    NetMode netMode = switch (net) {
      case "host" -> NetMode.HOST;
      case "none" -> NetMode.NONE;
      default -> throw new ParameterException(spec.commandLine(), "--net: \"" + net + "\" is not host or none");
    };
    if (tag == null) {
      throw new ParameterException(spec.commandLine(), "build needs --tag NAME[:VERSION]: appc images are named");
    }
    if (sign && output == null) {
      throw new ParameterException(spec.commandLine(), "--sign needs -o FILE (the signature is written to FILE.asc)");
    }
    signingKeyOptions.requireSign(spec, sign);
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : buildArgs) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        // docker build --build-arg NAME takes the value from the environment
        String v = System.getenv(a);
        if (eq == 0 || v == null) {
          throw new ParameterException(spec.commandLine(), "--build-arg " + a + ": expected NAME=VALUE (or NAME set in the environment)");
        }
        args.put(a, v);
      } else {
        args.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    String name = tag;
    String version = null;
    int colon = tag.lastIndexOf(':');
    if (colon > 0 && !tag.substring(colon + 1).contains("/")) {
      name = tag.substring(0, colon);
      version = tag.substring(colon + 1);
    }
    Path contextDir = Cli.hostPath(context);
    Path dockerfile = file != null ? Cli.hostPath(file.toString()) : contextDir.resolve("Dockerfile");
    String text;
    try {
      text = Files.readString(dockerfile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AppcException("build: cannot read the Dockerfile " + dockerfile + ": " + e.getMessage()
          + " (give it with -f FILE)", e);
    }
    Path out = output == null ? null : Cli.hostPath(output.toString());
    Path signature = out == null ? null : Path.of(out + ".asc");
    if (out != null && !overwrite) {
      for (Path p : sign ? List.of(out, signature) : List.of(out)) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new AppcException("build: " + p + " already exists (use --overwrite)");
        }
      }
    }
    SigningKey signingKey = sign ? signingKeyOptions.load() : null;
    ImageStore store = ImageStore.open(root.storeDir());
    BuildCache cache = BuildCache.open(store);
    Dockerfile parsed = Dockerfile.parse(dockerfile.getFileName().toString(), text);
    DockerfileBuild.Options options = new DockerfileBuild.Options(parsed, BuildContext.of(contextDir), args, target,
        name, version, noCache, algo, epoch(), level);
    PrintWriter err = spec.commandLine().getErr();
    boolean terminal = Acbuild.processStreams && System.console() != null;
    DockerfileBuild.Progress progress = new DockerfileBuild.Progress() {
      @Override
      public void step(int number, int total, String instruction, boolean cached) {
        err.println("Step " + number + "/" + total + " : " + instruction + (cached ? " (cached)" : ""));
        err.flush();
      }

      @Override
      public void done(int number, Duration took) {
        if (terminal) {
          err.printf(" ---> done in %.2fs%n", took.toNanos() / 1e9);
          err.flush();
        }
      }
    };
    DockerfileBuild.Result r = DockerfileBuild.build(options, cache, bases(store, contextDir), runner(store, netMode, err),
        progress, (aci, id) -> {
          if (out != null) {
            writeFile(aci, out);
            if (signingKey != null) {
              Signer.signDetached(out, signature, signingKey);
            }
          } else if (store.get(id).isPresent()) {
            // the same Image ID is the same bytes of tar: the stored image is this one
            store.markUsed(store.get(id).get().id());
          } else {
            StoredImage img = store.importAci(aci, null, null);
            Cli.debug(spec, "Imported " + img.name() + " as " + img.id());
          }
        });
    Cli.warn(spec, r.warnings());
    err.println("Built " + tag + " in " + r.steps() + " steps (" + r.cached() + " cached)"
        + (out == null ? ", imported into the image store" : ", written to " + out));
    err.flush();
    spec.commandLine().getOut().println(r.imageId());
    return 0;
  }

  /** --timestamp, else SOURCE_DATE_EPOCH, else 0: a build is reproducible unless asked otherwise. */
  private OptionalLong epoch() throws AppcException {
    if (timestamp != null) {
      if (timestamp < 0) {
        throw new ParameterException(spec.commandLine(), "--timestamp: " + timestamp + " is before 1970");
      }
      return OptionalLong.of(timestamp);
    }
    OptionalLong env = Cli.sourceDateEpoch();
    return env.isPresent() ? env : OptionalLong.of(0);
  }

  /** Copies the ACI to {@code out} through a temporary file renamed over it. */
  private static void writeFile(Path aci, Path out) throws AppcException {
    Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.copy(aci, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the failure being reported matters more
      }
      throw new AppcException("build: cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * FROM: a path (relative to the context) to an ACI, a rootfs tar or directory; appc://NAME; a
   * Docker image otherwise. Names go through the image store as acbuild begin's.
   */
  private DockerfileBuild.Bases bases(ImageStore store, Path contextDir) {
    return (ref, where) -> {
      if (ref.startsWith(".") || ref.startsWith("/") || ref.startsWith("~")) {
        Path p = ref.startsWith("~") ? Cli.hostPath(ref) : contextDir.resolve(ref).normalize();
        return BaseImages.local(p, where, "FROM " + ref);
      }
      String name = ref.startsWith("appc://") ? ref.substring("appc://".length())
          : ref.startsWith("docker://") ? ref : "docker://" + ref;
      return BaseImages.fetched(store, name, insecure, spec.commandLine().getErr());
    };
  }

  private DockerfileBuild.Runner runner(ImageStore store, NetMode netMode, PrintWriter err) {
    return (session, step) -> {
      List<Path> trees = List.of();
      if (!session.manifest().dependencies().isEmpty()) {
        HttpOptions httpOptions = HttpOptions.defaults().withAllowHttp(insecure).withInsecureSkipTlsVerify(insecure);
        Http http = new Http(httpOptions);
        Fetcher fetcher = new Fetcher(store, http, new Discovery(http, new DiscoveryOptions(insecure, null)),
            TrustStore.userDefault(), new Fetcher.Options(Fetcher.PullPolicy.NEW, insecure, null, null),
            message -> err.println(message));
        trees = BuildStepRunner.dependencyTrees(session.manifest(), store, fetcher.dependencyResolver());
      }
      BuildStepRunner.Request request = new BuildStepRunner.Request(step.argv(), step.workingDirectory(),
          BuildStepRunner.Engine.NAMESPACES, netMode, List.of(), step.user(), step.group(), null, step.buildArgs());
      return BuildStepRunner.run(session, null, request, trees, new PodRunner.Stdio(false, err, err), message -> {
        err.println("build: warning: " + message);
        err.flush();
      });
    };
  }
}
