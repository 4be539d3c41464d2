package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.regex.Pattern;

/**
 * A pod volume. {@code host} volumes need an absolute {@code source}; {@code empty} volumes must not
 * have one and get the Go reference's defaults: mode {@code "0755"}, uid 0, gid 0. {@code readOnly}
 * and {@code recursive} stay null when not given (recursive SHOULD default to true for host
 * volumes; that is the executor's call).
 */
@JsonPropertyOrder({"name", "kind", "source", "readOnly", "recursive", "mode", "uid", "gid"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Volume(AcName name, String kind, String source, Boolean readOnly, Boolean recursive, String mode,
    Integer uid, Integer gid) {
  public static final String HOST = "host";
  public static final String EMPTY = "empty";
  public static final String DEFAULT_MODE = "0755";
  private static final Pattern MODE = Pattern.compile("[0-7]{1,4}");

  public Volume {
    if (name == null) {
      throw new InvalidValueException("invalid volume: name is required");
    }
    if (source != null && source.isEmpty()) {
      source = null;
    }
    if (HOST.equals(kind)) {
      if (source == null || !source.startsWith("/")) {
        throw new InvalidValueException("invalid volume \"" + name + "\": source \"" + (source == null ? "" : source)
            + "\" of a host volume must be an absolute path");
      }
    } else if (EMPTY.equals(kind)) {
      if (source != null) {
        throw new InvalidValueException("invalid volume \"" + name + "\": an empty volume must not have a source");
      }
      mode = mode == null ? DEFAULT_MODE : mode;
      uid = uid == null ? 0 : uid;
      gid = gid == null ? 0 : gid;
    } else {
      throw new InvalidValueException("invalid volume \"" + name + "\": kind \"" + kind + "\" must be host or empty");
    }
    if (mode != null && !MODE.matcher(mode).matches()) {
      throw new InvalidValueException("invalid volume \"" + name + "\": mode \"" + mode + "\" must be octal, like 0755");
    }
  }

  public static Volume host(AcName name, String source, boolean readOnly) {
    return new Volume(name, HOST, source, readOnly, null, null, null, null);
  }

  public static Volume empty(AcName name) {
    return new Volume(name, EMPTY, null, null, null, null, null, null);
  }
}
