package org.appctools.oci;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small YAML writer for trees of maps (written in their iteration order), lists, strings,
 * numbers and booleans: block style, two-space indentation, lists of maps in Kubernetes'
 * {@code - key: value} form, empty maps and lists as {@code {}} and {@code []}. A string is
 * written plain only when it cannot be read back as anything else (no indicator, no number, no
 * boolean or null word, no leading or trailing space); otherwise double-quoted with JSON
 * escapes, which YAML reads the same. No IO.
 */
final class Yaml {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/.][A-Za-z0-9_./=+-]*");
  private static final Pattern RESERVED = Pattern.compile(
      "(?i)(y|n|yes|no|true|false|on|off|null|~|\\.inf|\\.nan|[-+]?\\.inf)");

  private Yaml() {}

  /** The document for {@code root}, a map. */
  static String write(Map<String, ?> root) {
    StringBuilder out = new StringBuilder();
    map(out, root, 0);
    return out.toString();
  }

  private static void map(StringBuilder out, Map<String, ?> m, int indent) {
    for (Map.Entry<String, ?> e : m.entrySet()) {
      out.append(" ".repeat(indent)).append(scalar(e.getKey())).append(':');
      value(out, e.getValue(), indent);
    }
  }

  /** After {@code key:}: a scalar on the same line, a collection below it. */
  private static void value(StringBuilder out, Object v, int indent) {
    if (v instanceof Map<?, ?> m && !m.isEmpty()) {
      out.append('\n');
      @SuppressWarnings("unchecked")
      Map<String, ?> sm = (Map<String, ?>) m;
      map(out, sm, indent + 2);
    } else if (v instanceof List<?> l && !l.isEmpty()) {
      out.append('\n');
      list(out, l, indent);
    } else {
      out.append(' ').append(inline(v)).append('\n');
    }
  }

  private static void list(StringBuilder out, List<?> l, int indent) {
    for (Object item : l) {
      out.append(" ".repeat(indent)).append("- ");
      if (item instanceof Map<?, ?> m && !m.isEmpty()) {
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            out.append(" ".repeat(indent + 2));
          }
          first = false;
          out.append(scalar((String) e.getKey())).append(':');
          value(out, e.getValue(), indent + 2);
        }
      } else if (item instanceof List<?> inner && !inner.isEmpty()) {
        throw new IllegalArgumentException("nested lists are not written");
      } else {
        out.append(inline(item)).append('\n');
      }
    }
  }

  private static String inline(Object v) {
    if (v instanceof Map<?, ?>) {
      return "{}";
    }
    if (v instanceof List<?>) {
      return "[]";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return scalar(String.valueOf(v));
  }

  /** A string, plain when that reads back as the same string, else double-quoted. */
  static String scalar(String s) {
    if (PLAIN.matcher(s).matches() && !RESERVED.matcher(s).matches()) {
      return s;
    }
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        case '\r' -> q.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
