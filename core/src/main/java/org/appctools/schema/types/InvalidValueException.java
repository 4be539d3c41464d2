package org.appctools.schema.types;

/**
 * Thrown when a spec value type would be built from an invalid value. Unchecked because record
 * canonical constructors cannot declare checked exceptions; the manifest readers in
 * {@code org.appctools.schema} turn it into a checked {@code SchemaException}. The message states
 * the type, the value and the rule it breaks.
 */
public class InvalidValueException extends RuntimeException {
  public InvalidValueException(String message) {
    super(message);
  }

  static InvalidValueException of(String type, String value, String rule) {
    return new InvalidValueException("invalid " + type + " \"" + value + "\": " + rule);
  }
}
