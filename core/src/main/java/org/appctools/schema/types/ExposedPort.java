package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.regex.Pattern;

/**
 * A pod-level port forwarding: the app port {@code name} is exposed on {@code hostPort}, optionally
 * bound to {@code hostIP} (IPv4 dotted quad or IPv6), with an optional {@code podPort} overriding
 * the image's port definition.
 */
@JsonPropertyOrder({"name", "hostPort", "hostIP", "podPort"})
public record ExposedPort(
    AcName name,
    @JsonInclude(JsonInclude.Include.ALWAYS) int hostPort,
    @JsonInclude(JsonInclude.Include.NON_NULL) String hostIP,
    @JsonInclude(JsonInclude.Include.NON_NULL) Port podPort) {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  public ExposedPort {
    if (name == null) {
      throw new InvalidValueException("invalid exposed port: name is required");
    }
    if (hostPort < 1 || hostPort > 65535) {
      throw new InvalidValueException("invalid exposed port \"" + name + "\": hostPort " + hostPort
          + " must be in 1..65535");
    }
    if (hostIP != null && hostIP.isEmpty()) {
      hostIP = null;
    }
    if (hostIP != null && !IPV4.matcher(hostIP).matches() && !IPV6.matcher(hostIP).matches()) {
      throw InvalidValueException.of("hostIP", hostIP, "must be an IPv4 or IPv6 address");
    }
  }
}
