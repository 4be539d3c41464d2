package org.appctools.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.appctools.json.JsonTrees;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.AcKind;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.Annotation;
import org.appctools.schema.types.Annotations;
import org.appctools.schema.types.App;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.EnvironmentVariables;
import org.appctools.schema.types.EventHandler;
import org.appctools.schema.types.ExposedPort;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Port;
import org.appctools.schema.types.SemVer;
import org.appctools.schema.types.Volume;

/**
 * Reads and writes image and pod manifests with Jackson's streaming parser and generator alone,
 * field by field. It gives the same results as binding the annotated records with an
 * {@code ObjectMapper} (see {@link ManifestJson}), which {@code ManifestCodecTest} checks, at a
 * fraction of the first-use cost: no introspection of the records, so a short-lived command pays a
 * few milliseconds for its first manifest instead of a few hundred.
 *
 * <p>Reading is lenient like Go's encoding/json: field names match case-insensitively, unknown
 * fields are skipped, scalars are accepted where a string is expected. A failure names the path of
 * the value ({@code app.ports[0]}) and where its token starts.
 */
final class ManifestCodec {
  private static final JsonFactory JSON = JsonTrees.factory();

  private ManifestCodec() {
  }

  // ---------------------------------------------------------------- reading

  /** A failure to bind a value, with the path to it; the location is where its token starts. */
  static final class BindException extends Exception {
    private final String path;
    private final JsonLocation location;

    BindException(String path, String message, JsonLocation location) {
      super(message);
      this.path = path;
      this.location = location;
    }

    String path() {
      return path;
    }

    JsonLocation location() {
      return location;
    }
  }

  /** Parses {@code json} as an image manifest. */
  static ImageManifest readImageManifest(byte[] json) throws IOException, BindException {
    try (Reader r = new Reader(json)) {
      return r.top(() -> r.imageManifest());
    }
  }

  /** Parses {@code json} as a pod manifest. */
  static PodManifest readPodManifest(byte[] json) throws IOException, BindException {
    try (Reader r = new Reader(json)) {
      return r.top(() -> r.podManifest());
    }
  }

  private interface Value<T> {
    T read() throws IOException, BindException;
  }

  private interface Fields {
    /** Reads the value of {@code key} (lower case); false when the field is not one of ours. */
    boolean field(String key) throws IOException, BindException;
  }

  private static final class Reader implements AutoCloseable {
    private final JsonParser p;
    private final Deque<Object> path = new ArrayDeque<>();

    Reader(byte[] json) throws IOException {
      p = JSON.createParser(json);
    }

    @Override
    public void close() throws IOException {
      p.close();
    }

    <T> T top(Value<T> value) throws IOException, BindException {
      JsonToken t = p.nextToken();
      if (t == null || t == JsonToken.VALUE_NULL) {
        return null;
      }
      return value.read();
    }

    // ---- errors

    BindException fail(String message) {
      StringBuilder b = new StringBuilder();
      for (Iterator<Object> it = path.descendingIterator(); it.hasNext(); ) {
        Object o = it.next();
        if (o instanceof Integer i) {
          b.append('[').append(i).append(']');
        } else {
          if (b.length() > 0) {
            b.append('.');
          }
          b.append(o);
        }
      }
      return new BindException(b.toString(), message, p.currentTokenLocation());
    }

    /** Runs a constructor or factory of the schema, turning its rule violations into a bind failure. */
    <T> T make(Value<T> maker) throws IOException, BindException {
      try {
        return maker.read();
      } catch (InvalidValueException e) {
        throw fail(e.getMessage());
      } catch (NullPointerException e) {
        throw fail("lists must not contain null");
      }
    }

    // ---- structure

    String describe(JsonToken t) {
      return switch (t) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "an array";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> t.asString();
      };
    }

    BindException expected(String what) {
      return fail("expected " + what + ", got " + describe(p.currentToken()));
    }

    /** Reads the object at the current token, handing each field to {@code fields}; null for JSON null. */
    boolean object(Fields fields) throws IOException, BindException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return false;
      }
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw expected("an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        path.push(name);
        if (!fields.field(name.toLowerCase(Locale.ROOT))) {
          p.skipChildren();
        }
        path.pop();
      }
      return true;
    }

    /** The list at the current token, null for JSON null; elements may be null (the schema rejects them). */
    <T> List<T> list(Value<T> element) throws IOException, BindException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw expected("an array");
      }
      List<T> out = new ArrayList<>();
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        path.push(i++);
        out.add(p.currentToken() == JsonToken.VALUE_NULL ? null : element.read());
        path.pop();
      }
      return out;
    }

    String string() throws IOException, BindException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (!t.isScalarValue()) {
        throw expected("a string");
      }
      return p.getText();
    }

    long integer(long min, long max) throws IOException, BindException {
      JsonToken t = p.currentToken();
      long v;
      if (t == JsonToken.VALUE_NUMBER_INT) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw fail("number " + p.getText() + " is out of range");
        }
        v = p.getLongValue();
      } else if (t == JsonToken.VALUE_STRING) {
        try {
          v = Long.parseLong(p.getText().trim());
        } catch (NumberFormatException e) {
          throw fail("\"" + p.getText() + "\" is not an integer");
        }
      } else {
        throw expected("an integer");
      }
      if (v < min || v > max) {
        throw fail("number " + v + " is out of range");
      }
      return v;
    }

    int intValue() throws IOException, BindException {
      return p.currentToken() == JsonToken.VALUE_NULL ? 0 : (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    Integer optionalInt() throws IOException, BindException {
      return p.currentToken() == JsonToken.VALUE_NULL ? null : (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    Long optionalLong() throws IOException, BindException {
      return p.currentToken() == JsonToken.VALUE_NULL ? null : integer(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    Boolean optionalBoolean() throws IOException, BindException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
        return t == JsonToken.VALUE_TRUE;
      }
      if (t == JsonToken.VALUE_STRING && (p.getText().equals("true") || p.getText().equals("false"))) {
        return Boolean.valueOf(p.getText());
      }
      throw expected("a boolean");
    }

    boolean bool() throws IOException, BindException {
      Boolean b = optionalBoolean();
      return b != null && b;
    }

    Map<String, String> stringMap() throws IOException, BindException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      Map<String, String> out = new LinkedHashMap<>();
      object(k -> {
        out.put(p.currentName(), string());
        return true;
      });
      return out;
    }

    // ---- schema values

    AcIdentifier acIdentifier() throws IOException, BindException {
      String s = string();
      return s == null ? null : make(() -> AcIdentifier.parse(s));
    }

    AcName acName() throws IOException, BindException {
      String s = string();
      return s == null ? null : make(() -> AcName.parse(s));
    }

    AcKind acKind() throws IOException, BindException {
      String s = string();
      return s == null ? null : make(() -> AcKind.parse(s));
    }

    SemVer semVer() throws IOException, BindException {
      String s = string();
      return s == null ? null : make(() -> SemVer.parse(s));
    }

    ImageId imageId() throws IOException, BindException {
      String s = string();
      return s == null ? null : make(() -> ImageId.parse(s));
    }

    Labels labels() throws IOException, BindException {
      List<Label> list = list(this::label);
      return list == null ? null : make(() -> Labels.of(list));
    }

    Label label() throws IOException, BindException {
      Object[] f = new Object[2];
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, acIdentifier());
        case "value" -> set(f, 1, string());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new Label((AcIdentifier) f[0], (String) f[1]));
    }

    Annotations annotations() throws IOException, BindException {
      List<Annotation> list = list(this::annotation);
      return list == null ? null : make(() -> Annotations.of(list));
    }

    Annotation annotation() throws IOException, BindException {
      Object[] f = new Object[2];
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, acIdentifier());
        case "value" -> set(f, 1, string());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new Annotation((AcIdentifier) f[0], (String) f[1]));
    }

    EnvironmentVariables environment() throws IOException, BindException {
      List<EnvironmentVariable> list = list(this::environmentVariable);
      return list == null ? null : make(() -> EnvironmentVariables.of(list));
    }

    EnvironmentVariable environmentVariable() throws IOException, BindException {
      Object[] f = new Object[2];
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, string());
        case "value" -> set(f, 1, string());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new EnvironmentVariable((String) f[0], (String) f[1]));
    }

    Dependency dependency() throws IOException, BindException {
      Object[] f = new Object[4];
      if (!object(k -> switch (k) {
        case "imagename" -> set(f, 0, acIdentifier());
        case "imageid" -> set(f, 1, imageId());
        case "labels" -> set(f, 2, labels());
        case "size" -> set(f, 3, optionalLong());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new Dependency((AcIdentifier) f[0], (ImageId) f[1], (Labels) f[2], (Long) f[3]));
    }

    EventHandler eventHandler() throws IOException, BindException {
      Object[] f = new Object[2];
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, string());
        case "exec" -> set(f, 1, list(this::string));
        default -> false;
      })) {
        return null;
      }
      @SuppressWarnings("unchecked")
      List<String> exec = (List<String>) f[1];
      return make(() -> new EventHandler((String) f[0], exec));
    }

    MountPoint mountPoint() throws IOException, BindException {
      Object[] f = {null, null, false};
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, acName());
        case "path" -> set(f, 1, string());
        case "readonly" -> set(f, 2, bool());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new MountPoint((AcName) f[0], (String) f[1], (Boolean) f[2]));
    }

    Port port() throws IOException, BindException {
      Object[] f = {null, null, 0, 0, false};
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, acName());
        case "protocol" -> set(f, 1, string());
        case "port" -> set(f, 2, intValue());
        case "count" -> set(f, 3, intValue());
        case "socketactivated" -> set(f, 4, bool());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new Port((AcName) f[0], (String) f[1], (Integer) f[2], (Integer) f[3], (Boolean) f[4]));
    }

    Isolator isolator() throws IOException, BindException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      JsonNode node = JsonTrees.read(p);
      return make(() -> Isolator.fromJson(node));
    }

    @SuppressWarnings("unchecked")
    App app() throws IOException, BindException {
      Object[] f = new Object[12];
      if (!object(k -> switch (k) {
        case "exec" -> set(f, 0, list(this::string));
        case "user" -> set(f, 1, string());
        case "group" -> set(f, 2, string());
        case "supplementarygids" -> set(f, 3, list(() -> integer(Long.MIN_VALUE, Long.MAX_VALUE)));
        case "eventhandlers" -> set(f, 4, list(this::eventHandler));
        case "workingdirectory" -> set(f, 5, string());
        case "environment" -> set(f, 6, environment());
        case "isolators" -> set(f, 7, list(this::isolator));
        case "mountpoints" -> set(f, 8, list(this::mountPoint));
        case "ports" -> set(f, 9, list(this::port));
        case "userannotations" -> set(f, 10, stringMap());
        case "userlabels" -> set(f, 11, stringMap());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new App((List<String>) f[0], (String) f[1], (String) f[2], (List<Long>) f[3],
          (List<EventHandler>) f[4], (String) f[5], (EnvironmentVariables) f[6], (List<Isolator>) f[7],
          (List<MountPoint>) f[8], (List<Port>) f[9], (Map<String, String>) f[10], (Map<String, String>) f[11]));
    }

    @SuppressWarnings("unchecked")
    ImageManifest imageManifest() throws IOException, BindException {
      Object[] f = new Object[8];
      if (!object(k -> switch (k) {
        case "ackind" -> set(f, 0, acKind());
        case "acversion" -> set(f, 1, semVer());
        case "name" -> set(f, 2, acIdentifier());
        case "labels" -> set(f, 3, labels());
        case "app" -> set(f, 4, app());
        case "dependencies" -> set(f, 5, list(this::dependency));
        case "pathwhitelist" -> set(f, 6, list(this::string));
        case "annotations" -> set(f, 7, annotations());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new ImageManifest((AcKind) f[0], (SemVer) f[1], (AcIdentifier) f[2], (Labels) f[3],
          (App) f[4], (List<Dependency>) f[5], (List<String>) f[6], (Annotations) f[7]));
    }

    Volume volume() throws IOException, BindException {
      Object[] f = new Object[8];
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, acName());
        case "kind" -> set(f, 1, string());
        case "source" -> set(f, 2, string());
        case "readonly" -> set(f, 3, optionalBoolean());
        case "recursive" -> set(f, 4, optionalBoolean());
        case "mode" -> set(f, 5, string());
        case "uid" -> set(f, 6, optionalInt());
        case "gid" -> set(f, 7, optionalInt());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new Volume((AcName) f[0], (String) f[1], (String) f[2], (Boolean) f[3], (Boolean) f[4],
          (String) f[5], (Integer) f[6], (Integer) f[7]));
    }

    Mount mount() throws IOException, BindException {
      Object[] f = new Object[3];
      if (!object(k -> switch (k) {
        case "volume" -> set(f, 0, acName());
        case "path" -> set(f, 1, string());
        case "appvolume" -> set(f, 2, volume());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new Mount((AcName) f[0], (String) f[1], (Volume) f[2]));
    }

    RuntimeImage runtimeImage() throws IOException, BindException {
      Object[] f = new Object[3];
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, acIdentifier());
        case "id" -> set(f, 1, imageId());
        case "labels" -> set(f, 2, labels());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new RuntimeImage((AcIdentifier) f[0], (ImageId) f[1], (Labels) f[2]));
    }

    @SuppressWarnings("unchecked")
    RuntimeApp runtimeApp() throws IOException, BindException {
      Object[] f = {null, null, null, false, null, null};
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, acName());
        case "image" -> set(f, 1, runtimeImage());
        case "app" -> set(f, 2, app());
        case "readonlyrootfs" -> set(f, 3, bool());
        case "mounts" -> set(f, 4, list(this::mount));
        case "annotations" -> set(f, 5, annotations());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new RuntimeApp((AcName) f[0], (RuntimeImage) f[1], (App) f[2], (Boolean) f[3],
          (List<Mount>) f[4], (Annotations) f[5]));
    }

    ExposedPort exposedPort() throws IOException, BindException {
      Object[] f = {null, 0, null, null};
      if (!object(k -> switch (k) {
        case "name" -> set(f, 0, acName());
        case "hostport" -> set(f, 1, intValue());
        case "hostip" -> set(f, 2, string());
        case "podport" -> set(f, 3, port());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new ExposedPort((AcName) f[0], (Integer) f[1], (String) f[2], (Port) f[3]));
    }

    @SuppressWarnings("unchecked")
    PodManifest podManifest() throws IOException, BindException {
      Object[] f = new Object[9];
      if (!object(k -> switch (k) {
        case "acversion" -> set(f, 0, semVer());
        case "ackind" -> set(f, 1, acKind());
        case "apps" -> set(f, 2, list(this::runtimeApp));
        case "volumes" -> set(f, 3, list(this::volume));
        case "isolators" -> set(f, 4, list(this::isolator));
        case "annotations" -> set(f, 5, annotations());
        case "ports" -> set(f, 6, list(this::exposedPort));
        case "userannotations" -> set(f, 7, stringMap());
        case "userlabels" -> set(f, 8, stringMap());
        default -> false;
      })) {
        return null;
      }
      return make(() -> new PodManifest((SemVer) f[0], (AcKind) f[1], (List<RuntimeApp>) f[2], (List<Volume>) f[3],
          (List<Isolator>) f[4], (Annotations) f[5], (List<ExposedPort>) f[6], (Map<String, String>) f[7],
          (Map<String, String>) f[8]));
    }

    /** Stores a field's value (the last occurrence wins, as in encoding/json) and says it was ours. */
    private static boolean set(Object[] fields, int i, Object value) {
      fields[i] = value;
      return true;
    }
  }

  // ---------------------------------------------------------------- writing

  /** Compact canonical UTF-8 JSON of an image or pod manifest. */
  static byte[] write(Object manifest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      value(g, manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Canonical JSON of an image or pod manifest, indented with {@code printer}. */
  static String writePretty(Object manifest, PrettyPrinter printer) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setPrettyPrinter(printer);
      value(g, manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void value(JsonGenerator g, Object manifest) throws IOException {
    if (manifest instanceof ImageManifest m) {
      imageManifest(g, m);
    } else if (manifest instanceof PodManifest m) {
      podManifest(g, m);
    } else {
      throw new IllegalArgumentException("not a manifest: " + manifest.getClass().getName());
    }
  }

  private static void imageManifest(JsonGenerator g, ImageManifest m) throws IOException {
    g.writeStartObject();
    g.writeStringField("acKind", m.acKind().wire());
    g.writeStringField("acVersion", m.acVersion().toString());
    g.writeStringField("name", m.name().value());
    if (!m.labels().isEmpty()) {
      g.writeFieldName("labels");
      labels(g, m.labels());
    }
    if (m.app() != null) {
      g.writeFieldName("app");
      app(g, m.app());
    }
    if (!m.annotations().isEmpty()) {
      g.writeFieldName("annotations");
      annotations(g, m.annotations());
    }
    if (!m.dependencies().isEmpty()) {
      g.writeArrayFieldStart("dependencies");
      for (Dependency d : m.dependencies()) {
        g.writeStartObject();
        g.writeStringField("imageName", d.imageName().value());
        if (d.imageID() != null) {
          g.writeStringField("imageID", d.imageID().value());
        }
        if (!d.labels().isEmpty()) {
          g.writeFieldName("labels");
          labels(g, d.labels());
        }
        if (d.size() != null) {
          g.writeNumberField("size", d.size());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!m.pathWhitelist().isEmpty()) {
      g.writeFieldName("pathWhitelist");
      strings(g, m.pathWhitelist());
    }
    g.writeEndObject();
  }

  private static void labels(JsonGenerator g, Labels labels) throws IOException {
    g.writeStartArray();
    for (Label l : labels.list()) {
      nameValue(g, l.name().value(), l.value());
    }
    g.writeEndArray();
  }

  private static void annotations(JsonGenerator g, Annotations annotations) throws IOException {
    g.writeStartArray();
    for (Annotation a : annotations.list()) {
      nameValue(g, a.name().value(), a.value());
    }
    g.writeEndArray();
  }

  private static void nameValue(JsonGenerator g, String name, String value) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeStringField("value", value);
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, List<String> list) throws IOException {
    g.writeStartArray();
    for (String s : list) {
      g.writeString(s);
    }
    g.writeEndArray();
  }

  private static void stringMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void app(JsonGenerator g, App a) throws IOException {
    g.writeStartObject();
    g.writeFieldName("exec");
    strings(g, a.exec());
    if (!a.eventHandlers().isEmpty()) {
      g.writeArrayFieldStart("eventHandlers");
      for (EventHandler h : a.eventHandlers()) {
        g.writeStartObject();
        g.writeStringField("name", h.name());
        g.writeFieldName("exec");
        strings(g, h.exec());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeStringField("user", a.user());
    g.writeStringField("group", a.group());
    if (!a.supplementaryGIDs().isEmpty()) {
      g.writeArrayFieldStart("supplementaryGIDs");
      for (long gid : a.supplementaryGIDs()) {
        g.writeNumber(gid);
      }
      g.writeEndArray();
    }
    if (a.workingDirectory() != null) {
      g.writeStringField("workingDirectory", a.workingDirectory());
    }
    if (!a.environment().isEmpty()) {
      g.writeArrayFieldStart("environment");
      for (EnvironmentVariable e : a.environment().list()) {
        nameValue(g, e.name(), e.value());
      }
      g.writeEndArray();
    }
    if (!a.mountPoints().isEmpty()) {
      g.writeArrayFieldStart("mountPoints");
      for (MountPoint m : a.mountPoints()) {
        g.writeStartObject();
        g.writeStringField("name", m.name().value());
        g.writeStringField("path", m.path());
        if (m.readOnly()) {
          g.writeBooleanField("readOnly", true);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!a.ports().isEmpty()) {
      g.writeArrayFieldStart("ports");
      for (Port p : a.ports()) {
        port(g, p);
      }
      g.writeEndArray();
    }
    if (!a.isolators().isEmpty()) {
      isolators(g, a.isolators());
    }
    if (!a.userAnnotations().isEmpty()) {
      stringMap(g, "userAnnotations", a.userAnnotations());
    }
    if (!a.userLabels().isEmpty()) {
      stringMap(g, "userLabels", a.userLabels());
    }
    g.writeEndObject();
  }

  private static void port(JsonGenerator g, Port p) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", p.name().value());
    g.writeStringField("protocol", p.protocol());
    g.writeNumberField("port", p.port());
    g.writeNumberField("count", p.count());
    g.writeBooleanField("socketActivated", p.socketActivated());
    g.writeEndObject();
  }

  private static void isolators(JsonGenerator g, List<Isolator> isolators) throws IOException {
    g.writeArrayFieldStart("isolators");
    for (Isolator i : isolators) {
      JsonTrees.write(g, i.toJson());
    }
    g.writeEndArray();
  }

  private static void podManifest(JsonGenerator g, PodManifest m) throws IOException {
    g.writeStartObject();
    g.writeStringField("acVersion", m.acVersion().toString());
    g.writeStringField("acKind", m.acKind().wire());
    g.writeArrayFieldStart("apps");
    for (RuntimeApp a : m.apps()) {
      runtimeApp(g, a);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("volumes");
    for (Volume v : m.volumes()) {
      volume(g, v);
    }
    g.writeEndArray();
    isolators(g, m.isolators());
    g.writeFieldName("annotations");
    annotations(g, m.annotations());
    g.writeArrayFieldStart("ports");
    for (ExposedPort p : m.ports()) {
      g.writeStartObject();
      g.writeStringField("name", p.name().value());
      g.writeNumberField("hostPort", p.hostPort());
      if (p.hostIP() != null) {
        g.writeStringField("hostIP", p.hostIP());
      }
      if (p.podPort() != null) {
        g.writeFieldName("podPort");
        port(g, p.podPort());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    if (!m.userAnnotations().isEmpty()) {
      stringMap(g, "userAnnotations", m.userAnnotations());
    }
    if (!m.userLabels().isEmpty()) {
      stringMap(g, "userLabels", m.userLabels());
    }
    g.writeEndObject();
  }

  private static void runtimeApp(JsonGenerator g, RuntimeApp a) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", a.name().value());
    g.writeObjectFieldStart("image");
    RuntimeImage i = a.image();
    if (i.name() != null) {
      g.writeStringField("name", i.name().value());
    }
    g.writeStringField("id", i.id().value());
    if (!i.labels().isEmpty()) {
      g.writeFieldName("labels");
      labels(g, i.labels());
    }
    g.writeEndObject();
    if (a.app() != null) {
      g.writeFieldName("app");
      app(g, a.app());
    }
    if (a.readOnlyRootFS()) {
      g.writeBooleanField("readOnlyRootFS", true);
    }
    if (!a.mounts().isEmpty()) {
      g.writeArrayFieldStart("mounts");
      for (Mount m : a.mounts()) {
        g.writeStartObject();
        g.writeStringField("volume", m.volume().value());
        g.writeStringField("path", m.path());
        if (m.appVolume() != null) {
          g.writeFieldName("appVolume");
          volume(g, m.appVolume());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!a.annotations().isEmpty()) {
      g.writeFieldName("annotations");
      annotations(g, a.annotations());
    }
    g.writeEndObject();
  }

  private static void volume(JsonGenerator g, Volume v) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", v.name().value());
    if (v.kind() != null) {
      g.writeStringField("kind", v.kind());
    }
    if (v.source() != null) {
      g.writeStringField("source", v.source());
    }
    if (v.readOnly() != null) {
      g.writeBooleanField("readOnly", v.readOnly());
    }
    if (v.recursive() != null) {
      g.writeBooleanField("recursive", v.recursive());
    }
    if (v.mode() != null) {
      g.writeStringField("mode", v.mode());
    }
    if (v.uid() != null) {
      g.writeNumberField("uid", v.uid());
    }
    if (v.gid() != null) {
      g.writeNumberField("gid", v.gid());
    }
    g.writeEndObject();
  }
}
