package org.appctools.schema;

import org.appctools.AppcException;

/** A manifest that cannot be read or is not valid. The message names the field and, when known, the JSON position. */
public final class SchemaException extends AppcException {
  public SchemaException(String message) {
    super(message);
  }

  public SchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
