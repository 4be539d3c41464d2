package org.appctools.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.Mount;
import org.appctools.schema.PodManifest;
import org.appctools.schema.RuntimeApp;
import org.appctools.schema.types.Annotation;
import org.appctools.schema.types.App;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.ExposedPort;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.IsolatorValue;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Port;
import org.appctools.schema.types.ResourceQuantity;
import org.appctools.schema.types.Volume;

/**
 * An appc pod manifest as a Kubernetes Pod (YAML, {@code apiVersion: v1}): each app a container
 * whose image is the reference given for it (else the app's image name and version, as {@code
 * actool push} would tag it), host volumes as {@code hostPath} and empty volumes as {@code
 * emptyDir}, the apps' mounts (and mount points matched by name to pod volumes, as the appc
 * executor matches them) as volume mounts, ports (with the pod's host ports), resource requests
 * and limits from the memory and cpu isolators, capabilities, no-new-privileges, SELinux and
 * AppArmor from the Linux isolators, and environment, command, working directory, user and group
 * when the pod overrides the image's app (otherwise the image's own config carries them). What a
 * Pod cannot say is listed as warnings, which also head the YAML as comments. No IO: images are
 * looked up through {@link ImageLookup}.
 */
public final class KubernetesPod {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");
  private static final Pattern NUMERIC = Pattern.compile("[0-9]{1,10}");
  private static final Pattern LABEL_KEY = Pattern.compile(
      "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile(
      "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  /** The manifest of a pod app's image, when it can be had (the store). */
  @FunctionalInterface
  public interface ImageLookup {
    Optional<ImageManifest> manifest(ImageId id) throws AppcException;
  }

  /**
   * What to convert with.
   *
   * @param name the Pod's name (a DNS label)
   * @param imageRefs container image references by app name
   * @param images where the apps' image manifests are looked up
   */
  public record Options(String name, Map<String, String> imageRefs, ImageLookup images) {
    public Options {
      imageRefs = imageRefs == null ? Map.of() : Map.copyOf(imageRefs);
      images = images == null ? id -> Optional.empty() : images;
    }
  }

  /** The Pod YAML (warnings first, as comments) and the warnings. */
  public record Result(String yaml, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  private KubernetesPod() {}

  /** Converts {@code pod}. Fails when a name is not a DNS label or an app has no image reference. */
  public static Result convert(PodManifest pod, Options options) throws AppcException {
    if (!DNS_LABEL.matcher(options.name()).matches()) {
      throw new AppcException("pod k8s: pod name \"" + options.name() + "\" is not a DNS label "
          + "(lowercase letters, digits and -, at most 63); give one with --name");
    }
    List<String> warnings = new ArrayList<>();
    Map<String, Object> podSecurity = new LinkedHashMap<>();
    List<Object> containers = new ArrayList<>();
    Map<String, Volume> volumes = new LinkedHashMap<>();
    for (Volume v : pod.volumes()) {
      volumes.put(v.name().value(), v);
    }
    List<Long> supplementalGroups = new ArrayList<>();
    Map<String, String> sysctls = new TreeMap<>();
    Map<String, Map<String, Object>> portsByName = new LinkedHashMap<>();
    for (RuntimeApp ra : pod.apps()) {
      String appName = ra.name().value();
      String where = "app " + appName;
      Optional<ImageManifest> image = options.images().manifest(ra.image().id());
      App app = ra.app() != null ? ra.app() : image.map(ImageManifest::app).orElse(null);
      if (ra.app() == null && image.isEmpty()) {
        warnings.add(where + ": image " + ra.image().id() + " is not in the store, so its ports, "
            + "mount points and isolators are not known (fetch it first)");
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", appName);
      c.put("image", imageRef(ra, image, options));
      if (ra.app() != null) {
        if (!app.exec().isEmpty()) {
          c.put("command", new ArrayList<>(app.exec()));
        }
        List<Object> env = new ArrayList<>();
        for (EnvironmentVariable e : app.environment().list()) {
          env.add(ordered("name", e.name(), "value", e.value()));
        }
        if (!env.isEmpty()) {
          c.put("env", env);
        }
        if (app.workingDirectory() != null) {
          c.put("workingDir", app.workingDirectory());
        }
      }
      Map<String, Object> security = new LinkedHashMap<>();
      if (ra.app() != null) {
        user(app, security, where, warnings);
      }
      if (app != null) {
        supplementalGroups.addAll(app.supplementaryGIDs());
        app.eventHandlers().forEach(h -> warnings.add(where + ": event handler " + h.name()
            + " has no Pod equivalent (Kubernetes' lifecycle hooks run beside the app, not "
            + "before or after it)"));
        List<Object> ports = new ArrayList<>();
        for (Port p : app.ports()) {
          Map<String, Object> port = port(p, where, warnings);
          ports.add(port);
          portsByName.putIfAbsent(p.name().value(), port);
          if (p.count() > 1) {
            warnings.add(where + ": port " + p.name() + " covers " + p.count() + " ports; the "
                + "container lists the first");
          }
        }
        if (!ports.isEmpty()) {
          c.put("ports", ports);
        }
        isolators(app.isolators(), c, security, sysctls, where, warnings);
      }
      if (ra.readOnlyRootFS()) {
        security.put("readOnlyRootFilesystem", true);
      }
      List<Object> mounts = mounts(ra, app, volumes, where, warnings);
      if (!mounts.isEmpty()) {
        c.put("volumeMounts", mounts);
      }
      if (!security.isEmpty()) {
        c.put("securityContext", security);
      }
      ra.annotations().list().forEach(a -> warnings.add(where + ": annotation " + a.name()
          + " is not carried over (a Pod has no per-container annotations)"));
      containers.add(c);
    }
    for (ExposedPort ep : pod.ports()) {
      hostPort(ep, portsByName, warnings);
    }
    pod.isolators().forEach(i -> warnings.add("pod isolator " + i.name() + " has no Pod "
        + "equivalent (set it per app)"));
    if (!supplementalGroups.isEmpty()) {
      podSecurity.put("supplementalGroups", supplementalGroups.stream().distinct().sorted().toList());
    }
    if (!sysctls.isEmpty()) {
      List<Object> list = new ArrayList<>();
      sysctls.forEach((k, v) -> list.add(ordered("name", k, "value", v)));
      podSecurity.put("sysctls", list);
    }

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", options.name());
    Map<String, String> labels = new TreeMap<>();
    pod.userLabels().forEach((k, v) -> {
      if (LABEL_KEY.matcher(k).matches() && LABEL_VALUE.matcher(v).matches()) {
        labels.put(k, v);
      } else {
        warnings.add("user label " + k + "=" + v + " is not a valid Kubernetes label; kept as "
            + "an annotation");
      }
    });
    Map<String, String> annotations = new TreeMap<>();
    for (Annotation a : pod.annotations().list()) {
      annotations.put(a.name().value(), a.value());
    }
    annotations.putAll(pod.userAnnotations());
    pod.userLabels().forEach((k, v) -> {
      if (!labels.containsKey(k)) {
        annotations.put(k, v);
      }
    });
    if (!labels.isEmpty()) {
      metadata.put("labels", labels);
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    if (!podSecurity.isEmpty()) {
      spec.put("securityContext", podSecurity);
    }
    spec.put("containers", containers);
    List<Object> vols = new ArrayList<>();
    for (Volume v : volumes.values()) {
      vols.add(volume(v, warnings));
    }
    if (!vols.isEmpty()) {
      spec.put("volumes", vols);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", "v1");
    root.put("kind", "Pod");
    root.put("metadata", metadata);
    root.put("spec", spec);
    StringBuilder yaml = new StringBuilder();
    for (String w : warnings) {
      yaml.append("# warning: ").append(w.replace('\n', ' ')).append('\n');
    }
    yaml.append(Yaml.write(root));
    return new Result(yaml.toString(), warnings);
  }

  private static String imageRef(RuntimeApp ra, Optional<ImageManifest> image, Options options)
      throws AppcException {
    String given = options.imageRefs().get(ra.name().value());
    if (given != null) {
      return given;
    }
    String name = ra.image().name() != null ? ra.image().name().value()
        : image.map(m -> m.name().value()).orElse(null);
    if (name == null) {
      throw new AppcException("pod k8s: app " + ra.name() + ": its image " + ra.image().id()
          + " has no name in the pod manifest and is not in the store; give its reference with "
          + "--image-ref " + ra.name() + "=REGISTRY/REPOSITORY:TAG");
    }
    String version = ra.image().labels().get("version")
        .or(() -> image.flatMap(m -> m.labels().get("version"))).orElse("latest");
    return name + ":" + version;
  }

  private static void user(App app, Map<String, Object> security, String where,
      List<String> warnings) {
    if (NUMERIC.matcher(app.user()).matches()) {
      security.put("runAsUser", Long.parseLong(app.user()));
    } else {
      warnings.add(where + ": user " + app.user() + " is not a number, which a Pod needs; the "
          + "image's user applies");
    }
    if (NUMERIC.matcher(app.group()).matches()) {
      security.put("runAsGroup", Long.parseLong(app.group()));
    } else {
      warnings.add(where + ": group " + app.group() + " is not a number, which a Pod needs; the "
          + "image's group applies");
    }
  }

  private static Map<String, Object> port(Port p, String where, List<String> warnings) {
    Map<String, Object> port = new LinkedHashMap<>();
    if (PORT_NAME.matcher(p.name().value()).matches() && p.name().value().matches(".*[a-z].*")) {
      port.put("name", p.name().value());
    } else {
      warnings.add(where + ": port name " + p.name() + " is not a Kubernetes port name (at most "
          + "15 characters, a letter among them); the port is unnamed");
    }
    port.put("containerPort", p.port());
    String protocol = p.protocol().toUpperCase(Locale.ROOT);
    if (!List.of("TCP", "UDP", "SCTP").contains(protocol)) {
      warnings.add(where + ": port " + p.name() + " protocol " + p.protocol() + " is not TCP, UDP "
          + "or SCTP; written as TCP");
      protocol = "TCP";
    }
    port.put("protocol", protocol);
    if (p.socketActivated()) {
      warnings.add(where + ": port " + p.name() + " is socket-activated, which a Pod cannot do");
    }
    return port;
  }

  private static void hostPort(ExposedPort ep, Map<String, Map<String, Object>> portsByName,
      List<String> warnings) {
    Map<String, Object> port = portsByName.get(ep.name().value());
    if (port == null) {
      warnings.add("pod port " + ep.name() + " (host port " + ep.hostPort() + ") names no port "
          + "of an app; not exposed");
      return;
    }
    if (ep.podPort() != null) {
      port.put("containerPort", ep.podPort().port());
    }
    port.put("hostPort", ep.hostPort());
    if (ep.hostIP() != null) {
      port.put("hostIP", ep.hostIP());
    }
  }

  private static void isolators(List<Isolator> isolators, Map<String, Object> container,
      Map<String, Object> security, Map<String, String> sysctls, String where,
      List<String> warnings) {
    Map<String, Object> requests = new TreeMap<>();
    Map<String, Object> limits = new TreeMap<>();
    Map<String, Object> capabilities = new LinkedHashMap<>();
    for (Isolator i : isolators) {
      IsolatorValue v = i.value();
      if (v instanceof IsolatorValue.ResourceCpu cpu) {
        quantity(requests, "cpu", cpu.request());
        quantity(limits, "cpu", cpu.limit());
      } else if (v instanceof IsolatorValue.ResourceMemory mem) {
        quantity(requests, "memory", mem.request());
        quantity(limits, "memory", mem.limit());
      } else if (v instanceof IsolatorValue.CapabilitiesRetainSet retain) {
        capabilities.put("drop", List.of("ALL"));
        capabilities.put("add", capabilityNames(retain.set()));
      } else if (v instanceof IsolatorValue.CapabilitiesRemoveSet remove) {
        capabilities.put("drop", capabilityNames(remove.set()));
      } else if (v instanceof IsolatorValue.NoNewPrivileges nnp) {
        security.put("allowPrivilegeEscalation", !nnp.enabled());
      } else if (v instanceof IsolatorValue.SelinuxContext se) {
        security.put("seLinuxOptions", ordered("user", se.user(), "role", se.role(), "type",
            se.type(), "level", se.level()));
      } else if (v instanceof IsolatorValue.ApparmorProfile aa) {
        security.put("appArmorProfile", ordered("type", "Localhost", "localhostProfile",
            aa.profile()));
      } else if (v instanceof IsolatorValue.Sysctl s) {
        sysctls.putAll(s.values());
        warnings.add(where + ": sysctls apply to the whole Pod in Kubernetes");
      } else {
        warnings.add(where + ": isolator " + i.name() + " has no Pod equivalent");
      }
    }
    Map<String, Object> resources = new LinkedHashMap<>();
    if (!limits.isEmpty()) {
      resources.put("limits", limits);
    }
    if (!requests.isEmpty()) {
      resources.put("requests", requests);
    }
    if (!resources.isEmpty()) {
      container.put("resources", resources);
    }
    if (!capabilities.isEmpty()) {
      security.put("capabilities", capabilities);
    }
  }

  private static void quantity(Map<String, Object> into, String key, ResourceQuantity q) {
    if (q != null) {
      into.put(key, q.value());
    }
  }

  /** {@code CAP_NET_ADMIN} as Kubernetes names it: {@code NET_ADMIN}. */
  private static List<String> capabilityNames(List<String> caps) {
    return caps.stream().map(c -> c.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "")).toList();
  }

  private static List<Object> mounts(RuntimeApp ra, App app, Map<String, Volume> volumes,
      String where, List<String> warnings) {
    List<Object> out = new ArrayList<>();
    List<String> mounted = new ArrayList<>();
    for (Mount m : ra.mounts()) {
      Volume v = m.appVolume() != null ? m.appVolume() : volumes.get(m.volume().value());
      if (m.appVolume() != null) {
        volumes.putIfAbsent(m.appVolume().name().value(), m.appVolume());
      }
      if (v == null) {
        warnings.add(where + ": mount of volume " + m.volume() + " at " + m.path() + ": the pod "
            + "has no such volume; not mounted");
        continue;
      }
      out.add(volumeMount(v.name().value(), m.path(), Boolean.TRUE.equals(v.readOnly())));
      mounted.add(m.path());
    }
    if (app != null) {
      for (MountPoint mp : app.mountPoints()) {
        if (mounted.contains(mp.path())) {
          continue;
        }
        Volume v = volumes.get(mp.name().value());
        if (v == null) {
          warnings.add(where + ": mount point " + mp.name() + " (" + mp.path() + ") has no pod "
              + "volume of that name; the container keeps the image's directory");
          continue;
        }
        out.add(volumeMount(v.name().value(), mp.path(),
            mp.readOnly() || Boolean.TRUE.equals(v.readOnly())));
      }
    }
    return out;
  }

  private static Map<String, Object> volumeMount(String name, String path, boolean readOnly) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("mountPath", path);
    if (readOnly) {
      m.put("readOnly", true);
    }
    return m;
  }

  private static Map<String, Object> volume(Volume v, List<String> warnings) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", v.name().value());
    if (Volume.HOST.equals(v.kind())) {
      out.put("hostPath", ordered("path", v.source()));
      if (Boolean.FALSE.equals(v.recursive())) {
        warnings.add("volume " + v.name() + ": recursive=false has no hostPath equivalent (host "
            + "paths are bound with what is mounted below them)");
      }
    } else {
      out.put("emptyDir", Map.of());
      if (!Volume.DEFAULT_MODE.equals(v.mode()) || v.uid() != 0 || v.gid() != 0) {
        warnings.add("volume " + v.name() + ": mode " + v.mode() + " and owner " + v.uid() + ":"
            + v.gid() + " of the empty volume have no emptyDir equivalent (use an init container "
            + "or fsGroup)");
      }
    }
    return out;
  }

  /** A map in the order of its key/value arguments, null values left out. */
  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }
}
