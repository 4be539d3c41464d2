package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A port an app listens on: {@code port} to {@code port + count - 1}, all within 1..65535. A
 * {@code count} of 0 (also what a missing count reads as) becomes 1, as in the Go reference.
 */
@JsonPropertyOrder({"name", "protocol", "port", "count", "socketActivated"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Port(AcName name, String protocol, int port, int count, boolean socketActivated) {
  public Port {
    if (name == null) {
      throw new InvalidValueException("invalid port: name is required");
    }
    if (protocol == null || protocol.isEmpty()) {
      throw new InvalidValueException("invalid port \"" + name + "\": protocol is required");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidValueException("invalid port \"" + name + "\": port " + port + " must be in 1..65535");
    }
    if (count < 0) {
      throw new InvalidValueException("invalid port \"" + name + "\": count " + count + " must be at least 1");
    }
    if (count == 0) {
      count = 1;
    }
    if ((long) port + count - 1 > 65535) {
      throw new InvalidValueException("invalid port \"" + name + "\": range " + port + ".." + ((long) port + count - 1)
          + " must end at or below 65535");
    }
  }

  public static Port of(AcName name, String protocol, int port) {
    return new Port(name, protocol, port, 1, false);
  }
}
