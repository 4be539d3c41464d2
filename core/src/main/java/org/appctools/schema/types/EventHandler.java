package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** A lifecycle hook of an app: {@code pre-start} or {@code post-stop}, with its argv. */
@JsonPropertyOrder({"name", "exec"})
public record EventHandler(String name, @JsonInclude(JsonInclude.Include.ALWAYS) List<String> exec) {
  public static final String PRE_START = "pre-start";
  public static final String POST_STOP = "post-stop";

  public EventHandler {
    if (!PRE_START.equals(name) && !POST_STOP.equals(name)) {
      throw InvalidValueException.of("event handler name", String.valueOf(name), "must be pre-start or post-stop");
    }
    exec = exec == null ? List.of() : List.copyOf(exec);
  }
}
