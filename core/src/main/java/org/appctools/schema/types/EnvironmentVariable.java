package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.regex.Pattern;

/**
 * One environment variable. Names follow the Go reference: {@code ^[A-Za-z_][A-Za-z_0-9.-]*$}.
 * Values are literal.
 */
@JsonPropertyOrder({"name", "value"})
public record EnvironmentVariable(String name, String value) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z_0-9.-]*");

  public EnvironmentVariable {
    if (name == null || !NAME.matcher(name).matches()) {
      throw InvalidValueException.of("environment variable name", String.valueOf(name),
          "must be letters, digits, _ . and -, not starting with a digit, . or -");
    }
    value = value == null ? "" : value;
  }
}
