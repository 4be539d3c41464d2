package org.appctools.docker;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.docker.json.ConfigTemplate;
import org.appctools.docker.json.ContainerConfigTemplate;
import org.appctools.docker.json.DockerJson;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.Annotations;
import org.appctools.schema.types.App;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.EnvironmentVariables;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Port;

/**
 * The conversion rules of docker2aci: an image config and its reference become an appc image
 * manifest.
 *
 * <ul>
 *   <li>name: {@code REGISTRY/REPOSITORY} made an AC Identifier as Go's {@code
 *       SanitizeACIdentifier} does (lowercase, other characters {@code _}, separators trimmed at
 *       the ends); labels {@code version} (the tag, when there is one), {@code os} and {@code arch}
 *       ({@link Platforms});
 *   <li>{@code exec} = Entrypoint followed by Cmd, each also kept as a JSON array in the {@code
 *       appc.io/docker/entrypoint} and {@code appc.io/docker/cmd} annotations;
 *   <li>user and group: empty is {@code 0}/{@code 0}, {@code USER} alone is both, {@code
 *       USER:GROUP} is split;
 *   <li>environment from {@code KEY=VALUE} entries (others skipped with a warning), the working
 *       directory, exposed ports ({@code PortSpecs} when there are none) as ports named {@code
 *       PORT-PROTO} sorted by name, volumes as mount points named {@code volume-PATH} sorted by
 *       name, Docker labels as the app's user labels;
 *   <li>annotations {@code authors}, {@code created} (not for the Unix epoch), {@code
 *       docker-comment} and {@code appc.io/docker/{originalname, registryurl, repository, tag,
 *       imageid, manifesthash, entrypoint, cmd}}.
 * </ul>
 *
 * There is no app when the config has no {@code config} section.
 */
public final class DockerToAciTranslator {
  /** A manifest and what could not be carried over. */
  public record Translation(ImageManifest manifest, long created, List<String> warnings) {
    public Translation {
      warnings = List.copyOf(warnings);
    }
  }

  private static final Pattern INVALID_IDENTIFIER_CHARS = Pattern.compile("[^a-z0-9._~/-]");
  private static final Pattern INVALID_IDENTIFIER_EDGES = Pattern.compile("(^[-._~/]+)|([-._~/]+$)");
  private static final Pattern INVALID_NAME_CHARS = Pattern.compile("[^a-z0-9-]");
  private static final Pattern INVALID_NAME_EDGES = Pattern.compile("(^-+)|(-+$)");
  private static final String EPOCH = "1970-01-01T00:00:00Z";

  private DockerToAciTranslator() {}

  /** The manifest of the squashed image. */
  public static Translation translate(SourceImage image) throws AppcException {
    ConfigTemplate config = image.config();
    ImageReference ref = image.reference();
    List<String> warnings = new ArrayList<>();
    AcIdentifier name = identifier(ref.name());
    Labels labels = Labels.of();
    if (!ref.tag().isEmpty()) {
      labels = labels.with(AcIdentifier.parse("version"), ref.tag());
    }
    labels = withPlatform(labels, config);
    Annotations annotations = Annotations.of();
    annotations = with(annotations, "authors", config.author());
    long created = 0;
    String createdText = config.created();
    if (createdText != null && !createdText.isEmpty()) {
      try {
        OffsetDateTime t = OffsetDateTime.parse(createdText, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        created = Math.max(0, t.toEpochSecond());
        if (created > 0) {
          annotations = with(annotations, "created", createdText);
        }
      } catch (DateTimeParseException | InvalidValueException e) {
        warnings.add("image created time \"" + createdText + "\" is not RFC 3339; no created annotation");
      }
    }
    annotations = with(annotations, "docker-comment", config.comment());
    annotations = with(annotations, "appc.io/docker/originalname", image.originalName());
    annotations = with(annotations, "appc.io/docker/registryurl", ref.registry());
    annotations = with(annotations, "appc.io/docker/repository", ref.repository());
    annotations = with(annotations, "appc.io/docker/tag", ref.tag());
    annotations = with(annotations, "appc.io/docker/imageid", image.configDigest());
    annotations = with(annotations, "appc.io/docker/manifesthash", image.manifestDigest());
    App app = null;
    ContainerConfigTemplate c = config.config();
    if (c != null) {
      if (c.entrypoint() != null && !c.entrypoint().isEmpty()) {
        annotations = with(annotations, "appc.io/docker/entrypoint", DockerJson.write(c.entrypoint()));
      }
      if (c.cmd() != null && !c.cmd().isEmpty()) {
        annotations = with(annotations, "appc.io/docker/cmd", DockerJson.write(c.cmd()));
      }
      app = app(c, warnings);
    }
    ImageManifest manifest;
    try {
      manifest = ImageManifest.empty(name).withLabels(labels).withApp(app)
          .withAnnotations(annotations);
    } catch (InvalidValueException e) {
      throw new AppcException("the image config gives an invalid manifest: " + e.getMessage(), e);
    }
    return new Translation(manifest, created, warnings);
  }

  /** The labels with {@code os} and {@code arch} of the config, when it names its platform. */
  static Labels withPlatform(Labels labels, ConfigTemplate config) throws AppcException {
    if (config.os() == null || config.os().isEmpty() || config.architecture() == null
        || config.architecture().isEmpty()) {
      return labels;
    }
    Platforms.AppcPlatform p = Platforms.toAppc(config.os(), config.architecture(), config.variant());
    return labels.with(AcIdentifier.parse("os"), p.os()).with(AcIdentifier.parse("arch"), p.arch());
  }

  private static App app(ContainerConfigTemplate c, List<String> warnings) throws AppcException {
    List<String> exec = new ArrayList<>();
    if (c.entrypoint() != null) {
      exec.addAll(c.entrypoint());
    }
    if (c.cmd() != null) {
      exec.addAll(c.cmd());
    }
    String user = c.user() == null ? "" : c.user();
    String group;
    if (user.isEmpty()) {
      user = "0";
      group = "0";
    } else {
      int colon = user.indexOf(':');
      group = colon < 0 ? user : user.substring(colon + 1);
      user = colon < 0 ? user : user.substring(0, colon);
      if (user.isEmpty()) {
        user = "0";
      }
      if (group.isEmpty()) {
        group = user;
      }
    }
    EnvironmentVariables env = EnvironmentVariables.of();
    if (c.env() != null) {
      for (String kv : c.env()) {
        int eq = kv == null ? -1 : kv.indexOf('=');
        if (eq < 0) {
          warnings.add("skipped environment entry \"" + kv + "\" (not KEY=VALUE)");
          continue;
        }
        try {
          new EnvironmentVariable(kv.substring(0, eq), kv.substring(eq + 1));
          env = env.with(kv.substring(0, eq), kv.substring(eq + 1));
        } catch (InvalidValueException e) {
          warnings.add("skipped environment entry \"" + kv + "\": " + e.getMessage());
        }
      }
    }
    String workingDir = c.workingDir();
    if (workingDir != null && !workingDir.isEmpty() && !workingDir.startsWith("/")) {
      warnings.add("working directory \"" + workingDir + "\" is not absolute; taken as /" + workingDir);
      workingDir = "/" + workingDir;
    }
    try {
      return App.of(exec, user, group).withEnvironment(env).withWorkingDirectory(workingDir)
          .withMountPoints(mountPoints(c.volumes())).withPorts(ports(c))
          .withUserLabels(c.labels());
    } catch (InvalidValueException e) {
      throw new AppcException("the image config gives an invalid app: " + e.getMessage(), e);
    }
  }

  /** Volumes as mount points named {@code volume-PATH}, with {@code -N} for repeated names. */
  static List<MountPoint> mountPoints(Map<String, Object> volumes) throws AppcException {
    List<MountPoint> out = new ArrayList<>();
    if (volumes == null) {
      return out;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (String path : new TreeSet<>(volumes.keySet())) {
      String n = name("volume/" + (path.startsWith("/") ? path.substring(1) : path), "volume " + path);
      Integer count = seen.get(n);
      seen.put(n, count == null ? 1 : count + 1);
      if (count != null) {
        n = n + "-" + count;
      }
      out.add(new MountPoint(AcName.parse(n), path, false));
    }
    out.sort(Comparator.comparing(m -> m.name().value()));
    return out;
  }

  /** Exposed ports (else the old PortSpecs) as ports named {@code PORT-PROTO}, sorted by name. */
  static List<Port> ports(ContainerConfigTemplate c) throws AppcException {
    List<String> specs = new ArrayList<>();
    if (c.exposedPorts() != null) {
      specs.addAll(c.exposedPorts().keySet());
    } else if (c.portSpecs() != null) {
      specs.addAll(c.portSpecs());
    }
    List<Port> out = new ArrayList<>();
    for (String spec : specs) {
      int slash = spec.indexOf('/');
      String number = slash < 0 ? spec : spec.substring(0, slash);
      String proto = slash < 0 ? "tcp" : spec.substring(slash + 1).toLowerCase(Locale.ROOT);
      int port;
      try {
        port = Integer.parseInt(number);
      } catch (NumberFormatException e) {
        throw new AppcException("exposed port \"" + spec + "\" is not PORT[/PROTOCOL]");
      }
      try {
        out.add(Port.of(AcName.parse(name(spec, "port " + spec)), proto.isEmpty() ? "tcp" : proto, port));
      } catch (InvalidValueException e) {
        throw new AppcException("exposed port \"" + spec + "\": " + e.getMessage(), e);
      }
    }
    out.sort(Comparator.comparing(p -> p.name().value()));
    return out;
  }

  /** Go's {@code SanitizeACIdentifier}. */
  static AcIdentifier identifier(String s) throws AppcException {
    String v = s.toLowerCase(Locale.ROOT);
    v = INVALID_IDENTIFIER_CHARS.matcher(v).replaceAll("_");
    v = INVALID_IDENTIFIER_EDGES.matcher(v).replaceAll("");
    if (v.isEmpty()) {
      throw new AppcException("image name \"" + s + "\" has no character an AC Identifier allows");
    }
    return AcIdentifier.parse(v);
  }

  /** Go's {@code SanitizeACName}. */
  static String name(String s, String what) throws AppcException {
    String v = s.toLowerCase(Locale.ROOT);
    v = INVALID_NAME_CHARS.matcher(v).replaceAll("-");
    v = INVALID_NAME_EDGES.matcher(v).replaceAll("");
    if (v.isEmpty()) {
      throw new AppcException(what + " gives no AC Name (no letter or digit)");
    }
    return v;
  }

  private static Annotations with(Annotations a, String name, String value) {
    if (value == null || value.isEmpty() || (name.equals("created") && value.equals(EPOCH))) {
      return a;
    }
    return a.with(AcIdentifier.parse(name), value);
  }
}
