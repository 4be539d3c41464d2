package org.appctools.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.Annotation;
import org.appctools.schema.types.Annotations;
import org.appctools.schema.types.App;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.EnvironmentVariables;
import org.appctools.schema.types.EventHandler;
import org.appctools.schema.types.ExposedPort;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.IsolatorValue;
import org.appctools.schema.types.Isolators;
import org.appctools.schema.types.JsonFields;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Port;
import org.appctools.schema.types.SemVer;
import org.appctools.schema.types.Volume;

/**
 * What {@code actool validate} reports for a manifest: every error, not only the first, and
 * warnings where the document loads but is doubtful (unknown isolators and fields, spec rules the
 * Go reference does not enforce, versions other than ours). It walks the JSON tree field by field
 * and validates each value with the same types {@link ImageManifest#parse} uses; when no field
 * fails it parses the whole manifest too, so {@link Findings#ok()} holds exactly when
 * {@code parse} succeeds.
 */
public final class ManifestCheck {
  private static final Set<String> IMAGE_FIELDS =
      Set.of("ackind", "acversion", "name", "labels", "app", "annotations", "dependencies", "pathwhitelist");
  private static final Set<String> POD_FIELDS = Set.of("acversion", "ackind", "apps", "volumes", "isolators",
      "annotations", "ports", "userannotations", "userlabels");

  /** The outcome: the kind found (null when unknown), errors, and warnings. */
  public record Findings(String kind, List<String> errors, List<String> warnings) {
    public Findings {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }

  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private ManifestCheck() {
  }

  /** Checks an image or pod manifest, dispatching on {@code acKind}. */
  public static Findings check(byte[] json) {
    ManifestCheck c = new ManifestCheck();
    JsonNode root = c.readRoot(json);
    if (root == null) {
      return c.findings(null);
    }
    JsonNode kind = field(root, "acKind");
    if (kind == null || kind.isNull()) {
      c.errors.add("acKind: is required");
      return c.findings(null);
    }
    String k = kind.asText();
    if (k.equals("ImageManifest")) {
      c.image(root, json);
      return c.findings(k);
    }
    if (k.equals("PodManifest")) {
      c.pod(root, json);
      return c.findings(k);
    }
    c.errors.add("acKind: invalid AC Kind \"" + k + "\": must be ImageManifest or PodManifest");
    return c.findings(null);
  }

  public static Findings checkImageManifest(byte[] json) {
    ManifestCheck c = new ManifestCheck();
    JsonNode root = c.readRoot(json);
    if (root != null) {
      c.image(root, json);
    }
    return c.findings("ImageManifest");
  }

  public static Findings checkPodManifest(byte[] json) {
    ManifestCheck c = new ManifestCheck();
    JsonNode root = c.readRoot(json);
    if (root != null) {
      c.pod(root, json);
    }
    return c.findings("PodManifest");
  }

  private Findings findings(String kind) {
    return new Findings(kind, errors, warnings);
  }

  private JsonNode readRoot(byte[] json) {
    try {
      JsonNode root = ManifestJson.mapper().readTree(json);
      if (root == null || !root.isObject()) {
        errors.add("the manifest must be a JSON object");
        return null;
      }
      return root;
    } catch (JsonProcessingException e) {
      errors.add(ManifestJson.describe(e) + ManifestJson.position(e.getLocation()));
    } catch (IOException e) {
      errors.add("unreadable: " + e.getMessage());
    }
    return null;
  }

  private void image(JsonNode root, byte[] json) {
    unknownFields(root, IMAGE_FIELDS, "");
    kind(root, "ImageManifest");
    version(root);
    AcIdentifier name = required(root, "name", "name", AcIdentifier.class);
    if (name != null && !name.isStrict()) {
      warnings.add("name: \"" + name + "\" has consecutive separators; the spec regex rejects them");
    }
    labels(field(root, "labels"), "labels");
    JsonNode app = field(root, "app");
    if (app != null && !app.isNull()) {
      app(app, "app");
    }
    annotations(field(root, "annotations"), "annotations", false);
    List<Dependency> deps = list(field(root, "dependencies"), "dependencies", Dependency.class);
    for (int i = 0; i < deps.size(); i++) {
      Dependency d = deps.get(i);
      if (d != null && d.imageID() != null && !d.imageID().isFull()) {
        warnings.add("dependencies[" + i + "].imageID: \"" + d.imageID() + "\" is not a full 128-digit SHA-512");
      }
    }
    List<String> whitelist = list(field(root, "pathWhitelist"), "pathWhitelist", String.class);
    for (int i = 0; i < whitelist.size(); i++) {
      if (whitelist.get(i) != null && !whitelist.get(i).startsWith("/")) {
        warnings.add("pathWhitelist[" + i + "]: \"" + whitelist.get(i) + "\" should be an absolute path");
      }
    }
    if (errors.isEmpty()) {
      whole(() -> ImageManifest.parse(json));
    }
  }

  private void pod(JsonNode root, byte[] json) {
    unknownFields(root, POD_FIELDS, "");
    kind(root, "PodManifest");
    version(root);
    JsonNode apps = field(root, "apps");
    if (apps == null || apps.isNull()) {
      warnings.add("apps: missing, the pod has no apps");
    } else if (!apps.isArray()) {
      errors.add("apps: must be a list");
    } else {
      for (int i = 0; i < apps.size(); i++) {
        runtimeApp(apps.get(i), "apps[" + i + "]");
      }
    }
    list(field(root, "volumes"), "volumes", Volume.class);
    isolators(field(root, "isolators"), "isolators");
    annotations(field(root, "annotations"), "annotations", false);
    list(field(root, "ports"), "ports", ExposedPort.class);
    value(field(root, "userAnnotations"), "userAnnotations", Map.class);
    value(field(root, "userLabels"), "userLabels", Map.class);
    if (errors.isEmpty()) {
      whole(() -> PodManifest.parse(json));
    }
  }

  private void runtimeApp(JsonNode node, String path) {
    if (!node.isObject()) {
      errors.add(path + ": must be an object");
      return;
    }
    required(node, "name", path + ".name", AcName.class);
    JsonNode image = field(node, "image");
    if (image == null || image.isNull()) {
      errors.add(path + ".image: is required");
    } else {
      value(image, path + ".image", RuntimeImage.class);
    }
    JsonNode app = field(node, "app");
    if (app != null && !app.isNull()) {
      app(app, path + ".app");
    }
    list(field(node, "mounts"), path + ".mounts", Mount.class);
    annotations(field(node, "annotations"), path + ".annotations", true);
  }

  private void app(JsonNode node, String path) {
    if (!node.isObject()) {
      errors.add(path + ": must be an object");
      return;
    }
    int before = errors.size();
    list(field(node, "exec"), path + ".exec", String.class);
    requiredText(node, "user", path);
    requiredText(node, "group", path);
    list(field(node, "supplementaryGIDs"), path + ".supplementaryGIDs", Long.class);
    list(field(node, "eventHandlers"), path + ".eventHandlers", EventHandler.class);
    String wd = value(field(node, "workingDirectory"), path + ".workingDirectory", String.class);
    if (wd != null && !wd.isEmpty() && !wd.startsWith("/")) {
      errors.add(path + ".workingDirectory: \"" + wd + "\" must be an absolute path");
    }
    List<EnvironmentVariable> env = list(field(node, "environment"), path + ".environment", EnvironmentVariable.class);
    if (!env.contains(null)) {
      check(path + ".environment", () -> EnvironmentVariables.of(env));
    }
    isolators(field(node, "isolators"), path + ".isolators");
    List<MountPoint> mounts = list(field(node, "mountPoints"), path + ".mountPoints", MountPoint.class);
    for (int i = 0; i < mounts.size(); i++) {
      if (mounts.get(i) != null && !mounts.get(i).path().startsWith("/")) {
        warnings.add(path + ".mountPoints[" + i + "].path: \"" + mounts.get(i).path() + "\" should be absolute");
      }
    }
    list(field(node, "ports"), path + ".ports", Port.class);
    value(field(node, "userAnnotations"), path + ".userAnnotations", Map.class);
    value(field(node, "userLabels"), path + ".userLabels", Map.class);
    if (errors.size() == before) {
      value(node, path, App.class);
    }
  }

  private void isolators(JsonNode node, String path) {
    List<Isolator> list = list(node, path, Isolator.class);
    boolean retain = false;
    boolean remove = false;
    for (int i = 0; i < list.size(); i++) {
      Isolator iso = list.get(i);
      if (iso == null) {
        continue;
      }
      String where = path + "[" + i + "]";
      if (!iso.isKnown()) {
        warnings.add(where + ": unknown isolator \"" + iso.name() + "\", an executor may ignore it");
      }
      if (iso.value() instanceof IsolatorValue.CapabilitiesRetainSet s) {
        retain = true;
        nonCanonicalCaps(where, s.set());
      }
      if (iso.value() instanceof IsolatorValue.CapabilitiesRemoveSet s) {
        remove = true;
        nonCanonicalCaps(where, s.set());
      }
    }
    if (retain && remove) {
      warnings.add(path + ": " + Isolators.CAPABILITIES_RETAIN_SET + " and " + Isolators.CAPABILITIES_REMOVE_SET
          + " must not be combined (the spec forbids it; the Go reference lets it pass)");
    }
  }

  private void nonCanonicalCaps(String where, List<String> caps) {
    for (String c : caps) {
      if (!Isolators.isCanonicalCapability(c)) {
        warnings.add(where + ": capability \"" + c + "\" is not in the canonical form CAP_XXX");
      }
    }
  }

  private void labels(JsonNode node, String path) {
    List<Label> list = list(node, path, Label.class);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) != null && !list.get(i).name().isStrict()) {
        warnings.add(path + "[" + i + "].name: \"" + list.get(i).name() + "\" has consecutive separators");
      }
    }
    if (!list.contains(null)) {
      check(path, () -> Labels.of(list));
    }
  }

  private void annotations(JsonNode node, String path, boolean podApp) {
    List<Annotation> list = list(node, path, Annotation.class);
    for (int i = 0; i < list.size(); i++) {
      Annotation a = list.get(i);
      if (a != null && podApp && !isAcName(a.name().value())) {
        warnings.add(path + "[" + i + "].name: \"" + a.name() + "\" is not an AC Name, as the spec asks for pod app annotations");
      }
    }
    if (!list.contains(null)) {
      check(path, () -> Annotations.of(list));
    }
  }

  private static boolean isAcName(String s) {
    try {
      return AcName.parse(s).isStrict();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void kind(JsonNode root, String expected) {
    JsonNode k = field(root, "acKind");
    if (k == null || k.isNull()) {
      errors.add("acKind: is required");
    } else if (!k.isTextual() || !k.textValue().equals(expected)) {
      errors.add("acKind: must be " + expected + ", got " + k);
    }
  }

  private void version(JsonNode root) {
    SemVer v = required(root, "acVersion", "acVersion", SemVer.class);
    if (v == null) {
      return;
    }
    if (v.major() < SemVer.CURRENT.major()) {
      warnings.add("acVersion: " + v + " has an older major version than " + SemVer.CURRENT
          + ", the spec version this tool implements");
    } else if (v.compareTo(SemVer.CURRENT) > 0) {
      warnings.add("acVersion: " + v + " is newer than " + SemVer.CURRENT + ", the spec version this tool implements");
    }
  }

  private void unknownFields(JsonNode root, Set<String> known, String path) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f.toLowerCase(java.util.Locale.ROOT))) {
        warnings.add(path + f + ": unknown field, ignored");
      }
    }
  }

  private void requiredText(JsonNode node, String name, String path) {
    JsonNode f = field(node, name);
    if (f == null || f.isNull() || (f.isTextual() && f.textValue().isEmpty())) {
      errors.add(path + "." + name + ": is required");
    } else if (!f.isTextual()) {
      errors.add(path + "." + name + ": must be a string");
    }
  }

  private <T> T required(JsonNode node, String name, String path, Class<T> type) {
    JsonNode f = field(node, name);
    if (f == null || f.isNull()) {
      errors.add(path + ": is required");
      return null;
    }
    return value(f, path, type);
  }

  /** Converts one value, recording a failure as an error; null when absent or invalid. */
  private <T> T value(JsonNode node, String path, Class<T> type) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return ManifestJson.mapper().treeToValue(node, type);
    } catch (JsonProcessingException e) {
      String sub = e instanceof JsonMappingException m ? ManifestJson.path(m) : "";
      String full = path + (sub.isEmpty() || sub.startsWith("[") ? sub : "." + sub);
      errors.add(full + ": " + ManifestJson.message(e));
      return null;
    } catch (RuntimeException e) {
      errors.add(path + ": " + e.getMessage());
      return null;
    }
  }

  /** Converts each element of a list; invalid elements are recorded and come back as null. */
  private <T> List<T> list(JsonNode node, String path, Class<T> type) {
    List<T> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      errors.add(path + ": must be a list");
      out.add(null);
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode e = node.get(i);
      if (e.isNull()) {
        errors.add(path + "[" + i + "]: must not be null");
        out.add(null);
      } else {
        out.add(value(e, path + "[" + i + "]", type));
      }
    }
    return out;
  }

  private void check(String path, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      errors.add(path + ": " + e.getMessage());
    }
  }

  private interface Parse {
    void run() throws SchemaException;
  }

  private void whole(Parse p) {
    try {
      p.run();
    } catch (SchemaException e) {
      errors.add(e.getMessage());
    }
  }

  private static JsonNode field(JsonNode object, String name) {
    return JsonFields.get(object, name);
  }
}
