package org.appctools.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.NotFoundException;
import org.appctools.docker.Digests;

/**
 * The image state of an OCI-mode build, what the Go acbuild kept in its {@code oci.Image}: the
 * image config (every field as read, so an image begun from a layout keeps what this class does
 * not edit; {@code rootfs} is made at write), the OCI manifest's annotations, the name and tag
 * the layout's index gives it, and the start image's layers. Stored as JSON in the session.
 *
 * <p>The edits follow the Go acbuild's {@code lib/oci}: exec sets {@code Entrypoint} to the first
 * word and {@code Cmd} to the rest; ports and mounts are named by the annotations {@code
 * coreos.com/acbuild/port/NAME} ({@code number:N protocol:P}) and {@code
 * coreos.com/acbuild/mount/NAME} ({@code path:P}) beside {@code ExposedPorts} and {@code Volumes};
 * user and group share {@code User} as {@code USER:GROUP}.
 *
 * @param name the image name ({@code set-name}), or null
 * @param tag the tag ({@code set-tag}; {@code latest} by default)
 * @param annotations the OCI manifest's annotations
 * @param base the start image's layers, base first
 * @param config the image config without {@code rootfs}
 */
public record OciImage(String name, String tag, Map<String, String> annotations,
    List<Layer> base, Map<String, Object> config) {
  /** The annotation naming a port, before its name. */
  public static final String PORT_ANNOTATION = "coreos.com/acbuild/port/";
  /** The annotation naming a mount, before its name. */
  public static final String MOUNT_ANNOTATION = "coreos.com/acbuild/mount/";

  /** A layer of the start image, kept as it is. */
  public record Layer(String mediaType, String digest, long size, String diffId) {}

  public OciImage {
    tag = tag == null ? "latest" : tag;
    annotations = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    base = List.copyOf(base);
    config = java.util.Collections.unmodifiableMap(deepCopy(config));
  }

  /** The platform the config names, for the layout's index (null when it names no os). */
  org.appctools.docker.json.PlatformTemplate platform() {
    if (!(config.get("os") instanceof String os)) {
      return null;
    }
    return new org.appctools.docker.json.PlatformTemplate(
        config.get("architecture") instanceof String a ? a : null, os,
        config.get("variant") instanceof String v ? v : null, null);
  }

  /** An empty image for this host: its os and architecture, nothing else. */
  public static OciImage empty() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", OciBuild.hostArchitecture());
    config.put("os", "linux");
    return new OciImage(null, "latest", Map.of(), List.of(), config);
  }

  // ---------------------------------------------------------------- JSON

  byte[] toBytes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("tag", tag);
    m.put("annotations", annotations);
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Layer l : base) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("mediaType", l.mediaType());
      x.put("digest", l.digest());
      x.put("size", l.size());
      x.put("diffId", l.diffId());
      layers.add(x);
    }
    m.put("base", layers);
    m.put("config", config);
    return org.appctools.docker.json.DockerJson.canonical(m);
  }

  @SuppressWarnings("unchecked")
  static OciImage parse(byte[] json) throws AppcException {
    Map<String, Object> m = OciBuild.readMap(json, "the OCI image state");
    List<Layer> layers = new ArrayList<>();
    for (Object o : (List<Object>) m.getOrDefault("base", List.of())) {
      Map<String, Object> x = (Map<String, Object>) o;
      layers.add(new Layer((String) x.get("mediaType"), (String) x.get("digest"),
          ((Number) x.get("size")).longValue(), (String) x.get("diffId")));
    }
    return new OciImage((String) m.get("name"), (String) m.get("tag"),
        (Map<String, String>) m.getOrDefault("annotations", Map.of()), layers,
        (Map<String, Object>) m.getOrDefault("config", Map.of()));
  }

  /**
   * The state of the image of an OCI layout (its index's first manifest), its layers' blobs
   * copied (checked against their digests) into {@code blobs}.
   */
  @SuppressWarnings("unchecked")
  static OciImage fromLayout(Path layout, Path blobs) throws AppcException {
    try {
      Map<String, Object> index = OciBuild.readMap(Files.readAllBytes(layout.resolve("index.json")),
          layout + "/index.json");
      List<Object> manifests = (List<Object>) index.getOrDefault("manifests", List.of());
      if (manifests.size() != 1) {
        throw new AppcException("begin: the OCI layout " + layout + " holds " + manifests.size()
            + " images; acbuild builds on one (copy the one you want into a layout of its own, "
            + "e.g. with skopeo copy oci:DIR:TAG oci:NEW)");
      }
      Map<String, Object> desc = (Map<String, Object>) manifests.get(0);
      Map<String, String> refAnnotations = (Map<String, String>) desc.getOrDefault("annotations",
          Map.of());
      Map<String, Object> manifest = OciBuild.readMap(blob(layout, (String) desc.get("digest")),
          "the manifest of " + layout);
      if (manifest.containsKey("manifests")) {
        throw new AppcException("begin: the OCI layout " + layout + " names an image index (a "
            + "multi-platform image); select one image first, e.g. with skopeo copy --override-arch");
      }
      Map<String, Object> configDesc = (Map<String, Object>) manifest.get("config");
      Map<String, Object> config = OciBuild.readMap(blob(layout, (String) configDesc.get("digest")),
          "the config of " + layout);
      Map<String, Object> rootfs = (Map<String, Object>) config.remove("rootfs");
      List<Object> diffIds = rootfs == null ? List.of()
          : (List<Object>) rootfs.getOrDefault("diff_ids", List.of());
      List<Object> layerDescs = (List<Object>) manifest.getOrDefault("layers", List.of());
      if (diffIds.size() != layerDescs.size()) {
        throw new AppcException("begin: the image in " + layout + " has " + layerDescs.size()
            + " layers but " + diffIds.size() + " diff_ids in its config");
      }
      Files.createDirectories(blobs);
      List<Layer> layers = new ArrayList<>();
      for (int i = 0; i < layerDescs.size(); i++) {
        Map<String, Object> l = (Map<String, Object>) layerDescs.get(i);
        String digest = (String) l.get("digest");
        Digests.check(digest);
        Path src = layout.resolve("blobs").resolve(digest.substring(0, digest.indexOf(':')))
            .resolve(OciExporter.hex(digest));
        Path dst = blobs.resolve(OciExporter.hex(digest));
        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
        layers.add(new Layer((String) l.get("mediaType"), digest, Files.size(dst),
            (String) diffIds.get(i)));
      }
      String ref = refAnnotations.get(OciExporter.REF_NAME);
      String full = refAnnotations.get(OciExporter.CONTAINERD_NAME);
      String name = null;
      if (full != null && ref != null && full.endsWith(":" + ref)) {
        name = full.substring(0, full.length() - ref.length() - 1);
      }
      return new OciImage(name, ref, (Map<String, String>) manifest.getOrDefault("annotations",
          Map.of()), layers, config);
    } catch (IOException | ClassCastException | NullPointerException e) {
      throw new AppcException("begin: " + layout + " is not a readable OCI image layout: " + e,
          e);
    }
  }

  private static byte[] blob(Path layout, String digest) throws AppcException, IOException {
    Digests.check(digest);
    byte[] b = Files.readAllBytes(layout.resolve("blobs")
        .resolve(digest.substring(0, digest.indexOf(':'))).resolve(OciExporter.hex(digest)));
    Digests.verify("blob " + digest + " of " + layout, b, digest);
    return b;
  }

  /**
   * The image config to write: this config with the layers' diff IDs, {@code created}, and
   * (when the config has a history) one history entry per added layer.
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> config(List<String> diffIds, int added, long created) {
    Map<String, Object> c = deepCopy(config);
    String when = Instant.ofEpochSecond(created).toString();
    c.put("created", when);
    Map<String, Object> rootfs = new LinkedHashMap<>();
    rootfs.put("type", "layers");
    rootfs.put("diff_ids", diffIds);
    c.put("rootfs", rootfs);
    if (c.get("history") instanceof List<?> h) {
      List<Object> history = new ArrayList<>((List<Object>) h);
      for (int i = 0; i < added; i++) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("created", when);
        e.put("created_by", "acbuild");
        history.add(e);
      }
      c.put("history", history);
    }
    return c;
  }

  /**
   * The config's {@code Env} as an environment (what {@code run} gives its command in OCI mode,
   * as the Go acbuild's {@code getEnvVarsOCI}); entries without {@code =} are left out.
   */
  @SuppressWarnings("unchecked")
  public org.appctools.schema.types.EnvironmentVariables environment() {
    org.appctools.schema.types.EnvironmentVariables env = org.appctools.schema.types.EnvironmentVariables.of();
    Object c = config.get("config");
    if (c instanceof Map<?, ?> exec && exec.get("Env") instanceof List<?> list) {
      for (Object o : list) {
        String s = String.valueOf(o);
        int eq = s.indexOf('=');
        if (eq > 0) {
          env = env.with(s.substring(0, eq), s.substring(eq + 1));
        }
      }
    }
    return env;
  }

  // ---------------------------------------------------------------- edits

  /** The execution parameters ({@code config.config}), made when missing. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> exec(Map<String, Object> c) {
    return (Map<String, Object>) c.computeIfAbsent("config", k -> new LinkedHashMap<>());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapIn(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.computeIfAbsent(key, k -> new LinkedHashMap<>());
  }

  /** One change of the state. */
  @FunctionalInterface
  private interface Change {
    void apply(Map<String, Object> config, Map<String, String> annotations, String[] nameTag)
        throws AppcException;
  }

  private static BuildSession.StateEdit edit(Change change) {
    return bytes -> {
      OciImage i = parse(bytes);
      Map<String, Object> c = deepCopy(i.config());
      Map<String, String> a = new TreeMap<>(i.annotations());
      String[] nameTag = {i.name(), i.tag()};
      change.apply(c, a, nameTag);
      return new OciImage(nameTag[0], nameTag[1], a, i.base(), c).toBytes();
    };
  }

  /** {@code set-exec}: {@code Entrypoint} the first word, {@code Cmd} the others (as Go). */
  public static BuildSession.StateEdit setExec(List<String> argv) {
    return edit((c, a, n) -> {
      Map<String, Object> e = exec(c);
      if (!argv.isEmpty()) {
        e.put("Entrypoint", List.of(argv.get(0)));
      }
      if (argv.size() > 1) {
        e.put("Cmd", List.copyOf(argv.subList(1, argv.size())));
      } else {
        e.remove("Cmd");
      }
    });
  }

  /** {@code environment add}: {@code Env} gets or changes {@code NAME=VALUE}. */
  @SuppressWarnings("unchecked")
  public static BuildSession.StateEdit addEnv(String name, String value) {
    return edit((c, a, n) -> {
      Map<String, Object> e = exec(c);
      List<String> env = new ArrayList<>((List<String>) e.getOrDefault("Env", List.of()));
      env.removeIf(s -> s.equals(name) || s.startsWith(name + "="));
      env.add(name + "=" + value);
      e.put("Env", env);
    });
  }

  /** {@code environment remove}. */
  @SuppressWarnings("unchecked")
  public static BuildSession.StateEdit removeEnv(String name) {
    return edit((c, a, n) -> {
      Map<String, Object> e = exec(c);
      List<String> env = new ArrayList<>((List<String>) e.getOrDefault("Env", List.of()));
      if (!env.removeIf(s -> s.equals(name) || s.startsWith(name + "="))) {
        throw new NotFoundException("environment variable \"" + name + "\"");
      }
      e.put("Env", env);
    });
  }

  /** {@code label add}: the config's {@code Labels}. */
  public static BuildSession.StateEdit addLabel(String name, String value) {
    return edit((c, a, n) -> mapIn(exec(c), "Labels").put(name, value));
  }

  /** {@code label remove}. */
  public static BuildSession.StateEdit removeLabel(String name) {
    return edit((c, a, n) -> {
      if (mapIn(exec(c), "Labels").remove(name) == null) {
        throw new NotFoundException("label \"" + name + "\"");
      }
    });
  }

  /** {@code annotation add}: the OCI manifest's annotations. */
  public static BuildSession.StateEdit addAnnotation(String name, String value) {
    return edit((c, a, n) -> a.put(name, value));
  }

  /** {@code annotation remove}. */
  public static BuildSession.StateEdit removeAnnotation(String name) {
    return edit((c, a, n) -> {
      if (a.remove(name) == null) {
        throw new NotFoundException("annotation \"" + name + "\"");
      }
    });
  }

  /** {@code port add}: {@code ExposedPorts} {@code PORT/PROTOCOL}, named by an annotation. */
  public static BuildSession.StateEdit addPort(String name, String protocol, int port, int count,
      boolean socketActivated) {
    return edit((c, a, n) -> {
      if (count != 1) {
        throw new AppcException("oci build mode does not support port counts");
      }
      if (socketActivated) {
        throw new AppcException("oci build mode does not support socket activated ports");
      }
      if (a.containsKey(PORT_ANNOTATION + name)) {
        throw new AppcException("port with name \"" + name + "\" already exists");
      }
      a.put(PORT_ANNOTATION + name, "number:" + port + " protocol:" + protocol);
      mapIn(exec(c), "ExposedPorts").put(port + "/" + protocol, new LinkedHashMap<>());
    });
  }

  /** {@code port remove}: by {@code PORT}, {@code PORT/PROTOCOL} or name. */
  public static BuildSession.StateEdit removePort(String port) {
    return edit((c, a, n) -> {
      Map<String, Object> ports = mapIn(exec(c), "ExposedPorts");
      for (String key : new ArrayList<>(ports.keySet())) {
        String number = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
        if (key.equals(port) || number.equals(port)) {
          ports.remove(key);
          String proto = key.contains("/") ? key.substring(key.indexOf('/') + 1) : "tcp";
          a.values().removeIf(v -> v.equals("number:" + number + " protocol:" + proto));
          return;
        }
      }
      String value = a.get(PORT_ANNOTATION + port);
      if (value != null && value.startsWith("number:") && value.contains(" protocol:")) {
        String key = value.substring(7, value.indexOf(' ')) + "/"
            + value.substring(value.indexOf(" protocol:") + 10);
        if (ports.remove(key) != null) {
          a.remove(PORT_ANNOTATION + port);
          return;
        }
      }
      throw new NotFoundException("port \"" + port + "\"");
    });
  }

  /** {@code mount add}: {@code Volumes} PATH, named by an annotation; read-only refused as Go. */
  public static BuildSession.StateEdit addMount(String name, String path, boolean readOnly) {
    return edit((c, a, n) -> {
      if (readOnly) {
        throw new AppcException("oci build mode does not support read only mounts");
      }
      if (a.containsKey(MOUNT_ANNOTATION + name)) {
        throw new AppcException("mount with name \"" + name + "\" already exists");
      }
      mapIn(exec(c), "Volumes").put(path, new LinkedHashMap<>());
      a.put(MOUNT_ANNOTATION + name, "path:" + path);
    });
  }

  /** {@code mount remove}: by path or name. */
  public static BuildSession.StateEdit removeMount(String mount) {
    return edit((c, a, n) -> {
      Map<String, Object> volumes = mapIn(exec(c), "Volumes");
      if (volumes.remove(mount) != null) {
        a.values().removeIf(v -> v.equals("path:" + mount));
        return;
      }
      String value = a.get(MOUNT_ANNOTATION + mount);
      if (value != null && value.startsWith("path:")
          && volumes.remove(value.substring(5)) != null) {
        a.remove(MOUNT_ANNOTATION + mount);
        return;
      }
      throw new NotFoundException("mount \"" + mount + "\"");
    });
  }

  /** {@code set-user}: the user part of {@code User}, the group kept. */
  public static BuildSession.StateEdit setUser(String user) {
    return edit((c, a, n) -> {
      if (user.isEmpty()) {
        throw new AppcException("user cannot be empty");
      }
      if (user.contains(":")) {
        throw new AppcException("user cannot contain a ':' character");
      }
      String old = (String) exec(c).getOrDefault("User", "");
      exec(c).put("User", old.contains(":") ? user + old.substring(old.indexOf(':')) : user);
    });
  }

  /** {@code set-group}: the group part of {@code User} (user {@code root} when none is set). */
  public static BuildSession.StateEdit setGroup(String group) {
    return edit((c, a, n) -> {
      if (group.isEmpty()) {
        throw new AppcException("group cannot be empty");
      }
      if (group.contains(":")) {
        throw new AppcException("group cannot contain a ':' character");
      }
      String old = (String) exec(c).getOrDefault("User", "");
      String user = old.contains(":") ? old.substring(0, old.indexOf(':')) : old;
      exec(c).put("User", (user.isEmpty() ? "root" : user) + ":" + group);
    });
  }

  /** {@code set-working-directory}: {@code WorkingDir}. */
  public static BuildSession.StateEdit setWorkingDirectory(String dir) {
    return edit((c, a, n) -> exec(c).put("WorkingDir", dir));
  }

  /** {@code set-tag}: the tag the layout's index names the image by. */
  public static BuildSession.StateEdit setTag(String tag) {
    return edit((c, a, n) -> {
      if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
        throw new AppcException("set-tag: \"" + tag + "\" is not a valid tag (letters, digits, "
            + "_ . -, at most 128, not starting with . or -)");
      }
      n[1] = tag;
    });
  }

  /**
   * {@code set-name} (which the Go acbuild refused in OCI mode): the image name, written in the
   * index as {@code io.containerd.image.name} NAME:TAG.
   */
  public static BuildSession.StateEdit setName(String name) {
    return edit((c, a, n) -> {
      try {
        org.appctools.docker.ImageReference.parse(name + ":latest");
      } catch (AppcException e) {
        throw new AppcException("set-name: \"" + name + "\" is not an image name: "
            + e.getMessage(), e);
      }
      n[0] = name;
    });
  }

  /** {@code replace-manifest FILE} in OCI mode: the image config replaced (its rootfs is made at write). */
  public static BuildSession.StateEdit replaceConfig(byte[] json) {
    return edit((c, a, n) -> {
      Map<String, Object> next = OciBuild.readMap(json, "replace-manifest: the new config");
      next.remove("rootfs");
      c.clear();
      c.putAll(next);
    });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, copyValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return deepCopy((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(copyValue(x)));
      return out;
    }
    return v;
  }
}
