package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * An AC Name: app names in pods, mount point, port and volume names. Like {@link AcIdentifier}
 * the rule is the Go reference's (lowercase letters, digits and {@code -}, first and last a letter
 * or digit, so {@code a--b} passes); {@link #isStrict()} applies the spec regex.
 */
public record AcName(String value) {
  static final String RULE = "must be lowercase letters, digits and -, starting and ending with a letter or digit";
  private static final Pattern GO_RULE = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern SPEC_RULE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public AcName {
    if (value == null) {
      throw new InvalidValueException("invalid AC Name: must not be null");
    }
    if (value.isEmpty()) {
      throw InvalidValueException.of("AC Name", value, "must not be empty");
    }
    if (!GO_RULE.matcher(value).matches()) {
      throw InvalidValueException.of("AC Name", value, RULE);
    }
  }

  @JsonCreator
  public static AcName parse(String value) {
    return new AcName(value);
  }

  /** Whether the value also matches the spec's regex {@code ^[a-z0-9]+([-][a-z0-9]+)*$}. */
  public boolean isStrict() {
    return SPEC_RULE.matcher(value).matches();
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  // Written out rather than generated: a record's generated equals and hashCode are bootstrapped
  // through method handles on first use, which costs a short-lived command milliseconds.
  @Override
  public boolean equals(Object o) {
    return o instanceof AcName other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
