package org.appctools.build.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.appctools.AppcException;

/**
 * A Dockerfile read as Docker's parser reads it: the parser directives at the top ({@code #
 * escape=} picks {@code \} or {@code `}; {@code # syntax=} and {@code # check=} are accepted and
 * ignored), comments, line continuations (the escape character last on a line; comment and empty
 * lines inside a continuation are skipped), the instruction keyword in any case, leading
 * {@code --flag[=value]} options, and the exec form (a JSON array of strings) beside the shell
 * form. Variables are not substituted here (see {@link ShellLex}).
 *
 * @param instructions the instructions in order
 * @param escape the escape character ({@code \} unless the directive said otherwise)
 */
public record Dockerfile(List<Instruction> instructions, char escape) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
  /** The instructions whose arguments may be a JSON array. */
  private static final Set<String> EXEC_FORM = Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD",
      "VOLUME", "HEALTHCHECK", "ONBUILD");
  /** The instructions whose leading {@code --flags} are flags rather than arguments. */
  private static final Set<String> WITH_FLAGS = Set.of("FROM", "RUN", "COPY", "ADD", "HEALTHCHECK");

  public Dockerfile {
    instructions = List.copyOf(instructions);
  }

  /** Parses {@code text}; {@code file} names it in messages ({@code Dockerfile:3: ...}). */
  public static Dockerfile parse(String file, String text) throws AppcException {
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    char escape = '\\';
    int i = 0;
    boolean seenEscape = false;
    for (; i < lines.length; i++) {
      Matcher m = DIRECTIVE.matcher(lines[i].strip());
      if (!m.matches()) {
        break;
      }
      String name = m.group(1).toLowerCase(Locale.ROOT);
      if (name.equals("escape")) {
        if (seenEscape) {
          throw new AppcException(file + ":" + (i + 1) + ": only one escape parser directive can be used");
        }
        seenEscape = true;
        String v = m.group(2);
        if (!v.equals("\\") && !v.equals("`")) {
          throw new AppcException(file + ":" + (i + 1) + ": invalid escape token '" + v
              + "' does not match ` or \\");
        }
        escape = v.charAt(0);
      } else if (!name.equals("syntax") && !name.equals("check")) {
        break; // an unknown directive is a comment, and ends the directives
      }
    }
    List<Instruction> out = new ArrayList<>();
    while (i < lines.length) {
      String first = lines[i];
      String trimmed = first.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        i++;
        continue;
      }
      int start = i + 1;
      StringBuilder logical = new StringBuilder();
      String cur = stripLeading(first);
      while (true) {
        String body = stripTrailing(cur);
        if (!body.isEmpty() && body.charAt(body.length() - 1) == escape) {
          logical.append(body, 0, body.length() - 1);
          i++;
          // skip comment and empty lines inside a continuation, as Docker does
          while (i < lines.length && (lines[i].strip().isEmpty() || lines[i].strip().startsWith("#"))) {
            i++;
          }
          if (i >= lines.length) {
            break;
          }
          cur = lines[i];
          continue;
        }
        logical.append(cur);
        i++;
        break;
      }
      out.add(instruction(file, start, logical.toString()));
    }
    return new Dockerfile(out, escape);
  }

  private static Instruction instruction(String file, int line, String logical) throws AppcException {
    String s = logical.strip();
    int sp = firstSpace(s);
    String keyword = (sp < 0 ? s : s.substring(0, sp)).toUpperCase(Locale.ROOT);
    String rest = sp < 0 ? "" : s.substring(sp).strip();
    if (!keyword.matches("[A-Z]+")) {
      throw new AppcException(file + ":" + line + ": unknown instruction: " + keyword);
    }
    Map<String, String> flags = new LinkedHashMap<>();
    if (WITH_FLAGS.contains(keyword)) {
      while (rest.startsWith("--")) {
        int end = firstSpace(rest);
        String flag = end < 0 ? rest.substring(2) : rest.substring(2, end);
        rest = end < 0 ? "" : rest.substring(end).strip();
        int eq = flag.indexOf('=');
        String name = eq < 0 ? flag : flag.substring(0, eq);
        if (name.isEmpty()) {
          throw new AppcException(file + ":" + line + ": " + keyword + ": a flag has no name: --" + flag);
        }
        if (flags.containsKey(name)) {
          throw new AppcException(file + ":" + line + ": " + keyword + ": flag --" + name + " given twice");
        }
        flags.put(name, eq < 0 ? null : flag.substring(eq + 1));
      }
    }
    List<String> json = null;
    if (EXEC_FORM.contains(keyword) && rest.startsWith("[")) {
      json = jsonArray(rest);
    }
    return new Instruction(file, line, keyword, flags, rest, json);
  }

  /** The strings of a JSON array, or null when {@code text} is not one (then it is the shell form, as in Docker). */
  private static List<String> jsonArray(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
    if (node == null || !node.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isTextual()) {
        return null;
      }
      out.add(n.asText());
    }
    return out;
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return s.substring(i);
  }

  private static String stripTrailing(String s) {
    int i = s.length();
    while (i > 0 && Character.isWhitespace(s.charAt(i - 1))) {
      i--;
    }
    return s.substring(0, i);
  }
}
