package org.appctools.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.appctools.schema.types.InvalidValueException;

/**
 * JSON of appc manifests: reading and writing through {@link ManifestCodec}, and the one
 * configured {@link ObjectMapper} for the schema's values elsewhere. Reading is lenient like Go's
 * encoding/json: property names match case-insensitively ({@code supplementaryGids}, {@code ACKIND})
 * and unknown fields are ignored. Writing is canonical: the field order of the Go structs, empty
 * optional fields omitted as {@code omitempty} does, map keys sorted, compact UTF-8 or indented
 * with four spaces like {@code json.MarshalIndent(m, "", "    ")}.
 */
public final class ManifestJson {
  /** Made on first use only: manifests themselves are read and written by {@link ManifestCodec}. */
  private static final class Mapper {
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .build();
  }

  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEmptySeparator("")
          .withArrayEmptySeparator(""));

  static {
    DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
    PRETTY.indentObjectsWith(indenter);
    PRETTY.indentArraysWith(indenter);
  }

  private ManifestJson() {
  }

  /**
   * Does the one-time work of the first manifest read and write (loading and linking the parser,
   * the generator and the schema's classes) now, e.g. on a background thread while a command line
   * is being parsed.
   */
  public static void warmUp() {
    try {
      ImageManifest.parse(("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"warm/up\","
          + "\"labels\":[{\"name\":\"os\",\"value\":\"linux\"}],\"app\":{\"exec\":[\"/x\"],\"user\":\"0\","
          + "\"group\":\"0\"},\"annotations\":[{\"name\":\"a\",\"value\":\"b\"}]}").getBytes(StandardCharsets.UTF_8))
          .toJson();
    } catch (SchemaException e) {
      throw new IllegalStateException("the built-in warm-up manifest is invalid", e);
    }
  }

  /**
   * A mapper configured the same way, for the schema's values inside other JSON documents (store
   * records, metadata service answers) and for the checks of {@code validate}. Do not reconfigure it.
   */
  public static ObjectMapper mapper() {
    return Mapper.MAPPER;
  }

  /** Reads an image manifest, turning every failure into a message with field and position. */
  static ImageManifest readImageManifest(byte[] json) throws SchemaException {
    return read(json, "image manifest", ManifestCodec::readImageManifest);
  }

  /** Reads a pod manifest, turning every failure into a message with field and position. */
  static PodManifest readPodManifest(byte[] json) throws SchemaException {
    return read(json, "pod manifest", ManifestCodec::readPodManifest);
  }

  private interface Binder<T> {
    T bind(byte[] json) throws IOException, ManifestCodec.BindException;
  }

  private static <T> T read(byte[] json, String what, Binder<T> binder) throws SchemaException {
    try {
      T value = binder.bind(json);
      if (value == null) {
        throw new SchemaException("reading " + what + ": the document is empty or null");
      }
      return value;
    } catch (ManifestCodec.BindException e) {
      String where = e.path().isEmpty() ? "" : e.path() + ": ";
      throw new SchemaException("reading " + what + ": " + where + e.getMessage() + position(e.location()), e);
    } catch (JsonProcessingException e) {
      throw new SchemaException("reading " + what + ": " + describe(e) + position(e.getLocation()), e);
    } catch (IOException e) {
      throw new SchemaException("reading " + what + ": " + e.getMessage(), e);
    }
  }

  /** Canonical compact UTF-8 JSON of an image or pod manifest. */
  static byte[] write(Object manifest) {
    return ManifestCodec.write(manifest);
  }

  /** Canonical JSON of an image or pod manifest indented with four spaces. */
  static String writePretty(Object manifest) {
    return ManifestCodec.writePretty(manifest, prettyPrinter());
  }

  /** A fresh printer of Go's {@code json.MarshalIndent(v, "", "    ")} layout. */
  static DefaultPrettyPrinter prettyPrinter() {
    return PRETTY.createInstance();
  }

  static String utf8(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }

  /** {@code path: message} for a mapping failure, {@code invalid JSON: message} for a syntax error. */
  static String describe(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return message(e);
    }
    String path = path(m);
    return path.isEmpty() ? message(e) : path + ": " + message(e);
  }

  /** The rule that failed: the {@code InvalidValueException} message when there is one. */
  static String message(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidValueException) {
        return t.getMessage();
      }
    }
    if (!(e instanceof JsonMappingException)) {
      return "invalid JSON: " + e.getOriginalMessage();
    }
    Throwable cause = e.getCause();
    if (cause instanceof NullPointerException) {
      return "lists must not contain null";
    }
    return e.getOriginalMessage();
  }

  static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  static String position(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
