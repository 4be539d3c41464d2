package org.appctools.docker.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The one configured reader of Docker and OCI JSON. */
public final class DockerJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
      .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true)
      .build();

  /**
   * The writer of the JSON this project publishes (image configs, manifests, indexes): fields in
   * record order, map keys sorted, null and empty values left out (map values kept, so an exposed
   * port is {@code "80/tcp":{}}), compact.
   */
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY,
          JsonInclude.Include.ALWAYS))
      .build();

  private DockerJson() {}

  /**
   * Reads {@code json} as a {@code type}; a failure is an {@link IOException} whose message says
   * what {@code what} is and where the JSON went wrong.
   */
  public static <T> T read(byte[] json, Class<T> type, String what) throws IOException {
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new IOException(what + " is null");
      }
      return value;
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      if (e.getLocation() != null) {
        m += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      }
      throw new IOException(what + " is not valid JSON: " + m, e);
    }
  }

  /** As {@link #read(byte[], Class, String)}, for generic types (lists and maps). */
  public static <T> T read(byte[] json, TypeReference<T> type, String what) throws IOException {
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new IOException(what + " is null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new IOException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The canonical UTF-8 bytes of a template: the same value always gives the same bytes, so
   * their digest is stable.
   */
  public static byte[] canonical(Object value) {
    try {
      return CANONICAL.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value, e);
    }
  }

  /** Compact JSON of a template (for annotations that carry JSON arrays). */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value, e);
    }
  }
}
