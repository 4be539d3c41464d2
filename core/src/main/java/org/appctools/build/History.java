package org.appctools.build;

import java.util.List;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.Annotation;

/**
 * The command history the Go acbuild keeps in annotations {@code appc.io/acbuild/command-N}
 * ({@code addACBuildAnnotation} in {@code acbuild/acbuild.go}): N is one more than the largest
 * number found, and the value is the command with each argument quoted as Go's {@code %q}.
 */
public final class History {
  /** The annotation name before the number. */
  public static final String PREFIX = "appc.io/acbuild/command-";

  private History() {}

  /**
   * The history value of a command, e.g. {@code entry("label add", List.of("version", "1"))} is
   * {@code acbuild label add "version" "1"}.
   */
  public static String entry(String command, List<String> args) {
    StringBuilder b = new StringBuilder("acbuild ").append(command);
    for (String a : args) {
      b.append(' ').append(goQuote(a));
    }
    return b.toString();
  }

  /** {@code m} with {@code command} added as the next history annotation. */
  static ImageManifest append(ImageManifest m, String command) {
    long max = 0;
    for (Annotation a : m.annotations().list()) {
      long n = number(a.name().value());
      if (n > max) {
        max = n;
      }
    }
    return m.withAnnotations(m.annotations().with(AcIdentifier.parse(PREFIX + (max + 1)), command));
  }

  /** What Go's {@code Sscanf(name, PREFIX + "%d")} reads, or -1. */
  static long number(String name) {
    if (!name.startsWith(PREFIX)) {
      return -1;
    }
    int i = PREFIX.length();
    int start = i;
    if (i < name.length() && (name.charAt(i) == '+' || name.charAt(i) == '-')) {
      i++;
    }
    int digits = i;
    while (i < name.length() && Character.isDigit(name.charAt(i)) && name.charAt(i) < 128) {
      i++;
    }
    if (i == digits || i - digits > 18) {
      return -1;
    }
    return Long.parseLong(name.substring(start, i));
  }

  /** Go's {@code strconv.Quote} for valid UTF-16 text. */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case 7 -> b.append("\\a");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case 11 -> b.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", c));
          } else if (c == ' ' || isPrint(c)) {
            b.appendCodePoint(c);
          } else if (c < 0x10000) {
            b.append(String.format("\\u%04x", c));
          } else {
            b.append(String.format("\\U%08x", c));
          }
        }
      }
    });
    return b.append('"').toString();
  }

  private static boolean isPrint(int c) {
    int t = Character.getType(c);
    return t != Character.UNASSIGNED && t != Character.CONTROL && t != Character.FORMAT
        && t != Character.SURROGATE && t != Character.PRIVATE_USE
        && t != Character.LINE_SEPARATOR && t != Character.PARAGRAPH_SEPARATOR
        && t != Character.SPACE_SEPARATOR;
  }
}
