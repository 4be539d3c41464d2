package org.appctools.tar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Entry name rules shared by the reader and the writer. */
public final class TarNames {
  private TarNames() {}

  /** Why a raw entry name is unsafe. */
  public enum Problem {
    ABSOLUTE("absolute path is not allowed"),
    DOT_DOT("path escapes the rootfs"),
    NUL("name contains a NUL byte"),
    EMPTY("empty name");

    private final String message;

    Problem(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  /** Returns why {@code raw} is unsafe, or {@code null} when it is safe. */
  public static Problem problem(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Problem.EMPTY;
    }
    if (raw.indexOf('\0') >= 0) {
      return Problem.NUL;
    }
    if (raw.charAt(0) == '/') {
      return Problem.ABSOLUTE;
    }
    for (String part : raw.split("/", -1)) {
      if (part.equals("..")) {
        return Problem.DOT_DOT;
      }
    }
    return null;
  }

  /**
   * Cleans a name like Go's {@code filepath.Clean}: collapses {@code //}, removes {@code .}
   * components (so {@code ./rootfs/x} is {@code rootfs/x}), resolves {@code ..} lexically and
   * drops a trailing slash. An empty result is {@code "."}.
   */
  public static String clean(String name) {
    if (name.isEmpty()) {
      return ".";
    }
    boolean rooted = name.charAt(0) == '/';
    Deque<String> out = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.peekLast().equals("..")) {
          out.removeLast();
        } else if (!rooted) {
          out.addLast("..");
        }
        continue;
      }
      out.addLast(part);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** The parent of a clean relative name, or {@code null} for a top-level name. */
  public static String parent(String clean) {
    int slash = clean.lastIndexOf('/');
    return slash < 0 ? null : clean.substring(0, slash);
  }

  /**
   * An xattr name as libarchive writes it in {@code LIBARCHIVE.xattr.*} PAX keys: UTF-8, with
   * bytes outside printable ASCII and {@code %} and {@code =} percent-encoded.
   */
  static String urlEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%' && c != '=') {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }
}
