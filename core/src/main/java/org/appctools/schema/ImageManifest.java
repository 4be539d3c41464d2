package org.appctools.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.AcKind;
import org.appctools.schema.types.Annotations;
import org.appctools.schema.types.App;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.SemVer;

/**
 * An image manifest (spec/aci.md). Cannot be built invalid: kind, version and name are required,
 * labels and annotations reject duplicates, and every nested value validates itself. {@code app} is
 * null for a pure filesystem image; lists are never null. JSON field order follows the Go struct
 * {@code schema.ImageManifest}.
 */
@JsonPropertyOrder({"acKind", "acVersion", "name", "labels", "app", "annotations", "dependencies", "pathWhitelist"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageManifest(
    @JsonInclude(JsonInclude.Include.ALWAYS) AcKind acKind,
    @JsonInclude(JsonInclude.Include.ALWAYS) SemVer acVersion,
    @JsonInclude(JsonInclude.Include.ALWAYS) AcIdentifier name,
    Labels labels,
    @JsonInclude(JsonInclude.Include.NON_NULL) App app,
    List<Dependency> dependencies,
    List<String> pathWhitelist,
    Annotations annotations) {

  public ImageManifest {
    if (acKind == null) {
      throw new InvalidValueException("invalid image manifest: acKind is required");
    }
    if (acKind != AcKind.IMAGE_MANIFEST) {
      throw new InvalidValueException("invalid image manifest: acKind must be ImageManifest, got " + acKind);
    }
    if (acVersion == null) {
      throw new InvalidValueException("invalid image manifest: acVersion is required");
    }
    if (name == null) {
      throw new InvalidValueException("invalid image manifest: name is required");
    }
    labels = labels == null ? Labels.of() : labels;
    dependencies = noNulls(dependencies, "dependencies");
    pathWhitelist = noNulls(pathWhitelist, "pathWhitelist");
    annotations = annotations == null ? Annotations.of() : annotations;
  }

  private static <T> List<T> noNulls(List<T> list, String field) {
    if (list == null) {
      return List.of();
    }
    for (T t : list) {
      if (t == null) {
        throw new InvalidValueException("invalid image manifest: " + field + " must not contain null");
      }
    }
    return List.copyOf(list);
  }

  /** A manifest with only kind, the current spec version and {@code name}. */
  public static ImageManifest empty(AcIdentifier name) {
    return new ImageManifest(AcKind.IMAGE_MANIFEST, SemVer.CURRENT, name, null, null, null, null, null);
  }

  /** Reads leniently (see {@link ManifestJson}) and validates fully. */
  public static ImageManifest parse(byte[] json) throws SchemaException {
    return ManifestJson.readImageManifest(json);
  }

  /** Canonical compact UTF-8 JSON; the same manifest always gives the same bytes. */
  public byte[] toJson() {
    return ManifestJson.write(this);
  }

  /** Canonical JSON indented with four spaces. */
  public String toPrettyJson() {
    return ManifestJson.writePretty(this);
  }

  public ImageManifest withName(AcIdentifier n) {
    return new ImageManifest(acKind, acVersion, n, labels, app, dependencies, pathWhitelist, annotations);
  }

  public ImageManifest withLabels(Labels l) {
    return new ImageManifest(acKind, acVersion, name, l, app, dependencies, pathWhitelist, annotations);
  }

  public ImageManifest withApp(App a) {
    return new ImageManifest(acKind, acVersion, name, labels, a, dependencies, pathWhitelist, annotations);
  }

  public ImageManifest withAnnotations(Annotations a) {
    return new ImageManifest(acKind, acVersion, name, labels, app, dependencies, pathWhitelist, a);
  }

  public ImageManifest withDependencies(List<Dependency> d) {
    return new ImageManifest(acKind, acVersion, name, labels, app, d, pathWhitelist, annotations);
  }

  public ImageManifest withPathWhitelist(List<String> p) {
    return new ImageManifest(acKind, acVersion, name, labels, app, dependencies, p, annotations);
  }
}
