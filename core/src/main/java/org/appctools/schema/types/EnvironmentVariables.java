package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** An app's environment: unique names, in the order given. */
public record EnvironmentVariables(List<EnvironmentVariable> list) {
  public EnvironmentVariables {
    list = list == null ? List.of() : List.copyOf(list);
    Set<String> seen = new HashSet<>();
    for (EnvironmentVariable e : list) {
      if (!seen.add(e.name())) {
        throw new InvalidValueException("invalid environment: duplicate name \"" + e.name() + "\"");
      }
    }
  }

  @JsonCreator
  public static EnvironmentVariables of(List<EnvironmentVariable> list) {
    return new EnvironmentVariables(list);
  }

  public static EnvironmentVariables of() {
    return new EnvironmentVariables(List.of());
  }

  /** This environment with {@code name} set to {@code value}: replaced in place, or appended. */
  public EnvironmentVariables with(String name, String value) {
    List<EnvironmentVariable> out = new ArrayList<>(list);
    EnvironmentVariable e = new EnvironmentVariable(name, value);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).name().equals(name)) {
        out.set(i, e);
        return new EnvironmentVariables(out);
      }
    }
    out.add(e);
    return new EnvironmentVariables(out);
  }

  /** This environment without {@code name}; unchanged when it is absent. */
  public EnvironmentVariables without(String name) {
    List<EnvironmentVariable> out = new ArrayList<>(list);
    out.removeIf(e -> e.name().equals(name));
    return new EnvironmentVariables(out);
  }

  public Optional<String> get(String name) {
    return list.stream().filter(e -> e.name().equals(name)).map(EnvironmentVariable::value).findFirst();
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  @JsonValue
  @Override
  public List<EnvironmentVariable> list() {
    return list;
  }
}
