package org.appctools.oci;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.appctools.AppcException;
import org.appctools.docker.Platforms;
import org.appctools.docker.json.ConfigTemplate;
import org.appctools.docker.json.ContainerConfigTemplate;
import org.appctools.docker.json.DockerJson;
import org.appctools.docker.json.HistoryTemplate;
import org.appctools.docker.json.PlatformTemplate;
import org.appctools.docker.json.RootfsTemplate;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.Annotation;
import org.appctools.schema.types.App;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Port;

/**
 * An appc image manifest as an OCI image config and OCI manifest annotations: the inverse of
 * docker2aci's rules ({@code docs/oci-export.md} has the table), so that an exported image
 * converted back by docker2aci has the same exec, user, group, environment, working directory,
 * ports, volumes, user labels, version, os, arch, authors and created time. What an image config
 * cannot hold (isolators, event handlers, supplementary GIDs, read-only mount points,
 * socket-activated ports, users given as file paths) is reported as a warning; every image
 * annotation, label and user annotation is kept in the OCI manifest's annotations. No IO.
 */
public final class ConfigMapping {
  /** The OCI annotation of the image's name. */
  public static final String TITLE = "org.opencontainers.image.title";
  /** The OCI annotation of the version label. */
  public static final String VERSION = "org.opencontainers.image.version";
  /** The OCI annotation of the creation time. */
  public static final String CREATED = "org.opencontainers.image.created";
  /** The OCI annotation of the authors. */
  public static final String AUTHORS = "org.opencontainers.image.authors";
  /** The OCI annotation of the image's home page. */
  public static final String URL = "org.opencontainers.image.url";
  /** The OCI annotation of the image's documentation. */
  public static final String DOCUMENTATION = "org.opencontainers.image.documentation";
  /** The prefix of labels other than version, os and arch, as OCI manifest annotations. */
  public static final String LABEL_PREFIX = "appc.io/label/";
  /** The prefix of the app's user annotations, as OCI manifest annotations. */
  public static final String USER_ANNOTATION_PREFIX = "appc.io/user-annotation/";
  /** Where docker2aci keeps a Docker image's Entrypoint. */
  public static final String DOCKER_ENTRYPOINT = "appc.io/docker/entrypoint";
  /** Where docker2aci keeps a Docker image's Cmd. */
  public static final String DOCKER_CMD = "appc.io/docker/cmd";

  private static final Set<String> PLATFORM_LABELS = Set.of("version", "os", "arch");

  /**
   * The mapping of one manifest.
   *
   * @param config the image config
   * @param annotations the OCI manifest's annotations, sorted by name
   * @param platform the config's os, architecture and variant
   * @param created the creation time in seconds since the epoch, or 0 when the image has none
   * @param warnings what the config cannot hold, one sentence each
   */
  public record Mapped(ConfigTemplate config, Map<String, String> annotations,
      PlatformTemplate platform, long created, List<String> warnings) {
    public Mapped {
      annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
      warnings = List.copyOf(warnings);
    }
  }

  private ConfigMapping() {}

  /**
   * Maps {@code manifest}; {@code diffIds} are the uncompressed layers' digests and {@code
   * layerTitles} their images ({@code name[:version]}), base first, for {@code rootfs} and
   * {@code history}. Fails when the manifest has no {@code os} or {@code arch} label (an image
   * config requires both) or a pair Docker has no name for.
   */
  public static Mapped map(ImageManifest manifest, List<String> diffIds, List<String> layerTitles)
      throws AppcException {
    List<String> warnings = new ArrayList<>();
    String os = manifest.labels().get("os").orElse(null);
    String arch = manifest.labels().get("arch").orElse(null);
    if (os == null || arch == null) {
      throw new AppcException("the manifest of " + manifest.name() + " has no "
          + (os == null ? "os" : "arch") + " label, which an OCI image config requires (add "
          + "it: acbuild --modify IMAGE.aci label add " + (os == null ? "os linux" : "arch amd64")
          + ")");
    }
    PlatformTemplate platform = Platforms.toDocker(os, arch);
    // the schema holds created to RFC 3339
    String created = manifest.annotations().get("created").orElse(null);
    long createdSeconds = created == null ? 0 : Math.max(0, OffsetDateTime.parse(created,
        DateTimeFormatter.ISO_OFFSET_DATE_TIME).toEpochSecond());
    String author = manifest.annotations().get("authors").orElse(null);

    Map<String, String> annotations = new TreeMap<>();
    for (Annotation a : manifest.annotations().list()) {
      annotations.put(a.name().value(), a.value());
    }
    for (Label l : manifest.labels().list()) {
      if (!PLATFORM_LABELS.contains(l.name().value())) {
        annotations.put(LABEL_PREFIX + l.name().value(), l.value());
      }
    }
    annotations.put(TITLE, manifest.name().value());
    manifest.labels().get("version").ifPresent(v -> annotations.put(VERSION, v));
    if (created != null) {
      annotations.put(CREATED, created);
    }
    if (author != null) {
      annotations.put(AUTHORS, author);
    }
    manifest.annotations().get("homepage").ifPresent(v -> annotations.put(URL, v));
    manifest.annotations().get("documentation").ifPresent(v -> annotations.put(DOCUMENTATION, v));

    ContainerConfigTemplate container = null;
    if (manifest.app() != null) {
      App app = manifest.app();
      app.userAnnotations().forEach((k, v) -> annotations.put(USER_ANNOTATION_PREFIX + k, v));
      container = container(manifest, app, warnings);
    }
    List<HistoryTemplate> history = new ArrayList<>();
    for (String title : layerTitles) {
      history.add(new HistoryTemplate(created, "appc image " + title, null, null));
    }
    ConfigTemplate config = new ConfigTemplate(null, null, created, author, null,
        platform.architecture(), platform.os(), platform.variant(), container,
        new RootfsTemplate("layers", diffIds), history);
    return new Mapped(config, annotations, platform, createdSeconds, warnings);
  }

  private static ContainerConfigTemplate container(ImageManifest manifest, App app,
      List<String> warnings) {
    String user = null;
    if (app.user().startsWith("/") || app.group().startsWith("/")) {
      warnings.add("user " + app.user() + " and group " + app.group() + ": an image config "
          + "cannot name the owner of a file; the image runs as root unless the runtime says");
    } else if (!(app.user().equals("0") && app.group().equals("0"))) {
      user = app.user() + ":" + app.group();
    }
    List<String> entrypoint = null;
    List<String> cmd = null;
    List<String> fromDocker = dockerExec(manifest, app.exec());
    if (fromDocker != null) {
      int split = fromDocker.size();
      entrypoint = app.exec().subList(0, split);
      cmd = app.exec().subList(split, app.exec().size());
    } else if (!app.exec().isEmpty()) {
      entrypoint = app.exec();
    }
    List<String> env = new ArrayList<>();
    for (EnvironmentVariable e : app.environment().list()) {
      env.add(e.name() + "=" + e.value());
    }
    Map<String, Object> ports = new TreeMap<>();
    for (Port p : app.ports()) {
      for (int i = 0; i < p.count(); i++) {
        ports.put((p.port() + i) + "/" + p.protocol(), Map.of());
      }
      if (p.count() > 1) {
        warnings.add("port " + p.name() + " (" + p.port() + "-" + (p.port() + p.count() - 1)
            + "/" + p.protocol() + ") is exposed as " + p.count() + " ports");
      }
      if (p.socketActivated()) {
        warnings.add("port " + p.name() + " is socket-activated, which an image config "
            + "cannot say; it is exposed as a plain port");
      }
    }
    Map<String, Object> volumes = new TreeMap<>();
    for (MountPoint mp : app.mountPoints()) {
      volumes.put(mp.path(), Map.of());
      if (mp.readOnly()) {
        warnings.add("mount point " + mp.name() + " (" + mp.path() + ") is read-only, which "
            + "an image config cannot say; it is a plain volume");
      }
    }
    for (Isolator i : app.isolators()) {
      warnings.add("isolator " + i.name() + " is not part of an image config (a runtime "
          + "setting; actool pod k8s maps resources and capabilities)");
    }
    app.eventHandlers().forEach(h -> warnings.add("event handler " + h.name()
        + " has no image config equivalent"));
    if (!app.supplementaryGIDs().isEmpty()) {
      warnings.add("supplementary GIDs " + app.supplementaryGIDs() + " have no image config "
          + "equivalent");
    }
    return new ContainerConfigTemplate(user, ports.isEmpty() ? null : ports, null,
        env.isEmpty() ? null : env, entrypoint, cmd, volumes.isEmpty() ? null : volumes,
        app.workingDirectory(), app.userLabels().isEmpty() ? null : app.userLabels());
  }

  /**
   * docker2aci's Entrypoint when its {@code appc.io/docker/entrypoint} and {@code …/cmd}
   * annotations still make up {@code exec} (Entrypoint followed by Cmd), else null: then the
   * whole exec is the Entrypoint.
   */
  private static List<String> dockerExec(ImageManifest manifest, List<String> exec) {
    String e = manifest.annotations().get(DOCKER_ENTRYPOINT).orElse(null);
    String c = manifest.annotations().get(DOCKER_CMD).orElse(null);
    if (e == null && c == null) {
      return null;
    }
    List<String> entrypoint = e == null ? List.of() : jsonArray(e);
    List<String> cmd = c == null ? List.of() : jsonArray(c);
    if (entrypoint == null || cmd == null) {
      return null;
    }
    List<String> joined = new ArrayList<>(entrypoint);
    joined.addAll(cmd);
    return joined.equals(exec) ? entrypoint : null;
  }

  private static List<String> jsonArray(String json) {
    try {
      return DockerJson.read(json.getBytes(StandardCharsets.UTF_8),
          new TypeReference<List<String>>() {}, "annotation");
    } catch (IOException e) {
      return null;
    }
  }
}
