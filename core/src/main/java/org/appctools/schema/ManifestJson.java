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
 * The one configured Jackson mapper for appc manifests. Reading is lenient like Go's
 * encoding/json: property names match case-insensitively ({@code supplementaryGids}, {@code ACKIND})
 * and unknown fields are ignored. Writing is canonical: the field order of the Go structs, empty
 * optional fields omitted as {@code omitempty} does, map keys sorted, compact UTF-8 or indented
 * with four spaces like {@code json.MarshalIndent(m, "", "    ")}.
 */
public final class ManifestJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

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
   * Does the one-time work of the first manifest read and write (Jackson's set-up, the binders of
   * the manifest records) now, e.g. on a background thread while a command line is being parsed.
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

  /** The shared mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Reads {@code json} as {@code type}, turning every failure into a message with field and position. */
  static <T> T read(byte[] json, Class<T> type, String what) throws SchemaException {
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new SchemaException("reading " + what + ": the document is empty or null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new SchemaException("reading " + what + ": " + describe(e) + position(e.getLocation()), e);
    } catch (IOException e) {
      throw new SchemaException("reading " + what + ": " + e.getMessage(), e);
    }
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  static String writePretty(Object value) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
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
