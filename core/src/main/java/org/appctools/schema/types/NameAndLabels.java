package org.appctools.schema.types;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An image reference as the command lines and discovery write it: {@code name[:version][,label=value]...}.
 * The colon may appear at most once and only right after the name; it is sugar for
 * {@code ,version=}. Keys may not repeat. Values are taken literally.
 */
public record NameAndLabels(AcIdentifier name, Labels labels) {
  public NameAndLabels {
    if (name == null) {
      throw new InvalidValueException("invalid image reference: name is required");
    }
    labels = labels == null ? Labels.of() : labels;
  }

  public static NameAndLabels parse(String s) {
    if (s == null || s.isEmpty()) {
      throw InvalidValueException.of("image reference", "", "must not be empty");
    }
    int comma = s.indexOf(',');
    int colon = s.indexOf(':');
    if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
      throw InvalidValueException.of("image reference", s, "a colon may appear at most once");
    }
    if (colon >= 0 && comma >= 0 && colon > comma) {
      throw InvalidValueException.of("image reference", s, "a colon may appear only right after the name");
    }
    String prepared = colon >= 0 ? s.substring(0, colon) + ",version=" + s.substring(colon + 1) : s;
    String[] parts = prepared.split(",", -1);
    AcIdentifier name = AcIdentifier.parse(parts[0]);
    Set<String> keys = new HashSet<>();
    List<Label> labels = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq < 0) {
        throw InvalidValueException.of("image reference", s, "\"" + parts[i] + "\" must be label=value");
      }
      String key = parts[i].substring(0, eq);
      if (!keys.add(key)) {
        throw InvalidValueException.of("image reference", s, "label \"" + key + "\" given more than once");
      }
      labels.add(new Label(AcIdentifier.parse(key), parts[i].substring(eq + 1)));
    }
    return new NameAndLabels(name, new Labels(labels));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(name.value());
    for (Label l : labels.list()) {
      b.append(',').append(l.name()).append('=').append(l.value());
    }
    return b.toString();
  }
}
