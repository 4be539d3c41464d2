package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Annotations: unique names, each annotation valid on its own. */
public record Annotations(List<Annotation> list) {
  public Annotations {
    list = list == null ? List.of() : List.copyOf(list);
    Set<AcIdentifier> seen = new HashSet<>();
    for (Annotation a : list) {
      if (!seen.add(a.name())) {
        throw new InvalidValueException("invalid annotations: duplicate name \"" + a.name() + "\"");
      }
    }
  }

  @JsonCreator
  public static Annotations of(List<Annotation> list) {
    return new Annotations(list);
  }

  public static Annotations of() {
    return new Annotations(List.of());
  }

  /** These annotations with {@code name} set to {@code value}: replaced in place, or appended. */
  public Annotations with(AcIdentifier name, String value) {
    List<Annotation> out = new ArrayList<>(list);
    Annotation a = new Annotation(name, value);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).name().equals(name)) {
        out.set(i, a);
        return new Annotations(out);
      }
    }
    out.add(a);
    return new Annotations(out);
  }

  /** These annotations without {@code name}; unchanged when it is absent. */
  public Annotations without(AcIdentifier name) {
    List<Annotation> out = new ArrayList<>(list);
    out.removeIf(a -> a.name().equals(name));
    return new Annotations(out);
  }

  public Optional<String> get(String name) {
    return list.stream().filter(a -> a.name().value().equals(name)).map(Annotation::value).findFirst();
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  @JsonValue
  @Override
  public List<Annotation> list() {
    return list;
  }
}
