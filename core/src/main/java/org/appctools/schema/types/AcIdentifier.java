package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * An AC Identifier: image names, label names, annotation names, isolator names.
 *
 * <p>The rule is the Go reference's (lowercase letters, digits and the separators {@code -._~/},
 * first and last character a letter or digit), which also admits consecutive separators such as
 * {@code example.com/~user/app}. The spec's stricter regex is available as {@link #isStrict()};
 * {@code ManifestCheck} warns on identifiers that only pass the looser rule.
 */
public record AcIdentifier(String value) {
  static final String RULE =
      "must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit";
  private static final Pattern GO_RULE = Pattern.compile("[a-z0-9]([a-z0-9._~/-]*[a-z0-9])?");
  private static final Pattern SPEC_RULE = Pattern.compile("[a-z0-9]+([-._~/][a-z0-9]+)*");

  public AcIdentifier {
    if (value == null) {
      throw new InvalidValueException("invalid AC Identifier: must not be null");
    }
    if (value.isEmpty()) {
      throw InvalidValueException.of("AC Identifier", value, "must not be empty");
    }
    if (!GO_RULE.matcher(value).matches()) {
      throw InvalidValueException.of("AC Identifier", value, RULE);
    }
  }

  @JsonCreator
  public static AcIdentifier parse(String value) {
    return new AcIdentifier(value);
  }

  /** Whether the value also matches the spec's regex {@code ^[a-z0-9]+([-._~/][a-z0-9]+)*$}. */
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
    return o instanceof AcIdentifier other && value.equals(other.value);
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
