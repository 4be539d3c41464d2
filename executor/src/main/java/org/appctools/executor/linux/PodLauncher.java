package org.appctools.executor.linux;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.appctools.AppcException;
import org.appctools.executor.AppOverrides;
import org.appctools.executor.AppSpec;
import org.appctools.executor.NetMode;
import org.appctools.executor.PodAssembler;
import org.appctools.executor.PodOptions;
import org.appctools.executor.PodSpec;
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
 * store's tree cache, makes the reified pod manifest and the pod's state directory, registers the
 * pod with the metadata service when there is one, and runs it.
 */
public final class PodLauncher {
  private PodLauncher() {}

  /** One image to run and the options that follow it on the command line. */
  public record ImageApp(String image, AppOverrides overrides) {}

  /**
   * What to run and how. Either {@code apps} or {@code podManifest} (whose apps name their images
   * by ID) is given.
   *
   * @param dns rkt's --dns: empty (the host's with --net host, else the image's), {@code host},
   *     {@code none}, or name server addresses
   * @param hostname null: {@code appctools-UUID}, or the host's with --net host
   * @param noOverlay copy each app's tree instead of mounting an overlay (rkt's --no-overlay)
   */
  public record Request(List<ImageApp> apps, PodManifest podManifest, List<Volume> volumes,
      List<EnvironmentVariable> setEnv, NetMode net, String hostname, List<String> dns, boolean interactive,
      boolean noOverlay) {
    public Request {
      apps = apps == null ? List.of() : List.copyOf(apps);
      volumes = volumes == null ? List.of() : List.copyOf(volumes);
      setEnv = setEnv == null ? List.of() : List.copyOf(setEnv);
      dns = dns == null ? List.of() : List.copyOf(dns);
    }
  }

  /**
   * Where a pod registers with the metadata service (spec ace.md, "App Container Metadata
   * Service"): the service gets the reified pod manifest and each app's image manifest (parsed,
   * and the bytes the store holds, which {@code /apps/NAME/image/manifest} serves) and returns the
   * pod's {@code AC_METADATA_URL} (with its token), which every app gets in its environment. The
   * service's {@code register(PodRegistration)} fits behind it. {@link #NONE} when no service runs.
   * A service on the host's loopback is reachable from pods with {@code --net host} only, until
   * pods get CNI networks.
   */
  public interface MetadataRegistry {
    /** Registers the pod; returns its URL, or null when the apps cannot reach the service. */
    URI register(UUID uuid, PodManifest pod, Map<AcName, ImageManifest> images, Map<AcName, byte[]> imageManifestBytes)
        throws AppcException;

    /** Forgets the pod. */
    void unregister(UUID uuid);

    /** No metadata service: the apps get no {@code AC_METADATA_URL}. */
    MetadataRegistry NONE = new MetadataRegistry() {
      @Override
      public URI register(UUID uuid, PodManifest pod, Map<AcName, ImageManifest> images,
          Map<AcName, byte[]> imageManifestBytes) {
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
    UUID uuid = UUID.randomUUID();
    List<PodInfo.App> infos = new ArrayList<>();
    for (RuntimeApp a : pod.apps()) {
      infos.add(new PodInfo.App(a.name().value(), a.image().name() == null ? null : a.image().name().value(),
          a.image().id().value(), null));
    }
    boolean overlay = !r.noOverlay() && Host.overlaySupported();
    try (Pods.Created created = pods.create(uuid, r.net().toString(), infos)) {
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
        specs.add(new AppSpec(a.name(), app, rootfs, a.readOnlyRootFS(), a.mounts()));
      }
      URI mds = registry.register(uuid, pod, manifests, manifestBytes);
      try {
        String hostname = r.hostname() != null ? r.hostname() : r.net() == NetMode.HOST ? null : "appctools-" + uuid;
        PodOptions options = new PodOptions(r.net(), true, hostname, resolvConf(r), r.interactive() ? pod.apps().get(0).name() : null,
            mds, false);
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
        });
      } finally {
        registry.unregister(uuid);
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

  /** The {@code /etc/resolv.conf} the apps get, from --dns; null leaves the image's. */
  static byte[] resolvConf(Request r) throws AppcException {
    List<String> dns = r.dns();
    boolean host = dns.isEmpty() ? r.net() == NetMode.HOST : dns.equals(List.of("host"));
    if (host) {
      return hostResolvConf();
    }
    if (dns.isEmpty() || dns.equals(List.of("none"))) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String s : dns) {
      if (!s.matches("[0-9a-fA-F:.]+")) {
        throw new AppcException("--dns: \"" + s + "\" is not an IP address (give addresses, host or none)");
      }
      sb.append("nameserver ").append(s).append('\n');
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
