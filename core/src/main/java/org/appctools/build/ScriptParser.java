package org.appctools.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.appctools.AppcException;

/**
 * Reads an acbuild script as the Go acbuild does ({@code acbuild/script.go}): one command per
 * line, surrounding whitespace trimmed; a line ending in a backslash continues on the next one
 * (joined with a space); words split on spaces and tabs; single quotes and double quotes group
 * (no escapes are special inside them except that a backslash still takes the next character
 * literally, as in Go's tokenizer); a backslash outside takes the next character literally;
 * {@code #} outside quotes starts a comment. The command word is lower-cased and, for {@code run}
 * and {@code set-exec}, {@code --} is inserted before the first word that is not a flag, as the
 * Go tool does before running each line.
 *
 * <p>Unlike the Go tool, which tokenizes each line only when it runs it, the whole script is read
 * first, so a malformed line fails before any command runs. A line starting with {@code end} is
 * refused as in Go; refusing {@code run} to unprivileged users is the caller's business.
 */
public final class ScriptParser {
  private ScriptParser() {}

  /** The commands of {@code text}, each as its words; empty and comment-only lines are skipped. */
  public static List<List<String>> parse(String text) throws AppcException {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lines[i] = lines[i].strip();
      if (lines[i].toLowerCase(Locale.ROOT).startsWith("end")) {
        throw new AppcException("calling end is unnecessary in a script, cleanup is done "
            + "automatically (line " + (i + 1) + ")");
      }
    }
    for (int i = 0; i < lines.length - 1; i++) {
      if (lines[i].endsWith("\\")) {
        String line = lines[i].substring(0, lines[i].length() - 1);
        lines[i] = "";
        lines[i + 1] = line + " " + lines[i + 1];
      }
    }
    List<List<String>> commands = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      List<String> words = tokenize(lines[i], i + 1);
      if (words.isEmpty()) {
        continue;
      }
      words.set(0, words.get(0).toLowerCase(Locale.ROOT));
      if (words.get(0).equals("run") || words.get(0).equals("set-exec")) {
        words = insertDashes(words);
      }
      commands.add(List.copyOf(words));
    }
    return List.copyOf(commands);
  }

  private static List<String> tokenize(String line, int number) throws AppcException {
    List<String> tokens = new ArrayList<>();
    StringBuilder buf = new StringBuilder();
    boolean single = false;
    boolean dbl = false;
    boolean escaped = false;
    loop:
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (escaped) {
        buf.append(c);
        escaped = false;
        continue;
      }
      switch (c) {
        case '\\' -> escaped = true;
        case ' ', '\t' -> {
          if (single || dbl) {
            buf.append(c);
          } else if (buf.length() > 0) {
            tokens.add(buf.toString());
            buf.setLength(0);
          }
        }
        case '\'' -> {
          if (dbl) {
            buf.append(c);
          } else {
            single = !single;
          }
        }
        case '"' -> {
          if (single) {
            buf.append(c);
          } else {
            dbl = !dbl;
          }
        }
        case '#' -> {
          if (single || dbl) {
            buf.append(c);
          } else {
            break loop;
          }
        }
        default -> buf.append(c);
      }
    }
    if (single) {
      throw new AppcException("unterminated single quote block (line " + number + ")");
    }
    if (dbl) {
      throw new AppcException("unterminated double quote block (line " + number + ")");
    }
    if (escaped) {
      throw new AppcException("ended with an escape (line " + number + ")");
    }
    if (buf.length() > 0) {
      tokens.add(buf.toString());
    }
    return tokens;
  }

  private static List<String> insertDashes(List<String> tokens) {
    for (int i = 1; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t.equals("--")) {
        return tokens;
      }
      if (!t.startsWith("-")) {
        List<String> out = new ArrayList<>(tokens.subList(0, i));
        out.add("--");
        out.addAll(tokens.subList(i, tokens.size()));
        return out;
      }
    }
    return tokens;
  }
}
