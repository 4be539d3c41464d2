package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Image labels: unique names, and a valid {@code os}/{@code arch} combination when {@code os} is
 * set. The table is the Go reference's {@code ValidOSArch} (0.8.11), which is newer than the list
 * in the spec prose; {@code arch} without {@code os} passes.
 */
public record Labels(List<Label> list) {
  /** Valid architectures per operating system, as in {@code schema/types/labels.go}. */
  public static final Map<String, List<String>> VALID_OS_ARCH = validOsArch();

  public Labels {
    list = list == null ? List.of() : List.copyOf(list);
    Set<AcIdentifier> seen = new HashSet<>();
    for (Label l : list) {
      if (!seen.add(l.name())) {
        throw new InvalidValueException("invalid labels: duplicate name \"" + l.name() + "\"");
      }
    }
    String os = find(list, "os");
    String arch = find(list, "arch");
    if (os != null) {
      List<String> archs = VALID_OS_ARCH.get(os);
      if (archs == null) {
        throw new InvalidValueException("invalid label os \"" + os + "\": must be one of "
            + String.join(", ", VALID_OS_ARCH.keySet()));
      }
      if (arch != null && !archs.contains(arch)) {
        throw new InvalidValueException("invalid label arch \"" + arch + "\" for os \"" + os + "\": must be one of "
            + String.join(", ", archs));
      }
    }
  }

  private static Map<String, List<String>> validOsArch() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("darwin", List.of("x86_64", "i386"));
    m.put("freebsd", List.of("amd64", "i386", "arm"));
    m.put("linux", List.of("amd64", "i386", "aarch64", "aarch64_be", "armv6l", "armv7l", "armv7b", "ppc64",
        "ppc64le", "s390x"));
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * The appc {@code os} label of a Java {@code os.name}: {@code linux}, {@code darwin} (Mac OS X),
   * {@code freebsd}; any other name lowercased.
   */
  public static String appcOs(String javaOsName) {
    String os = javaOsName.toLowerCase(Locale.ROOT);
    return os.startsWith("mac") ? "darwin" : os;
  }

  /**
   * The appc {@code arch} label of a Java {@code os.arch} on {@code os} (the table of
   * {@code schema/types/labels.go}): {@code amd64}, {@code aarch64} (where Go says {@code arm64}),
   * {@code x86_64} for darwin, {@code i386}, {@code armv7l}, {@code ppc64}, {@code ppc64le},
   * {@code s390x}; any other name lowercased.
   */
  public static String appcArch(String javaArch, String os) {
    String a = javaArch.toLowerCase(Locale.ROOT);
    boolean darwin = os.equals("darwin") || os.startsWith("mac");
    return switch (a) {
      case "amd64", "x86_64" -> darwin ? "x86_64" : "amd64";
      case "x86", "i386", "i486", "i586", "i686" -> "i386";
      case "aarch64", "arm64" -> "aarch64";
      case "arm", "arm32" -> "armv7l";
      case "ppc64" -> "ppc64";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      default -> a;
    };
  }

  private static String find(List<Label> list, String name) {
    for (Label l : list) {
      if (l.name().value().equals(name)) {
        return l.value();
      }
    }
    return null;
  }

  @JsonCreator
  public static Labels of(List<Label> list) {
    return new Labels(list);
  }

  public static Labels of() {
    return new Labels(List.of());
  }

  /** These labels with {@code name} set to {@code value}: replaced in place, or appended. */
  public Labels with(AcIdentifier name, String value) {
    List<Label> out = new ArrayList<>(list);
    Label l = new Label(name, value);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).name().equals(name)) {
        out.set(i, l);
        return new Labels(out);
      }
    }
    out.add(l);
    return new Labels(out);
  }

  /** These labels without {@code name}; unchanged when it is absent. */
  public Labels without(AcIdentifier name) {
    List<Label> out = new ArrayList<>(list);
    out.removeIf(l -> l.name().equals(name));
    return new Labels(out);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(find(list, name));
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  @JsonValue
  @Override
  public List<Label> list() {
    return list;
  }
}
