package org.appctools.build.file;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.appctools.AppcException;

/**
 * A {@code .dockerignore} file with Docker's rules ({@code moby/patternmatcher}): one pattern a
 * line, {@code #} comment lines, surrounding blanks trimmed, the pattern cleaned ({@code ./} and
 * a leading {@code /} dropped, {@code a//b} and {@code a/./b} made {@code a/b}); {@code *}
 * matches within one path segment, {@code ?} one character, {@code [...]} a class, {@code **}
 * any number of segments; a pattern that matches a directory also excludes everything in it;
 * {@code !} makes an exception, and the last pattern that matches a path decides.
 */
public final class DockerIgnore {
  private record Rule(Pattern regex, boolean exception, String text) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** No patterns: nothing is excluded. */
  public static DockerIgnore none() {
    return new DockerIgnore(List.of());
  }

  /** Reads the patterns of a {@code .dockerignore} text. */
  public static DockerIgnore parse(String text) throws AppcException {
    List<Rule> rules = new ArrayList<>();
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exception = line.startsWith("!");
      if (exception) {
        line = line.substring(1).strip();
      }
      String clean = clean(line);
      if (clean.isEmpty()) {
        continue;
      }
      try {
        rules.add(new Rule(Pattern.compile(regex(clean)), exception, line));
      } catch (IllegalArgumentException e) {
        throw new AppcException(".dockerignore:" + n + ": bad pattern \"" + raw.strip() + "\": " + e.getMessage());
      }
    }
    return new DockerIgnore(rules);
  }

  /** True when the context path {@code rel} ({@code a/b/c}, no leading slash) is excluded. */
  public boolean excluded(String rel) {
    if (rules.isEmpty()) {
      return false;
    }
    String[] parts = rel.split("/");
    boolean out = false;
    for (Rule r : rules) {
      boolean match = false;
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < parts.length && !match; i++) {
        if (i > 0) {
          prefix.append('/');
        }
        prefix.append(parts[i]);
        match = r.regex().matcher(prefix).matches();
      }
      if (match) {
        out = !r.exception();
      }
    }
    return out;
  }

  /**
   * True when there are {@code !} exceptions: a walk must then look inside excluded directories,
   * since an exception may take back a path below one.
   */
  public boolean hasExceptions() {
    return rules.stream().anyMatch(Rule::exception);
  }

  /** Go's filepath.Clean of a relative pattern, leading slashes dropped. */
  static String clean(String p) {
    List<String> out = new ArrayList<>();
    for (String s : p.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
        } else {
          out.add("..");
        }
        continue;
      }
      out.add(s);
    }
    return String.join("/", out);
  }

  /** The pattern as a regular expression over whole paths. */
  static String regex(String p) {
    StringBuilder b = new StringBuilder();
    int n = p.length();
    for (int i = 0; i < n; i++) {
      char c = p.charAt(i);
      if (c == '*') {
        if (i + 1 < n && p.charAt(i + 1) == '*') {
          i++;
          if (i + 1 < n && p.charAt(i + 1) == '/') {
            i++;
            b.append("(.*/)?");
          } else {
            b.append(".*");
          }
        } else {
          b.append("[^/]*");
        }
      } else if (c == '?') {
        b.append("[^/]");
      } else if (c == '[') {
        int end = p.indexOf(']', i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated [");
        }
        String cls = p.substring(i + 1, end);
        if (cls.startsWith("^") || cls.startsWith("!")) {
          cls = "^" + cls.substring(1);
        }
        b.append('[').append(cls.replace("\\", "\\\\").replace("[", "\\[")).append(']');
        i = end;
      } else if (c == '\\' && i + 1 < n) {
        i++;
        b.append(Pattern.quote(String.valueOf(p.charAt(i))));
      } else {
        b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return b.toString();
  }
}
