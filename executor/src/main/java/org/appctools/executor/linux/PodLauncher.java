package org.appctools.executor.linux;

import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.appctools.AppcException;
import org.appctools.executor.AppOverrides;
import org.appctools.executor.AppSpec;
import org.appctools.executor.NetMode;
import org.appctools.executor.PodAssembler;
import org.appctools.executor.PodOptions;
import org.appctools.executor.PodSpec;
import org.appctools.executor.net.NetSelection;
import org.appctools.executor.net.NetworkConfig;
import org.appctools.executor.net.NetworkConfigs;
import org.appctools.executor.net.PortForwards;
import org.appctools.schema.types.ExposedPort;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.PodManifest;
import org.appctools.schema.RuntimeApp;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.Volume;
import org.appctools.store.Fetcher;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;

/**
 * {@code actool run}: gets the images (from the store, or fetched), renders each once into the
 * store's tree cache, makes the reified pod manifest and the pod's state directory, attaches its
 * network namespace to the CNI networks asked for (as root), registers the pod with the metadata
 * service when there is one, and runs it; the networks are undone when it ends.
 */
public final class PodLauncher {
  private PodLauncher() {}

  /** One image to run and the options that follow it on the command line. */
  public record ImageApp(String image, AppOverrides overrides) {}

  /**
   * What to run and how. Either {@code apps} or {@code podManifest} (whose apps name their images
   * by ID) is given.
   *
   * @param net rkt's --net: {@code host}, {@code none}, or CNI networks (which an unprivileged
   *     executor cannot attach: {@code default} then is a private namespace with loopback only)
   * @param dns rkt's --dns: empty (the host's with --net host, else the image's), {@code host},
   *     {@code none}, or name server addresses
   * @param dnsSearch {@code search} domains of the generated {@code resolv.conf}
   * @param dnsOptions {@code options} of the generated {@code resolv.conf}
   * @param hostsEntries rkt's --hosts-entry: {@code host} (the host's {@code /etc/hosts}) or
   *     {@code IP=HOSTNAME} lines added to the generated one; empty leaves an image's own
   * @param hostname null: {@code appctools-UUID}, or the host's with --net host
   * @param ports host ports forwarded to app ports (added to the pod manifest's)
   * @param noOverlay copy each app's tree instead of mounting an overlay (rkt's --no-overlay)
   * @param network where the CNI configurations and plugins are
   */
  public record Request(List<ImageApp> apps, PodManifest podManifest, List<Volume> volumes,
      List<EnvironmentVariable> setEnv, NetSelection net, String hostname, List<String> dns, List<String> dnsSearch,
      List<String> dnsOptions, List<String> hostsEntries, List<ExposedPort> ports, boolean interactive,
      boolean noOverlay, NetworkSetup network) {
    public Request {
      apps = apps == null ? List.of() : List.copyOf(apps);
      volumes = volumes == null ? List.of() : List.copyOf(volumes);
      setEnv = setEnv == null ? List.of() : List.copyOf(setEnv);
      dns = dns == null ? List.of() : List.copyOf(dns);
      dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
      dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
      hostsEntries = hostsEntries == null ? List.of() : List.copyOf(hostsEntries);
      ports = ports == null ? List.of() : List.copyOf(ports);
    }
  }

  /**
   * Where CNI networking finds its parts: the configuration directory (rkt's {@code net.d}), the
   * plugin path ({@code :}-separated), and where the built-in default network keeps its address leases.
   */
  public record NetworkSetup(Path configDir, String pluginPath, Path ipamDataDir) {
    /** The configuration directory when none is given. */
    public static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/appctools/net.d");
    /** The default network's host-local data directory. */
    public static final Path DEFAULT_IPAM_DIR = Path.of("/var/lib/appctools/cni/networks");

    /** The defaults: {@code /etc/appctools/net.d}, {@value Cni#DEFAULT_PATH}. */
    public static NetworkSetup defaults() {
      return new NetworkSetup(DEFAULT_CONFIG_DIR, Cni.DEFAULT_PATH, DEFAULT_IPAM_DIR);
    }
  }

  /**
   * Where a pod registers with the metadata service (spec ace.md, "App Container Metadata
   * Service"): the service gets the reified pod manifest and each app's image manifest (parsed,
   * and the bytes the store holds, which {@code /apps/NAME/image/manifest} serves) and returns the
   * pod's {@code AC_METADATA_URL} (with its token), which every app gets in its environment. The
   * service's {@code register(PodRegistration)} fits behind it. {@link #NONE} when no service runs.
   * The pod reaches the host at {@code hostAddress}: the host's loopback with {@code --net host},
   * the gateway of its first CNI network (the host side of the bridge) otherwise.
   */
  public interface MetadataRegistry {
    /** Registers the pod; returns its URL, or null when the apps cannot reach the service ({@code hostAddress} null). */
    URI register(UUID uuid, PodManifest pod, Map<AcName, ImageManifest> images, Map<AcName, byte[]> imageManifestBytes,
        InetAddress hostAddress) throws AppcException;

    /** Forgets the pod. */
    void unregister(UUID uuid);

    /** No metadata service: the apps get no {@code AC_METADATA_URL}. */
    MetadataRegistry NONE = new MetadataRegistry() {
      @Override
      public URI register(UUID uuid, PodManifest pod, Map<AcName, ImageManifest> images,
          Map<AcName, byte[]> imageManifestBytes, InetAddress hostAddress) {
        return null;
      }

      @Override
      public void unregister(UUID uuid) {}
    };
  }

  /** What a launch tells its caller, beyond the run's own events. */
  public interface Listener extends PodRunner.Listener {
    /** The pod's UUID and state directory exist (before anything runs). */
    default void created(UUID uuid) {}
  }

  /** Runs the pod and returns how it ended. */
  public static PodRunner.Outcome launch(Request r, ImageStore store, Fetcher fetcher, Pods pods,
      MetadataRegistry registry, PodRunner.Stdio stdio, Listener listener) throws AppcException {
    if (r.interactive() && (r.podManifest() != null ? r.podManifest().apps().size() : r.apps().size()) != 1) {
      throw new AppcException("--interactive takes a pod of one app");
    }
    NetMode mode = r.net().mode();
    boolean root = Host.isRoot();
    boolean cni = mode == NetMode.DEFAULT && root;
    if (mode == NetMode.DEFAULT && !root && !r.net().networks().equals(List.of(new NetSelection.Attachment(NetworkConfigs.DEFAULT, "")))) {
      throw new AppcException("run: --net " + r.net().networks().stream().map(NetSelection.Attachment::name)
          .collect(Collectors.joining(",")) + " needs root: CNI plugins configure the host's network"
          + " (an unprivileged user's --net default is a private namespace with loopback only)");
    }
    boolean ports = !r.ports().isEmpty() || (r.podManifest() != null && !r.podManifest().ports().isEmpty());
    if (ports && !cni) {
      throw new AppcException("run: --port needs a CNI network (--net default or --net NAME, as root), not --net "
          + (mode == NetMode.DEFAULT ? "default as an unprivileged user" : mode));
    }
    Map<String, NetworkConfig> configs = cni
        ? NetworkConfigs.load(r.network().configDir(), r.network().ipamDataDir()) : Map.of();
    Map<AcName, ImageManifest> manifests = new LinkedHashMap<>();
    Map<AcName, byte[]> manifestBytes = new LinkedHashMap<>();
    Map<AcName, Path> trees = new LinkedHashMap<>();
    PodManifest pod;
    if (r.podManifest() != null) {
      pod = r.podManifest();
      for (RuntimeApp a : pod.apps()) {
        StoredImage img = fetcher.fetch(a.image().id().value()).image();
        manifests.put(a.name(), store.manifest(img));
        manifestBytes.put(a.name(), store.manifestBytes(img));
        trees.put(a.name(), tree(store, fetcher, img));
      }
    } else {
      List<PodAssembler.Input> inputs = new ArrayList<>();
      List<StoredImage> images = new ArrayList<>();
      List<Path> inputTrees = new ArrayList<>();
      for (ImageApp a : r.apps()) {
        StoredImage img = fetcher.fetch(a.image()).image();
        images.add(img);
        inputs.add(new PodAssembler.Input(img.id(), store.manifest(img), a.overrides()));
        inputTrees.add(tree(store, fetcher, img));
      }
      pod = PodAssembler.assemble(inputs, r.volumes(), r.setEnv());
      for (int i = 0; i < pod.apps().size(); i++) {
        AcName n = pod.apps().get(i).name();
        manifests.put(n, inputs.get(i).manifest());
        manifestBytes.put(n, store.manifestBytes(images.get(i)));
        trees.put(n, inputTrees.get(i));
      }
    }
    if (!r.ports().isEmpty()) {
      List<ExposedPort> all = new ArrayList<>(pod.ports());
      all.addAll(r.ports());
      pod = new PodManifest(pod.acVersion(), pod.acKind(), pod.apps(), pod.volumes(), pod.isolators(), pod.annotations(),
          all, pod.userAnnotations(), pod.userLabels());
    }
    Map<String, JsonNode> runtimeConfig = new LinkedHashMap<>();
    if (!pod.ports().isEmpty()) {
      runtimeConfig.put("portMappings", PortForwards.portMappings(pod, manifests));
    }
    UUID uuid = UUID.randomUUID();
    List<PodInfo.App> infos = new ArrayList<>();
    for (RuntimeApp a : pod.apps()) {
      infos.add(new PodInfo.App(a.name().value(), a.image().name() == null ? null : a.image().name().value(),
          a.image().id().value(), null));
    }
    boolean overlay = !r.noOverlay() && Host.overlaySupported();
    String netName = mode == NetMode.DEFAULT
        ? r.net().networks().stream().map(NetSelection.Attachment::name).collect(Collectors.joining(","))
        : mode.toString();
    try (Pods.Created created = pods.create(uuid, netName, infos)) {
      listener.created(uuid);
      Path dir = created.dir();
      List<AppSpec> specs = new ArrayList<>();
      for (RuntimeApp a : pod.apps()) {
        Path appDir = dir.resolve("apps").resolve(a.name().value());
        mkdirs(appDir);
        AppSpec.Rootfs rootfs;
        if (overlay) {
          rootfs = new AppSpec.Overlay(List.of(trees.get(a.name())), appDir.resolve("upper"), appDir.resolve("work"));
        } else {
          Path copy = appDir.resolve("rootfs");
          copyTree(trees.get(a.name()), copy);
          rootfs = new AppSpec.Directory(copy);
        }
        org.appctools.schema.types.App app = a.app() != null ? a.app() : manifests.get(a.name()).app();
        specs.add(new AppSpec(a.name(), app, rootfs, a.readOnlyRootFS(), a.mounts(), store.treeOwners(trees.get(a.name()))));
      }
      PodNetwork network = cni ? PodNetwork.attach(uuid, dir, r.net().networks(), configs,
          new Cni(Cni.parsePath(r.network().pluginPath())), runtimeConfig) : null;
      try {
        InetAddress hostAddress = mode == NetMode.HOST ? InetAddress.getLoopbackAddress()
            : network != null ? network.gateway() : null;
        URI mds = registry.register(uuid, pod, manifests, manifestBytes, hostAddress);
        String hostname = r.hostname() != null ? r.hostname() : mode == NetMode.HOST ? null : "appctools-" + uuid;
        PodOptions options = new PodOptions(mode, true, hostname, resolvConf(r), hosts(r, hostname, network),
            r.interactive() ? pod.apps().get(0).name() : null, mds, false, network == null ? null : network.netns());
        PodSpec spec = new PodSpec(uuid, dir, specs, pod.volumes(), pod.isolators(), options);
        PodManifest reified = pod;
        return PodRunner.run(spec, stdio, new PodRunner.Listener() {
          @Override
          public void warning(String message) {
            listener.warning(message);
          }

          @Override
          public void started(ProcessHandle init) {
            // the reified manifest, for the record: written while the pod starts, not before
            try {
              write(dir.resolve("pod-manifest"), reified.toJson());
            } catch (AppcException e) {
              listener.warning(e.getMessage());
            }
            listener.started(init);
          }
        }, network);
      } finally {
        registry.unregister(uuid);
        if (network != null) {
          network.detach().forEach(m -> listener.warning("cannot undo the pod's network: " + m + " (actool gc retries)"));
        }
      }
    }
  }

  /** The image rendered with its dependencies, from the store's tree cache (rendered once, there). */
  private static Path tree(ImageStore store, Fetcher fetcher, StoredImage img) throws AppcException {
    Path tree = store.renderedTree(img, fetcher.dependencyResolver());
    store.markUsed(img.id());
    return tree;
  }

  /** The host's {@code /etc/resolv.conf}. */
  static byte[] hostResolvConf() throws AppcException {
    try {
      return Files.readAllBytes(Path.of("/etc/resolv.conf"));
    } catch (IOException e) {
      throw new AppcException("--dns host: cannot read /etc/resolv.conf: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code /etc/resolv.conf} the apps get, from --dns, --dns-search and --dns-opt; null leaves
   * the image's.
   */
  static byte[] resolvConf(Request r) throws AppcException {
    List<String> dns = r.dns();
    boolean host = dns.isEmpty() ? r.net().mode() == NetMode.HOST : dns.equals(List.of("host"));
    boolean generated = !dns.isEmpty() && !dns.equals(List.of("none")) && !host;
    if (!generated && (!r.dnsSearch().isEmpty() || !r.dnsOptions().isEmpty())) {
      throw new AppcException("--dns-search and --dns-opt go with --dns ADDRESS (the resolv.conf they are written into)");
    }
    if (host) {
      return hostResolvConf();
    }
    if (!generated) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String s : dns) {
      if (!s.matches("[0-9a-fA-F:.]+")) {
        throw new AppcException("--dns: \"" + s + "\" is not an IP address (give addresses, host or none)");
      }
      sb.append("nameserver ").append(s).append('\n');
    }
    for (String s : r.dnsSearch()) {
      if (!s.matches("[A-Za-z0-9.\\-]+")) {
        throw new AppcException("--dns-search: \"" + s + "\" is not a domain name");
      }
    }
    if (!r.dnsSearch().isEmpty()) {
      sb.append("search ").append(String.join(" ", r.dnsSearch())).append('\n');
    }
    for (String s : r.dnsOptions()) {
      if (!s.matches("[A-Za-z0-9_:\\-]+")) {
        throw new AppcException("--dns-opt: \"" + s + "\" is not a resolv.conf option (e.g. ndots:2, rotate)");
      }
    }
    if (!r.dnsOptions().isEmpty()) {
      sb.append("options ").append(String.join(" ", r.dnsOptions())).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The {@code /etc/hosts} the apps get from --hosts-entry: the host's ({@code host}), or localhost,
   * the pod's hostname at its first address and the entries; null (no entries) leaves the image's,
   * or the planner's default where the image has none.
   */
  static byte[] hosts(Request r, String hostname, PodNetwork network) throws AppcException {
    List<String> entries = r.hostsEntries();
    if (entries.isEmpty()) {
      return null;
    }
    if (entries.equals(List.of("host"))) {
      try {
        return Files.readAllBytes(Path.of("/etc/hosts"));
      } catch (IOException e) {
        throw new AppcException("--hosts-entry host: cannot read /etc/hosts: " + e.getMessage(), e);
      }
    }
    String h = hostname == null ? "" : " " + hostname;
    StringBuilder sb = new StringBuilder("127.0.0.1\tlocalhost").append(h).append("\n::1\tlocalhost ip6-localhost ip6-loopback")
        .append(h).append('\n');
    if (network != null && hostname != null) {
      network.networks().stream().flatMap(n -> n.ips().stream()).findFirst()
          .ifPresent(ip -> sb.append(ip.host()).append('\t').append(hostname).append('\n'));
    }
    for (String e : entries) {
      int eq = e.indexOf('=');
      String ip = eq < 0 ? "" : e.substring(0, eq);
      String name = eq < 0 ? "" : e.substring(eq + 1);
      if (!ip.matches("[0-9a-fA-F:.]+") || !name.matches("[A-Za-z0-9.\\-]+( [A-Za-z0-9.\\-]+)*")) {
        throw new AppcException("--hosts-entry: \"" + e + "\" is not IP=HOSTNAME (or host, alone)");
      }
      sb.append(ip).append('\t').append(name).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Without overlayfs each app gets its own copy of the tree (cp -a, reflinks where the filesystem has them). */
  private static void copyTree(Path tree, Path copy) throws AppcException {
    try {
      Process p = new ProcessBuilder(Host.tools().cp().toString(), "-a", "--reflink=auto", "-T", tree.toString(),
          copy.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        throw new AppcException("copying " + tree + " to " + copy + " failed: " + out);
      }
    } catch (IOException e) {
      throw new AppcException("copying " + tree + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException("interrupted while copying " + tree, e);
    }
  }

  private static void mkdirs(Path p) throws AppcException {
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new AppcException("cannot create " + p + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path p, byte[] bytes) throws AppcException {
    try {
      Files.write(p, bytes);
    } catch (IOException e) {
      throw new AppcException("cannot write " + p + ": " + e.getMessage(), e);
    }
  }
}
