package org.appctools.aci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Extended attributes through getfattr/setfattr: Java's NIO sees only {@code user.*}, but
 * images need {@code security.capability} and friends. One process per tree, never one per
 * file.
 */
final class Xattrs {
  private Xattrs() {}

  /** All xattrs under a tree, keyed by path relative to the root ("" for the root). */
  record Dump(Map<String, SortedMap<String, byte[]>> byPath, List<String> warnings) {}

  static boolean onDefaultFileSystem(Path p) {
    return "file".equals(p.getFileSystem().provider().getScheme());
  }

  /** Runs one {@code getfattr -R -h -d -m - -e hex --absolute-names root}. */
  static Dump read(Path root) {
    List<String> warnings = new ArrayList<>();
    Map<String, SortedMap<String, byte[]>> map = new HashMap<>();
    if (!onDefaultFileSystem(root)) {
      return new Dump(map, warnings);
    }
    String rootStr = root.toAbsolutePath().normalize().toString();
    ProcessBuilder pb = new ProcessBuilder("getfattr", "-R", "-h", "-d", "-m", "-", "-e", "hex",
        "--absolute-names", "--", rootStr);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      warnings.add("getfattr is not installed (package attr): only user.* xattrs were read, "
          + "security.* and trusted.* (e.g. file capabilities) are not in the image");
      return readUserXattrs(root, warnings);
    }
    try (InputStream out = p.getInputStream()) {
      parse(new String(out.readAllBytes(), StandardCharsets.ISO_8859_1), rootStr, map);
      int rc = p.waitFor();
      if (rc != 0) {
        warnings.add("getfattr exited with status " + rc
            + " (some xattrs may be missing from the image)");
      }
    } catch (IOException e) {
      warnings.add("reading getfattr output failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      warnings.add("interrupted while reading xattrs");
    }
    return new Dump(map, warnings);
  }

  /** Parses getfattr's dump format; text is ISO-8859-1 so escaped bytes survive. */
  static void parse(String text, String rootStr, Map<String, SortedMap<String, byte[]>> map) {
    String current = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# file: ")) {
        String path = unescape(line.substring("# file: ".length()));
        if (path.equals(rootStr)) {
          current = "";
        } else if (path.startsWith(rootStr + "/")) {
          current = path.substring(rootStr.length() + 1);
        } else {
          current = null;
        }
        continue;
      }
      if (current == null || line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String name = unescape(eq < 0 ? line : line.substring(0, eq));
      String value = eq < 0 ? "" : line.substring(eq + 1);
      byte[] bytes;
      if (value.startsWith("0x")) {
        bytes = HexFormat.of().parseHex(value.substring(2));
      } else if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
        bytes = unescape(value.substring(1, value.length() - 1))
            .getBytes(StandardCharsets.UTF_8);
      } else {
        bytes = new byte[0];
      }
      map.computeIfAbsent(current, k -> new TreeMap<>()).put(name, bytes);
    }
  }

  /** Undoes getfattr's octal escapes ({@code \012}, {@code \\}); the input is raw bytes. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
        out.write('\\');
        i++;
      } else {
        out.write(c);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  /** Fallback without getfattr: NIO user.* attributes of every path. */
  private static Dump readUserXattrs(Path root, List<String> warnings) {
    Map<String, SortedMap<String, byte[]>> map = new HashMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        UserDefinedFileAttributeView view =
            Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        if (view == null) {
          continue;
        }
        for (String name : view.list()) {
          ByteBuffer buf = ByteBuffer.allocate(view.size(name));
          view.read(name, buf);
          String rel = root.relativize(p).toString();
          map.computeIfAbsent(rel, k -> new TreeMap<>()).put("user." + name, buf.array());
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      warnings.add("reading user xattrs failed: " + e.getMessage());
    }
    return new Dump(map, warnings);
  }

  /** Escapes a path or name for setfattr's restore format (octal for specials). */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c <= ' ' || c == '=' || c >= 0x7f) {
        sb.append('\\').append(String.format("%03o", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** Runs one {@code setfattr -h --restore=-} with every attribute; returns a failure or null. */
  static String restore(Map<Path, Map<String, byte[]>> all) {
    if (all.isEmpty()) {
      return null;
    }
    StringBuilder script = new StringBuilder();
    for (Map.Entry<Path, Map<String, byte[]>> e : all.entrySet()) {
      script.append("# file: ").append(escape(e.getKey().toAbsolutePath().toString()))
          .append('\n');
      for (Map.Entry<String, byte[]> x : e.getValue().entrySet()) {
        script.append(escape(x.getKey())).append("=0x")
            .append(HexFormat.of().formatHex(x.getValue())).append('\n');
      }
      script.append('\n');
    }
    ProcessBuilder pb = new ProcessBuilder("setfattr", "-h", "--restore=-");
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write(script.toString().getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      return rc == 0 ? null : "setfattr exited with status " + rc + ": " + output.trim();
    } catch (IOException e) {
      return "setfattr is not installed (package attr): xattrs were not restored";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while restoring xattrs";
    }
  }
}
