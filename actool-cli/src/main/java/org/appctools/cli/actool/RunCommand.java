package org.appctools.cli.actool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.discovery.Discovery;
import org.appctools.discovery.DiscoveryOptions;
import org.appctools.executor.linux.Cni;
import org.appctools.executor.net.NetSelection;
import org.appctools.executor.net.PortForwards;
import org.appctools.schema.types.ExposedPort;
import org.appctools.executor.linux.MetadataServiceRegistry;
import org.appctools.executor.linux.PodLauncher;
import org.appctools.executor.linux.PodRunner;
import org.appctools.http.Http;
import org.appctools.schema.PodManifest;
import org.appctools.schema.SchemaException;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.HostPlatform;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Volume;
import org.appctools.store.Fetcher;
import org.appctools.store.ImageStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool run ./busybox.aci --exec /bin/sh -- -c 'echo hello'",
      "  actool run --volume data,kind=empty example.com/db --mount volume=data,target=/var/lib/db --- example.com/backup"},
    description = {
    "Run images as a pod",
    "",
    "actool run [OPTIONS] IMAGE [APP OPTIONS] [-- ARGS...] [--- IMAGE [APP OPTIONS] [-- ARGS...]]...",
    "",
    "IMAGE is whatever actool fetch takes: a file, a stored image ID or name, a URL, or a name found by discovery",
    "(with --pull-policy new, the default, only what the store lacks is downloaded). Each image is one app of the",
    "pod; APP OPTIONS and ARGS (appended to the image's command) follow it, '---' ends an app's ARGS. The apps",
    "share PID, UTS, IPC and network namespaces; each has its own root filesystem (an overlay over the store's",
    "rendered tree). The exit status is the first failing app's, else 0; 254 when the executor itself fails.",
    "",
    "App options: --name, --exec, --user, --group, --supplementary-gids, --working-dir, --environment NAME=VALUE,",
    "--mount volume=NAME,target=PATH, --memory, --cpu, --cpu-shares, --caps-retain, --caps-remove,",
    "--oom-score-adj, --no-new-privileges, --seccomp, --readonly-rootfs."})
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions storeOptions;

  @Mixin TrustDirOptions trustDir;

  @Mixin HttpFlags httpFlags;

  @Option(names = "--discovery-port", paramLabel = "N",
      description = "Port to connect to when discovering an IMAGE (default 443, and 80 for plain HTTP); --port forwards a port here")
  Integer discoveryPort;

  @Mixin PodsOptions podsOptions;

  @Mixin DecryptFlags decryptFlags;

  @Option(names = "--pull-policy", paramLabel = "POLICY", defaultValue = "new",
      description = "never: the store only; new: download only what the store lacks; update: ask the server again (default: ${DEFAULT-VALUE})")
  String pullPolicy;

  @Mixin InsecureOptions insecureOptions;

  @Option(names = "--volume", paramLabel = "NAME,kind=host|empty[,source=PATH][,readOnly=true][,recursive=false][,mode=0755,uid=0,gid=0]",
      description = "A pod volume (repeatable)")
  List<String> volumes = new ArrayList<>();

  @Option(names = "--net", paramLabel = "default|host|none|NAME[:ARG=VALUE;...][,NAME...]", defaultValue = "default",
      description = {"default: the default CNI network (a bridge with outbound NAT; as an unprivileged user, a private",
          "namespace with loopback only); NAME: networks of the CNI configuration directory, with CNI_ARGS;",
          "host: the host's; none: a private namespace, loopback down (default: ${DEFAULT-VALUE})"})
  String net;

  @Option(names = "--port", paramLabel = "NAME:[HOSTIP:]HOSTPORT",
      description = "Forward a host port to the app port NAME of the image manifest (repeatable; needs a CNI network with portmap)")
  List<String> ports = new ArrayList<>();

  @Option(names = "--cni-config-dir", paramLabel = "DIR",
      description = "CNI network configurations, *.conf and *.conflist (default: $APPCTOOLS_CNI_CONFIG_DIR, else /etc/appctools/net.d)")
  Path cniConfigDir;

  @Option(names = "--cni-plugin-path", paramLabel = "DIR[:DIR...]",
      description = "Where the CNI plugins are (default: $APPCTOOLS_CNI_PATH, else /usr/lib/cni:/opt/cni/bin)")
  String cniPluginPath;

  @Option(names = "--hostname", paramLabel = "NAME", description = "The pod's hostname (default: appctools-UUID, the host's with --net host)")
  String hostname;

  @Option(names = "--dns", paramLabel = "IP|host|none", split = ",",
      description = "/etc/resolv.conf of the apps: name servers, host (the host's), none (the image's); default host with --net host, else none")
  List<String> dns = new ArrayList<>();

  @Option(names = "--dns-search", paramLabel = "DOMAIN", split = ",", description = "Search domains of the resolv.conf --dns writes")
  List<String> dnsSearch = new ArrayList<>();

  @Option(names = "--dns-opt", paramLabel = "OPTION", split = ",", description = "Options of the resolv.conf --dns writes (e.g. ndots:2)")
  List<String> dnsOptions = new ArrayList<>();

  @Option(names = "--hosts-entry", paramLabel = "IP=HOSTNAME|host",
      description = "An /etc/hosts line for the apps (repeatable; with localhost and the pod's hostname), or host: the host's /etc/hosts")
  List<String> hostsEntries = new ArrayList<>();

  @Option(names = "--set-env", paramLabel = "NAME=VALUE", description = "Set an environment variable of every app (repeatable)")
  List<String> setEnv = new ArrayList<>();

  @Option(names = "--interactive", arity = "0..1", paramLabel = "true|false", description = "Attach standard input (a pod of one app)")
  boolean interactive;

  @Option(names = "--uuid-file-save", paramLabel = "FILE", description = "Write the pod's UUID to FILE as soon as it is known")
  Path uuidFile;

  @Option(names = "--pod-manifest", paramLabel = "FILE", description = "Run this pod manifest (its apps name their images by ID) instead of IMAGEs")
  Path podManifest;

  @Option(names = "--no-overlay", arity = "0..1", paramLabel = "true|false", description = "Copy each app's tree instead of mounting an overlay")
  boolean noOverlay;

  @Option(names = "--mds-register", arity = "0..1", paramLabel = "true|false", defaultValue = "true",
      description = "Serve the metadata service to the pod (AC_METADATA_URL) on the host's side of its network: loopback with --net host, the gateway of a CNI network (default: ${DEFAULT-VALUE})")
  boolean mdsRegister;

  @Parameters(arity = "0..*", paramLabel = "IMAGE") List<String> rest = new ArrayList<>();

  @Override
  public Integer call() {
    PodLauncher.Request request = request();
    DownloadBars bars = new DownloadBars(spec.commandLine().getErr(), false);
    try {
      Set<String> insecure = insecureOptions.applyTo(httpFlags);
      Http http = httpFlags.http();
      ImageStore store = storeOptions.store();
      Fetcher fetcher = new Fetcher(store, http, new Discovery(http, discoveryOptions()), trustDir.store(null),
          new Fetcher.Options(Fetcher.PullPolicy.parse(pullPolicy), insecure.contains("image"), null, HostPlatform.current(),
              decryptFlags.decryption()),
          bars);
      PodRunner.Stdio stdio = Actool.processStreams ? PodRunner.Stdio.inherit(interactive)
          : new PodRunner.Stdio(interactive, spec.commandLine().getOut(), spec.commandLine().getErr());
      MetadataServiceRegistry metadata = new MetadataServiceRegistry();
      PodRunner.Outcome outcome;
      try (metadata) {
        outcome = PodLauncher.launch(request, store, fetcher, podsOptions.pods(),
          mdsRegister ? metadata : PodLauncher.MetadataRegistry.NONE, stdio, new PodLauncher.Listener() {
            @Override
            public void warning(String message) {
              spec.commandLine().getErr().println("run: warning: " + message);
              spec.commandLine().getErr().flush();
            }

            @Override
            public void created(UUID uuid) {
              if (uuidFile != null) {
                try {
                  Files.writeString(uuidFile, uuid + "\n");
                } catch (IOException e) {
                  warning("cannot write the UUID to " + uuidFile + ": " + e.getMessage());
                }
              }
            }
          });
      }
      return outcome.exitCode();
    } catch (AppcException e) {
      bars.end();
      return PodCommands.failed(spec, e);
    }
  }

  /** The pod to run: the images and their options, split as rkt splits them, or the pod manifest. */
  private PodLauncher.Request request() {
    NetSelection netSelection;
    List<ExposedPort> forwards = new ArrayList<>();
    try {
      netSelection = NetSelection.parse(net);
      for (String p : ports) {
        forwards.add(PortForwards.parse(p));
      }
    } catch (AppcException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Path configDir = cniConfigDir != null ? cniConfigDir
        : env("APPCTOOLS_CNI_CONFIG_DIR") != null ? Path.of(env("APPCTOOLS_CNI_CONFIG_DIR"))
        : PodLauncher.NetworkSetup.DEFAULT_CONFIG_DIR;
    String pluginPath = cniPluginPath != null ? cniPluginPath
        : env("APPCTOOLS_CNI_PATH") != null ? env("APPCTOOLS_CNI_PATH") : Cni.DEFAULT_PATH;
    PodLauncher.NetworkSetup setup = new PodLauncher.NetworkSetup(configDir, pluginPath,
        PodLauncher.NetworkSetup.DEFAULT_IPAM_DIR);
    List<Volume> vols = new ArrayList<>();
    for (String v : volumes) {
      vols.add(volume(v));
    }
    List<EnvironmentVariable> env = new ArrayList<>();
    for (String e : setEnv) {
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "--set-env: \"" + e + "\" is not NAME=VALUE");
      }
      env.add(new EnvironmentVariable(e.substring(0, eq), e.substring(eq + 1)));
    }
    PodManifest pod = null;
    List<PodLauncher.ImageApp> apps = new ArrayList<>();
    if (podManifest != null) {
      if (!rest.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--pod-manifest runs the manifest's apps: give no IMAGE");
      }
      try {
        pod = PodManifest.parse(Files.readAllBytes(podManifest));
      } catch (IOException | SchemaException e) {
        throw new ParameterException(spec.commandLine(), "--pod-manifest " + podManifest + ": " + e.getMessage());
      }
    } else {
      apps = apps(rest);
      if (apps.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "give at least one IMAGE (or --pod-manifest FILE)");
      }
    }
    return new PodLauncher.Request(apps, pod, vols, env, netSelection, hostname, dns, dnsSearch, dnsOptions, hostsEntries,
        forwards, interactive, noOverlay, setup);
  }

  /** Discovery as fetch does it, with run's --discovery-port (rkt's --port is the port forward). */
  private DiscoveryOptions discoveryOptions() {
    if (discoveryPort != null && (discoveryPort < 1 || discoveryPort > 65535)) {
      throw new ParameterException(spec.commandLine(), "--discovery-port must be 1 to 65535 (given " + discoveryPort + ")");
    }
    return new DiscoveryOptions(httpFlags.allowHttp, discoveryPort);
  }

  /** An environment variable, null when unset or empty. */
  private static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** IMAGE [APP OPTIONS] [-- ARGS] [---] IMAGE ...: args run to '---' or the end. */
  private List<PodLauncher.ImageApp> apps(List<String> tokens) {
    List<PodLauncher.ImageApp> out = new ArrayList<>();
    int i = 0;
    while (i < tokens.size()) {
      if (tokens.get(i).equals("---")) {
        i++;
        continue;
      }
      String image = tokens.get(i++);
      if (image.startsWith("-")) {
        throw new ParameterException(spec.commandLine(), "expected an IMAGE, got \"" + image + "\"");
      }
      int end = i;
      while (end < tokens.size() && !tokens.get(end).equals("--") && !tokens.get(end).equals("---")) {
        end++;
      }
      RunAppFlags flags = new RunAppFlags();
      CommandLine cl = new CommandLine(flags).setStopAtPositional(true);
      try {
        cl.parseArgs(tokens.subList(i, end).toArray(String[]::new));
      } catch (ParameterException e) {
        throw new ParameterException(spec.commandLine(), image + ": " + e.getMessage());
      }
      List<String> args = new ArrayList<>();
      int next = end - flags.rest.size();
      if (flags.rest.isEmpty() && end < tokens.size() && tokens.get(end).equals("--")) {
        int a = end + 1;
        while (a < tokens.size() && !tokens.get(a).equals("---")) {
          args.add(tokens.get(a++));
        }
        next = a;
      }
      try {
        out.add(new PodLauncher.ImageApp(image, flags.overrides(args)));
      } catch (IllegalArgumentException | InvalidValueException e) {
        throw new ParameterException(spec.commandLine(), image + ": " + e.getMessage());
      }
      i = next;
    }
    return out;
  }

  /** rkt's --volume NAME,kind=host,source=/x,readOnly=true. */
  private Volume volume(String s) {
    String[] parts = s.split(",");
    String kind = null;
    String source = null;
    Boolean readOnly = null;
    Boolean recursive = null;
    String mode = null;
    Integer uid = null;
    Integer gid = null;
    try {
      for (int i = 1; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        String k = eq < 0 ? parts[i] : parts[i].substring(0, eq);
        String v = eq < 0 ? "" : parts[i].substring(eq + 1);
        switch (k) {
          case "kind" -> kind = v;
          case "source" -> source = v;
          case "readOnly" -> readOnly = bool(v);
          case "recursive" -> recursive = bool(v);
          case "mode" -> mode = v;
          case "uid" -> uid = Integer.parseInt(v);
          case "gid" -> gid = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown field \"" + k + "\"");
        }
      }
      return new Volume(AcName.parse(parts[0]), kind, source, readOnly, recursive, mode, uid, gid);
    } catch (IllegalArgumentException | InvalidValueException e) {
      throw new ParameterException(spec.commandLine(), "--volume \"" + s + "\": " + e.getMessage()
          + " (write NAME,kind=host,source=PATH[,readOnly=true] or NAME,kind=empty)");
    }
  }

  private static Boolean bool(String v) {
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("\"" + v + "\" is not true or false");
  }
}
