package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One annotation. The well-known ones are checked: {@code created} is an RFC 3339 date-time,
 * {@code homepage} and {@code documentation} are http or https URLs.
 */
@JsonPropertyOrder({"name", "value"})
public record Annotation(AcIdentifier name, String value) {
  public Annotation {
    if (name == null) {
      throw new InvalidValueException("invalid annotation: name is required");
    }
    value = value == null ? "" : value;
    switch (name.value()) {
      case "created" -> {
        if (!isRfc3339(value)) {
          throw new InvalidValueException("invalid annotation created \"" + value
              + "\": must be an RFC 3339 date-time such as 2016-01-02T15:04:05Z");
        }
      }
      case "homepage", "documentation" -> {
        if (!isHttpUrl(value)) {
          throw new InvalidValueException("invalid annotation " + name + " \"" + value
              + "\": must be an http or https URL");
        }
      }
      default -> { }
    }
  }

  static boolean isRfc3339(String value) {
    if (value.length() < 20 || value.charAt(10) != 'T') {
      return false;
    }
    try {
      OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static boolean isHttpUrl(String value) {
    try {
      URI u = new URI(value);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
