package org.appctools.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.appctools.schema.types.AcKind;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.Annotations;
import org.appctools.schema.types.ExposedPort;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.SemVer;
import org.appctools.schema.types.Volume;

/**
 * A pod manifest (spec/pods.md): unique app names and unique volume names, like the Go reference.
 * Lists and maps are never null. JSON field order follows the Go struct {@code schema.PodManifest},
 * whose list fields have no {@code omitempty}: they are always written, as {@code []} when empty.
 */
@JsonPropertyOrder({"acVersion", "acKind", "apps", "volumes", "isolators", "annotations", "ports", "userAnnotations",
    "userLabels"})
public record PodManifest(
    SemVer acVersion,
    AcKind acKind,
    List<RuntimeApp> apps,
    List<Volume> volumes,
    List<Isolator> isolators,
    Annotations annotations,
    List<ExposedPort> ports,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> userAnnotations,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> userLabels) {

  public PodManifest {
    if (acVersion == null) {
      throw new InvalidValueException("invalid pod manifest: acVersion is required");
    }
    if (acKind == null) {
      throw new InvalidValueException("invalid pod manifest: acKind is required");
    }
    if (acKind != AcKind.POD_MANIFEST) {
      throw new InvalidValueException("invalid pod manifest: acKind must be PodManifest, got " + acKind);
    }
    apps = apps == null ? List.of() : List.copyOf(apps);
    Set<AcName> appNames = new HashSet<>();
    for (RuntimeApp a : apps) {
      if (!appNames.add(a.name())) {
        throw new InvalidValueException("invalid pod manifest: duplicate app name \"" + a.name() + "\"");
      }
    }
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    Set<AcName> volumeNames = new HashSet<>();
    for (Volume v : volumes) {
      if (!volumeNames.add(v.name())) {
        throw new InvalidValueException("invalid pod manifest: duplicate volume name \"" + v.name() + "\"");
      }
    }
    isolators = isolators == null ? List.of() : List.copyOf(isolators);
    annotations = annotations == null ? Annotations.of() : annotations;
    ports = ports == null ? List.of() : List.copyOf(ports);
    userAnnotations = sorted(userAnnotations);
    userLabels = sorted(userLabels);
  }

  private static Map<String, String> sorted(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
  }

  /** A pod manifest with no apps, the current spec version and nothing else. */
  public static PodManifest empty() {
    return new PodManifest(SemVer.CURRENT, AcKind.POD_MANIFEST, null, null, null, null, null, null, null);
  }

  /** Reads leniently (see {@link ManifestJson}) and validates fully. */
  public static PodManifest parse(byte[] json) throws SchemaException {
    return ManifestJson.readPodManifest(json);
  }

  /** Canonical compact UTF-8 JSON; the same manifest always gives the same bytes. */
  public byte[] toJson() {
    return ManifestJson.write(this);
  }

  /** Canonical JSON indented with four spaces. */
  public String toPrettyJson() {
    return ManifestJson.writePretty(this);
  }

  public PodManifest withApps(List<RuntimeApp> a) {
    return new PodManifest(acVersion, acKind, a, volumes, isolators, annotations, ports, userAnnotations, userLabels);
  }

  public PodManifest withVolumes(List<Volume> v) {
    return new PodManifest(acVersion, acKind, apps, v, isolators, annotations, ports, userAnnotations, userLabels);
  }
}
