package org.appctools.cli.acbuild;

import org.appctools.oci.OciBuild;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.WriteResult;
import org.appctools.discovery.Discovery;
import org.appctools.discovery.DiscoveryOptions;
import org.appctools.executor.NetMode;
import org.appctools.executor.linux.BuildStepRunner;
import org.appctools.executor.linux.PodRunner;
import org.appctools.http.Http;
import org.appctools.http.HttpOptions;
import org.appctools.sign.TrustStore;
import org.appctools.store.Fetcher;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild run -- apt-get install -y nginx"},
    description = {"Run a command in an ACI",
    "Runs CMD in the build's rootfs, with the dependencies' trees beneath it (read-only), as root with the manifest's",
    "environment, the host's DNS and network, in new mount, PID, UTS and IPC namespaces; what the command changes",
    "becomes the build's next state (also when it fails: the history records only commands that succeeded). The",
    "exit status is the command's. Dependencies the store lacks are fetched as begin does."})
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--engine", paramLabel = "namespaces|chroot", defaultValue = "namespaces",
      description = "namespaces: new mount, PID, UTS and IPC namespaces; chroot: a mount namespace only (default: ${DEFAULT-VALUE})")
  String engine;

  @Option(names = "--working-dir", paramLabel = "DIR", description = "The working directory inside the container for this command")
  String workingDir;

  @Option(names = "--insecure", description = "Allows fetching dependencies over plain HTTP, without TLS verification and without a trusted signature")
  boolean insecure;

  @Option(names = "--mount", paramLabel = "HOST:PATH[:ro]", description = "Bind-mount a host file or directory at PATH for the command (repeatable)")
  List<String> mounts = new ArrayList<>();

  @Option(names = "--net", paramLabel = "host|none", defaultValue = "host",
      description = "host: the host's network; none: a network namespace of its own, without any (default: ${DEFAULT-VALUE})")
  String net;

  @Parameters(arity = "1..*", paramLabel = "CMD [ARGS]") List<String> command;

  @Override
  public Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    String history = root.noHistory ? null : Cli.history(spec);
    BuildStepRunner.Request request = new BuildStepRunner.Request(command, workingDir, engine(), network(), hostMounts());
    Cli.debug(spec, "Running: " + command);
    int[] code = {0};
    root.checkModifyFlags();
    if (root.modify != null) {
      WriteResult r = BuildSession.modify(root.modify, s -> code[0] = step(s, history, request), Cli.sourceDateEpoch());
      Cli.warn(spec, r.warnings());
      return code[0];
    }
    if (root.modifyOci != null) {
      OciBuild.modify(Cli.hostPath(root.modifyOci.toString()), s -> code[0] = step(s, history, request), Cli.sourceDateEpoch());
      return code[0];
    }
    try (BuildSession s = BuildSession.open(root.workPath())) {
      return step(s, history, request);
    }
  }

  private int step(BuildSession session, String history, BuildStepRunner.Request request) throws AppcException {
    List<Path> trees = List.of();
    if (session.manifest() != null && !session.manifest().dependencies().isEmpty()) {
      ImageStore store = ImageStore.open(Acbuild.of(spec).storeDir());
      HttpOptions httpOptions = HttpOptions.defaults().withAllowHttp(insecure).withInsecureSkipTlsVerify(insecure);
      Http http = new Http(httpOptions);
      Fetcher fetcher = new Fetcher(store, http, new Discovery(http, new DiscoveryOptions(insecure, null)),
          TrustStore.userDefault(), new Fetcher.Options(Fetcher.PullPolicy.NEW, insecure, null, null),
          message -> spec.commandLine().getErr().println(message));
      trees = BuildStepRunner.dependencyTrees(session.manifest(), store, fetcher.dependencyResolver());
    }
    if (session.mode() == BuildSession.Mode.OCI) {
      request = new BuildStepRunner.Request(request.command(), request.workingDirectory(), request.engine(), request.net(),
          request.mounts(), request.user(), request.group(), OciBuild.image(session).environment(), Map.of());
    }
    PodRunner.Stdio stdio = Acbuild.processStreams ? PodRunner.Stdio.inherit(true)
        : new PodRunner.Stdio(false, spec.commandLine().getOut(), spec.commandLine().getErr());
    return BuildStepRunner.run(session, history, request, trees, stdio, message -> {
      spec.commandLine().getErr().println("run: warning: " + message);
      spec.commandLine().getErr().flush();
    });
  }

  private BuildStepRunner.Engine engine() {
    return switch (engine.toLowerCase(Locale.ROOT)) {
      case "namespaces" -> BuildStepRunner.Engine.NAMESPACES;
      case "chroot" -> BuildStepRunner.Engine.CHROOT;
      default -> throw new ParameterException(spec.commandLine(), "--engine: \"" + engine
          + "\" is not an engine (namespaces or chroot; systemd-nspawn is not needed any more)");
    };
  }

  private NetMode network() {
    return switch (net.toLowerCase(Locale.ROOT)) {
      case "host" -> NetMode.HOST;
      case "none" -> NetMode.NONE;
      default -> throw new ParameterException(spec.commandLine(), "--net: \"" + net + "\" is not host or none");
    };
  }

  /** --mount HOST:PATH[:ro]: the host path, the path in the image, read-only. */
  private List<BuildStepRunner.HostMount> hostMounts() {
    List<BuildStepRunner.HostMount> out = new ArrayList<>();
    for (String m : mounts) {
      String[] parts = m.split(":", -1);
      boolean ro = parts.length == 3 && parts[2].equals("ro");
      if (parts.length < 2 || parts.length > 3 || parts.length == 3 && !ro && !parts[2].equals("rw")
          || parts[0].isEmpty() || !parts[1].startsWith("/")) {
        throw new ParameterException(spec.commandLine(), "--mount: \"" + m
            + "\" is not HOST:PATH[:ro] (PATH absolute in the image)");
      }
      out.add(new BuildStepRunner.HostMount(Cli.hostPath(parts[0]), parts[1], ro));
    }
    return out;
  }
}
