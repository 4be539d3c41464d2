package org.appctools.cli.docker2aci;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.WarmUp;
import org.appctools.aci.ReadLimits;
import org.appctools.cli.actool.Actool;
import org.appctools.cli.common.CompressionLevels;
import org.appctools.cli.common.ErrorLine;
import org.appctools.cli.common.PicocliStartUp;
import org.appctools.cli.common.ProgressBar;
import org.appctools.cli.common.StartUpWork;
import org.appctools.compress.Compression;
import org.appctools.docker.ConvertOptions;
import org.appctools.docker.ConvertResult;
import org.appctools.docker.Docker2Aci;
import org.appctools.docker.Platform;
import org.appctools.registry.RegistryOptions;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Port;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code docker2aci}: converts a Docker or OCI image to an ACI. Flags, output and exit codes
 * follow the Go docker2aci (1 = the conversion failed, 2 = bad flags or arguments), plus {@code
 * --compression xz|zstd}, {@code --os}/{@code --arch} and {@code --output}.
 */
@Command(
    name = "docker2aci",
    footerHeading = "%nExamples:%n",
    footer = {
      "  docker2aci docker://busybox:latest",
      "  docker2aci --compression zstd --output out docker://registry.example.com/team/app:1.0",
      "  docker save busybox > busybox.tar && docker2aci busybox.tar",
      "  docker2aci --nosquash --arch arm64 ./oci-layout"},
    description = "Convert a Docker or OCI image to an App Container Image. IMAGE is "
        + "docker://[REGISTRY/]NAME[:TAG|@DIGEST], a docker save archive, an OCI archive or an "
        + "OCI image layout directory.",
    versionProvider = Docker2aci.Versions.class,
    sortOptions = false)
public final class Docker2aci implements Callable<Integer> {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  @Option(names = "--debug", description = "Print debug messages, and stack traces of errors")
  boolean debug;

  @Option(names = "--nosquash", description = "Write one ACI per layer instead of one for the image")
  boolean noSquash;

  @Option(names = "--compression", paramLabel = "gzip|none|xz|zstd", defaultValue = "gzip",
      description = "Compression of the ACIs (default gzip; zstd is an extension other appc tools cannot read)")
  String compression;

  @Option(names = "--compression-level", paramLabel = "N",
      description = "gzip 1-9, xz 0-9, zstd 1-19 (default: gzip 6, xz 6, zstd 3)")
  Integer compressionLevel;

  @Option(names = "--insecure-skip-verify", description = "Accept any TLS certificate of a registry")
  boolean insecureSkipVerify;

  @Option(names = "--insecure-allow-http", description = "Use plain HTTP with registries that have no TLS")
  boolean insecureAllowHttp;

  @Option(names = "--image", paramLabel = "NAME[:TAG]",
      description = "The image to take from an archive or layout that holds several")
  String image;

  @Option(names = "--os", paramLabel = "OS", description = "Platform to take from a multi-platform image (default linux)")
  String os;

  @Option(names = "--arch", paramLabel = "ARCH",
      description = "Architecture to take from a multi-platform image: amd64, arm64, arm/v7, 386... (default this machine's)")
  String arch;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = ".", description = "Directory to write the ACIs to (default .)")
  Path output;

  @Option(names = {"-q", "--quiet"},
    description = "No progress bar")
  boolean quiet;

  @Option(names = "--version", versionHelp = true, description = "Print the version and exit")
  boolean version;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit")
  boolean help;

  @Parameters(arity = "1", paramLabel = "IMAGE")
  String input;

  public static void main(String[] args) {
    // layers are read whole: libdeflate (and with it ISA-L for one-member layers) loaded on the
    // other core while picocli starts on this one
    WarmUp.inBackground(new StartUpWork(false, true), Docker2aci.class);
    System.exit(run(
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        args));
  }

  /** Runs one docker2aci command line and returns its exit code; all output goes to out and err. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    PicocliStartUp.apply();
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(Actool.goStyleFlags(cl, args));
    out.flush();
    err.flush();
    return code;
  }

  /** The model of docker2aci: what the completion script and man page are made from. */
  public static CommandLine commandLine() {
    Docker2aci root = new Docker2aci();
    CommandLine cl = new CommandLine(root);
    cl.setParameterExceptionHandler((ex, a) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      ErrorLine.print(err, "docker2aci: " + ex.getMessage());
      err.println("Run 'docker2aci --help' for usage.");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      PrintWriter err = c.getErr();
      if (ex instanceof AppcException || ex instanceof InvalidValueException) {
        ErrorLine.print(err, "docker2aci: " + ex.getMessage());
      } else {
        ErrorLine.print(err, "docker2aci: unexpected error: " + ex);
      }
      if (root.debug) {
        ex.printStackTrace(err);
      }
      return EXIT_FAILURE;
    });
    return cl;
  }

  @Override
  public Integer call() throws AppcException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Compression c = switch (compression) {
      case "gzip" -> Compression.GZIP;
      case "none" -> Compression.NONE;
      case "xz" -> Compression.XZ;
      case "zstd" -> Compression.ZSTD;
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "unknown compression \"" + compression + "\" (use gzip, none, xz or zstd)");
    };
    int level = CompressionLevels.checked(spec, c, compressionLevel);
    ProgressBar bar = ProgressBar.on(err, "Downloading layers", quiet);
    RegistryOptions registry = new RegistryOptions(insecureSkipVerify, insecureAllowHttp,
        dockerConfigDir(), Duration.ofSeconds(60), 4, bar);
    ConvertOptions options = new ConvertOptions(output, null, !noSquash, c, level, image,
        Platform.of(os, arch), registry, ReadLimits.defaults(),
        debug ? line -> {
          bar.end();
          err.println("docker2aci: " + line);
        } : null);
    ConvertResult result;
    try {
      result = Docker2Aci.convert(input, options);
    } finally {
      bar.end();
    }
    for (String w : result.warnings()) {
      err.println("docker2aci: warning: " + w);
    }
    printConverted(out, result);
    return 0;
  }

  /** What the Go tool prints: volumes, ports, then the ACI files. */
  private void printConverted(PrintWriter out, ConvertResult result) {
    if (result.manifest().app() != null) {
      if (!result.manifest().app().mountPoints().isEmpty()) {
        out.printf("%nConverted volumes:%n");
        for (MountPoint mp : result.manifest().app().mountPoints()) {
          out.printf("\tname: \"%s\", path: \"%s\", readOnly: %s%n", mp.name(), mp.path(), mp.readOnly());
        }
      }
      if (!result.manifest().app().ports().isEmpty()) {
        out.printf("%nConverted ports:%n");
        for (Port p : result.manifest().app().ports()) {
          out.printf("\tname: \"%s\", protocol: \"%s\", port: %d, count: %d, socketActivated: %s%n",
              p.name(), p.protocol(), p.port(), p.count(), p.socketActivated());
        }
      }
    }
    out.printf("%nGenerated ACI(s):%n");
    for (Path p : result.acis()) {
      out.println(output.equals(Path.of(".")) ? p.getFileName() : p);
    }
  }

  /** Docker's config directory: $DOCKER_CONFIG, else ~/.docker. */
  private static Path dockerConfigDir() {
    String env = System.getenv("DOCKER_CONFIG");
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".docker");
  }

  /** The version lines of {@code --version}, as the Go tool prints them. */
  static final class Versions implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Docker2aci.class.getPackage().getImplementationVersion();
      return new String[] {"docker2aci version " + (v == null ? "dev" : v),
          "appc version " + org.appctools.schema.types.SemVer.CURRENT};
    }
  }
}
