package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AC Version: a SemVer 2.0.0 version, never the zero version {@code 0.0.0}. Versions newer than
 * {@link #CURRENT} are accepted (as the Go reference does); {@code ManifestCheck} warns on a major
 * version older than ours.
 */
public record SemVer(long major, long minor, long patch, String preRelease, String build)
    implements Comparable<SemVer> {
  private static final String NUM = "(0|[1-9][0-9]*)";
  private static final String IDENT = "[0-9A-Za-z-]+";
  private static final Pattern PATTERN = Pattern.compile(
      NUM + "\\." + NUM + "\\." + NUM + "(?:-(" + IDENT + "(?:\\." + IDENT + ")*))?(?:\\+(" + IDENT + "(?:\\." + IDENT + ")*))?");
  static final String RULE = "must be a semantic version MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]";

  /** The spec version this library implements. */
  public static final SemVer CURRENT = new SemVer(0, 8, 11, "", "");

  public SemVer {
    preRelease = preRelease == null ? "" : preRelease;
    build = build == null ? "" : build;
    if (major < 0 || minor < 0 || patch < 0) {
      throw InvalidValueException.of("AC Version", major + "." + minor + "." + patch, RULE);
    }
    String text = format(major, minor, patch, preRelease, build);
    if (!PATTERN.matcher(text).matches()) {
      throw InvalidValueException.of("AC Version", text, RULE);
    }
    if (major == 0 && minor == 0 && patch == 0 && preRelease.isEmpty()) {
      throw InvalidValueException.of("AC Version", text, "must not be the zero version");
    }
  }

  @JsonCreator
  public static SemVer parse(String value) {
    if (value == null || value.isEmpty()) {
      throw InvalidValueException.of("AC Version", String.valueOf(value == null ? "" : value), "must not be empty");
    }
    Matcher m = PATTERN.matcher(value);
    if (!m.matches()) {
      throw InvalidValueException.of("AC Version", value, RULE);
    }
    try {
      return new SemVer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
          m.group(4), m.group(5));
    } catch (NumberFormatException e) {
      throw InvalidValueException.of("AC Version", value, "version numbers must fit in 63 bits");
    }
  }

  private static String format(long major, long minor, long patch, String pre, String build) {
    return major + "." + minor + "." + patch + (pre.isEmpty() ? "" : "-" + pre) + (build.isEmpty() ? "" : "+" + build);
  }

  /** SemVer precedence; build metadata is ignored, as SemVer 2.0.0 says. */
  @Override
  public int compareTo(SemVer o) {
    int c = Long.compare(major, o.major);
    if (c == 0) {
      c = Long.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, o.patch);
    }
    if (c != 0) {
      return c;
    }
    if (preRelease.equals(o.preRelease)) {
      return 0;
    }
    if (preRelease.isEmpty()) {
      return 1;
    }
    if (o.preRelease.isEmpty()) {
      return -1;
    }
    String[] a = preRelease.split("\\.");
    String[] b = o.preRelease.split("\\.");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      boolean an = a[i].matches("[0-9]+");
      boolean bn = b[i].matches("[0-9]+");
      int d;
      if (an && bn) {
        d = new java.math.BigInteger(a[i]).compareTo(new java.math.BigInteger(b[i]));
      } else if (an) {
        d = -1;
      } else if (bn) {
        d = 1;
      } else {
        d = a[i].compareTo(b[i]);
      }
      if (d != 0) {
        return d;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  @JsonValue
  @Override
  public String toString() {
    return format(major, minor, patch, preRelease, build);
  }
}
